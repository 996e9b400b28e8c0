/**
 * The people panel beside the canvas: who is here (name, organization, online or idle, done with
 * the current step), this person's "I'm done" and organization, and for facilitators the private
 * brainstorm and the stage locks. Rules and counting live in `shared`; this renders and writes.
 */
import {
  type Brainstorm,
  doneCount,
  hideNotes,
  isDoneWith,
  type PersonPresence,
  revealNotes,
  WHOLE_BOARD,
} from '@common-ground/shared/facilitation'
import type { MessageKey } from '@common-ground/shared/i18n'
import { isStageId, STAGE_IDS, type StageId, stageFrameId } from '@common-ground/shared/plan'
import { useId, useState } from 'react'
import { type TLShapeId, useValue } from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { MyOrganizationSelect } from './MyOrganizationSelect.tsx'
import { usePeople } from './personPresence.ts'
import { stageInView } from './stages.ts'
import './people.css'

export const PEOPLE_PANEL_ID = 'cg-people-panel'

/** A stage's title in the person's language; other values (none, custom) read as "this step". */
export function useStageName(): (stage: string | null) => string {
  const { t } = useI18n()
  return (stage) =>
    stage && isStageId(stage) ? t(`stage.${stage}.title` as MessageKey) : t('people.thisStep')
}

/** The "done" summary for the bar and the panel: participants done with the current step. */
export function useDoneSummary() {
  const { connection, facilitation: state } = useBoardModel()
  const people = usePeople(connection.provider.awareness)
  const marks = useValue('done marks', () => state.doneMarks.get(), [state])
  const current = useValue('current stage', () => state.currentStage.get(), [state])
  return { people, marks, current, ...doneCount(people, marks, current) }
}

export function PeoplePanel() {
  const { t } = useI18n()
  const { personId } = useBoardModel()
  const { role, readOnly } = useBoardAccess()
  const headingId = useId()
  const { people, marks, current, done, of } = useDoneSummary()
  const stageName = useStageName()
  const facilitator = role === 'facilitator'

  return (
    <aside
      id={PEOPLE_PANEL_ID}
      className="cg-plan-panel cg-people-panel"
      aria-labelledby={headingId}
    >
      <h2 id={headingId}>{t('people.title')}</h2>
      {facilitator && (
        <p className="cg-people-count" data-testid="done-count">
          {t('people.doneCount', { done, total: of, stage: stageName(current) })}
        </p>
      )}
      {!readOnly && <MyStep />}
      <MyOrganizationChoice />
      <section aria-labelledby={`${headingId}-here`}>
        <h3 id={`${headingId}-here`}>{t('people.here', { count: people.length })}</h3>
        <ul className="cg-people-list" data-testid="people-list">
          {people.map((person) => (
            <PersonRow
              key={person.personId}
              person={person}
              isMe={person.personId === personId}
              done={isDoneWith(marks.get(person.personId), current)}
            />
          ))}
        </ul>
      </section>
      {facilitator && !readOnly && (
        <>
          <BrainstormControls />
          <LockControls />
        </>
      )}
    </aside>
  )
}

function PersonRow(props: { person: PersonPresence; isMe: boolean; done: boolean }) {
  const { person, isMe, done } = props
  const { t } = useI18n()
  const { editor } = useBoardView()
  const organizationName = useValue('organization name', () => {
    if (!person.organization || !editor) return null
    const card = editor.getShape(person.organization as TLShapeId)
    const name = (card?.props as { name?: unknown } | undefined)?.name
    return typeof name === 'string' ? name || t('card.org.untitled') : null
  }, [editor, person.organization, t])
  return (
    <li className="cg-person" data-idle={person.idle} data-done={done}>
      <span className="cg-person-dot" style={{ background: person.color }} aria-hidden="true" />
      <span className="cg-person-text">
        <span className="cg-person-name">
          {isMe ? t('people.you', { name: person.name }) : person.name}
          {person.role !== 'participant' && (
            <span className="cg-person-role"> · {t(`people.role.${person.role}`)}</span>
          )}
        </span>
        {organizationName && <span className="cg-person-org">{organizationName}</span>}
      </span>
      <span className="cg-person-status">{t(person.idle ? 'people.idle' : 'people.online')}</span>
      {done && <span className="cg-person-done">✓ {t('people.doneMark')}</span>}
    </li>
  )
}

/** "I'm done": a toggle written under this person's own key (the server refuses others'). */
function MyStep() {
  const { t } = useI18n()
  const { personId, facilitation: state, commands } = useBoardModel()
  const { editor } = useBoardView()
  const stageName = useStageName()
  const hintId = useId()
  const marks = useValue('done marks', () => state.doneMarks.get(), [state])
  const current = useValue('current stage', () => state.currentStage.get(), [state])
  // Without an agenda, the step is the stage in view when the person says they are done.
  const inView = useValue('stage in view', () => stageInView(editor), [editor])
  const mine = marks.get(personId)
  const done = isDoneWith(mine, current)
  const step = current ?? (done && mine ? mine.stage : inView)
  const toggle = () => {
    commands.markDone(personId, done ? null : { stage: step ?? '', at: Date.now() })
  }
  return (
    <div className="cg-people-mine">
      <button
        type="button"
        className="cg-button cg-done-toggle"
        aria-pressed={done}
        aria-describedby={hintId}
        onClick={toggle}
      >
        {done ? '✓ ' : ''}
        {t('people.done')}
      </button>
      <p id={hintId} className="cg-hint">
        {t('people.doneWith', { stage: stageName(step) })}
      </p>
    </div>
  )
}

function MyOrganizationChoice() {
  const { t } = useI18n()
  const plan = usePlan()
  if (plan.organizations.length === 0) {
    return <p className="cg-hint">{t('people.noOrganizationCards')}</p>
  }
  return (
    <MyOrganizationSelect
      organizations={plan.organizations}
      label="people.organization"
      none="people.organizationNone"
    />
  )
}

/** The stages this board has frames for, in agenda order. */
function useStagesOnBoard(): StageId[] {
  const { editor } = useBoardView()
  return useValue(
    'stages on board',
    () => STAGE_IDS.filter((stage) => editor?.getShape(stageFrameId(stage) as TLShapeId)),
    [editor],
  )
}

function BrainstormControls() {
  const { t } = useI18n()
  const { facilitation: state, commands } = useBoardModel()
  const { editor } = useBoardView()
  const headingId = useId()
  const selectId = useId()
  const stageName = useStageName()
  const stages = useStagesOnBoard()
  const brainstorm = useValue('brainstorm', () => state.brainstorm.get(), [state])
  // The agenda's current stage, which is where the group is, until the facilitator picks another
  // (the stage in view is only a fallback: it is wherever this screen happens to be scrolled).
  const current = useValue('current stage', () => state.currentStage.get(), [state])
  const [chosen, setStage] = useState<string | null>(null)
  const stage =
    chosen ??
    (current && stages.includes(current as StageId)
      ? current
      : (stageInView(editor) ?? (stages.includes('issues') ? 'issues' : WHOLE_BOARD)))
  const write = (next: Brainstorm) => commands.setBrainstorm(next)
  const hidden = brainstorm?.hidden === true
  const nameOf = (value: string) =>
    value === WHOLE_BOARD ? t('brainstorm.wholeBoard') : stageName(value)
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('brainstorm.title')}</h3>
      <p className="cg-hint">{t('brainstorm.help')}</p>
      {hidden && brainstorm ? (
        <>
          <p role="status">{t('brainstorm.statusHidden', { stage: nameOf(brainstorm.stage) })}</p>
          <button
            type="button"
            className="cg-button cg-button-primary"
            onClick={() => write(revealNotes(brainstorm))}
          >
            {t('brainstorm.reveal')}
          </button>
        </>
      ) : (
        <>
          <div className="cg-plan-field">
            <label htmlFor={selectId}>{t('brainstorm.stage')}</label>
            <select
              id={selectId}
              className="cg-select cg-plan-input"
              value={stage}
              onChange={(event) => setStage(event.target.value)}
            >
              {stages.map((id) => (
                <option key={id} value={id}>
                  {stageName(id)}
                </option>
              ))}
              <option value={WHOLE_BOARD}>{t('brainstorm.wholeBoard')}</option>
            </select>
          </div>
          <button
            type="button"
            className="cg-button cg-button-primary"
            onClick={() => write(hideNotes(brainstorm, stage))}
          >
            {t('brainstorm.hide')}
          </button>
        </>
      )}
    </section>
  )
}

function LockControls() {
  const { t } = useI18n()
  const { facilitation: state, commands } = useBoardModel()
  const headingId = useId()
  const stageName = useStageName()
  const stages = useStagesOnBoard()
  const locked = useValue('locked stages', () => state.locked.get(), [state])
  const setLocks = (targets: readonly StageId[], value: boolean) =>
    commands.setStageLocks(targets, value)
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('lock.title')}</h3>
      <p className="cg-hint">{t('lock.help')}</p>
      {stages.length === 0 ? (
        <p className="cg-hint">{t('lock.noStages')}</p>
      ) : (
        <>
          <ul className="cg-lock-list">
            {stages.map((stage) => (
              <li key={stage}>
                <label className="cg-check">
                  <input
                    type="checkbox"
                    checked={locked.has(stage)}
                    onChange={(event) => setLocks([stage], event.target.checked)}
                  />
                  {t('lock.stage', { stage: stageName(stage) })}
                </label>
              </li>
            ))}
          </ul>
          <div className="cg-lock-all">
            <button type="button" className="cg-button" onClick={() => setLocks(stages, true)}>
              {t('lock.all')}
            </button>
            <button type="button" className="cg-button" onClick={() => setLocks(stages, false)}>
              {t('lock.none')}
            </button>
          </div>
        </>
      )}
    </section>
  )
}
