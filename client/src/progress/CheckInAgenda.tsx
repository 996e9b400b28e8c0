/**
 * A check-in under way: its agenda, one section per entry of `CHECK_IN_SECTIONS` (shared), in
 * that order, then "Finish check-in". A section added to the list needs a component in
 * `SECTIONS` below and nothing else. Facilitators note who is here, blockers and decisions;
 * everyone who may edit posts their step's status and line (an ordinary step update, kept with
 * the check-in because it is posted while it runs).
 */
import { formatDate, formatReading } from '@common-ground/shared/export'
import {
  type ActionPlanItem,
  type ActionStep,
  CHECK_IN_SECTIONS,
  type CheckIn,
  type CheckInSection,
  checkInUpdates,
  checkInValues,
  type Indicator,
  type IndicatorValue,
  MAX_ATTENDEES,
  type StepUpdate,
} from '@common-ground/shared/plan'
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { useCheckInTitle } from './checkInTitle.ts'
import { AddValue } from './IndicatorsSection.tsx'
import { UpdateForm, UpdateText, useWhen } from './StepCard.tsx'

interface SectionProps {
  checkIn: CheckIn
  /** Put the keyboard on the agenda's heading when it appears (this person just started it). */
  focusOnOpen?: boolean
  /** A facilitator who may write: notes the record. */
  mayRun: boolean
  /** May post step updates. */
  editable: boolean
  /** This person finished it (the agenda is about to go). */
  onFinished?(): void
  announce(text: string): void
}

const SECTIONS: Record<CheckInSection, (props: SectionProps) => ReactNode> = {
  attendance: (props) => <Attendance {...props} />,
  steps: (props) => <StepsReviewed {...props} />,
  indicators: (props) => <IndicatorsUpdated {...props} />,
  blockers: (props) => <RecordText field="blockers" {...props} />,
  decisions: (props) => <RecordText field="decisions" {...props} />,
}

export function CheckInAgenda(props: SectionProps) {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const titleOf = useCheckInTitle()
  const headingId = useId()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [error, setError] = useState<string | null>(null)
  const title = titleOf(props.checkIn)
  const focusOnOpen = props.focusOnOpen ?? false
  useEffect(() => {
    if (focusOnOpen) headingRef.current?.focus()
  }, [focusOnOpen])

  const finish = () => {
    if (board.connection.status.get() !== 'live') {
      setError(t('checkIn.needsConnection'))
      return
    }
    try {
      board.commands.finishCheckIn(props.checkIn.id, serverNow())
      props.announce(t('checkIn.finishedAnnounce', { title }))
      props.onFinished?.()
    } catch (caught) {
      setError(t('checkIn.failed', { reason: (caught as Error).message }))
    }
  }

  return (
    <section
      aria-labelledby={headingId}
      className="cg-checkin-agenda"
      data-testid="check-in-agenda"
      data-check-in-id={props.checkIn.id}
    >
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>
        {title} ·{' '}
        <time dateTime={props.checkIn.date}>{formatDate(locale, props.checkIn.date)}</time>
      </h3>
      <p className="cg-checkin-state">{t('checkIn.state.running')}</p>
      <nav aria-label={t('checkIn.agenda')}>
        <ol className="cg-checkin-agenda-toc">
          {CHECK_IN_SECTIONS.map((section) => (
            <li key={section}>
              <a href={`#${sectionAnchor(props.checkIn.id, section)}`}>
                {t(`checkIn.section.${section}`)}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {CHECK_IN_SECTIONS.map((section) => (
        <AgendaSection key={section} id={sectionAnchor(props.checkIn.id, section)} name={section}>
          {SECTIONS[section](props)}
        </AgendaSection>
      ))}
      {props.mayRun && (
        <button type="button" className="cg-button cg-button-primary" onClick={finish}>
          {t('checkIn.finish')}
        </button>
      )}
      {error && (
        <p className="cg-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

const sectionAnchor = (checkIn: string, section: string) => `check-in-${checkIn}-${section}`

function AgendaSection(props: { id: string; name: CheckInSection; children: ReactNode }) {
  const { t } = useI18n()
  const headingId = `${props.id}-heading`
  return (
    <section
      id={props.id}
      aria-labelledby={headingId}
      className="cg-checkin-section"
      data-section={props.name}
    >
      <h4 id={headingId}>{t(`checkIn.section.${props.name}`)}</h4>
      {props.children}
    </section>
  )
}

/** Who is here, by name; a facilitator adds and removes names. */
function Attendance({ checkIn, mayRun }: SectionProps) {
  const { t } = useI18n()
  const board = useBoardModel()
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const inputId = useId()
  const errorId = useId()

  function add(event: FormEvent) {
    event.preventDefault()
    const trimmed = name.replace(/\s+/g, ' ').trim()
    if (!trimmed) return
    try {
      board.commands.setCheckInRecord(checkIn.id, 'attended', [...checkIn.attended, trimmed])
      setName('')
      setError(null)
    } catch (caught) {
      setError(t('checkIn.failed', { reason: (caught as Error).message }))
    }
  }

  return (
    <>
      {checkIn.attended.length === 0 ? (
        <p className="cg-hint">{t('checkIn.noAttendees')}</p>
      ) : (
        <ul className="cg-checkin-attendees" data-testid="attendees">
          {checkIn.attended.map((person) => (
            <li key={person}>
              <span>{person}</span>
              {mayRun && (
                <button
                  type="button"
                  className="cg-link-button"
                  aria-label={t('checkIn.removeAttendee', { name: person })}
                  onClick={() =>
                    board.commands.setCheckInRecord(
                      checkIn.id,
                      'attended',
                      checkIn.attended.filter((other) => other !== person),
                    )
                  }
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayRun && checkIn.attended.length < MAX_ATTENDEES && (
        <form className="cg-checkin-inline" onSubmit={add} noValidate>
          <label htmlFor={inputId}>{t('checkIn.attendeeName')}</label>
          <div className="cg-checkin-inline-row">
            <input
              id={inputId}
              className="cg-input"
              value={name}
              maxLength={200}
              autoComplete="off"
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="cg-button">
              {t('checkIn.addAttendee')}
            </button>
          </div>
          {error && (
            <p id={errorId} className="cg-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </>
  )
}

/** Every step with its status and the line its owner posted during this check-in. */
function StepsReviewed({ checkIn, editable, announce }: SectionProps) {
  const { t } = useI18n()
  const plan = usePlan()
  const when = useWhen()
  const lines = new Map<string, StepUpdate>()
  // Newest first per step: the first one seen is the line that stands. While it runs, every
  // update since the start counts (one stamped by a clock a little ahead included).
  for (const { item, step, update } of checkInUpdates(plan.actionPlan, checkIn)) {
    const key = `${item.issue}/${step.id}`
    if (!lines.has(key)) lines.set(key, update)
  }
  const steps = plan.actionPlan.flatMap((item) => item.steps.map((step) => ({ item, step })))
  return (
    <>
      <p className="cg-hint">{t('checkIn.stepsIntro')}</p>
      {steps.length === 0 ? (
        <p className="cg-hint">{t('checkIn.noSteps')}</p>
      ) : (
        <ul className="cg-checkin-steps" data-testid="check-in-steps">
          {steps.map(({ item, step }) => (
            <ReviewedStep
              key={`${item.issue}/${step.id}`}
              item={item}
              step={step}
              line={lines.get(`${item.issue}/${step.id}`) ?? null}
              when={when}
              editable={editable}
              announce={announce}
            />
          ))}
        </ul>
      )}
    </>
  )
}

function ReviewedStep(props: {
  item: ActionPlanItem
  step: ActionStep
  line: StepUpdate | null
  when: (at: number) => string
  editable: boolean
  announce(text: string): void
}) {
  const { t } = useI18n()
  const { step } = props
  const titleId = useId()
  const [open, setOpen] = useState(false)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const what = step.what || t('plan.emptyNote')
  return (
    <li className="cg-checkin-step" data-step-id={step.id}>
      <p className="cg-checkin-step-title" id={titleId}>
        <strong>{what}</strong>
      </p>
      <p className="cg-checkin-step-facts">
        {t('action.person')}: {step.person || t('card.action.unassigned')}
        {' · '}
        {t('action.status')}:{' '}
        <span data-testid="step-status" data-status={step.status}>
          {t(`action.status.${step.status}`)}
        </span>
      </p>
      <div data-testid="check-in-line">
        {props.line ? (
          <UpdateText update={props.line} when={props.when} />
        ) : (
          <p className="cg-hint">{t('checkIn.noLine')}</p>
        )}
      </div>
      {props.editable &&
        (open ? (
          <UpdateForm
            issue={props.item.issue}
            step={step}
            titleId={titleId}
            onDone={(posted) => {
              if (posted) props.announce(t('progress.form.posted', { step: what }))
              setOpen(false)
              requestAnimationFrame(() => toggleRef.current?.focus())
            }}
          />
        ) : (
          <button
            ref={toggleRef}
            type="button"
            className="cg-button"
            aria-label={t('progress.updateOn', { step: what })}
            onClick={() => setOpen(true)}
          >
            {t('progress.update')}
          </button>
        ))}
    </li>
  )
}

/** Blockers or decisions: a facilitator writes them, everyone reads them. */
function RecordText(props: SectionProps & { field: 'blockers' | 'decisions' }) {
  const { t } = useI18n()
  const board = useBoardModel()
  const { checkIn, field } = props
  const saved = checkIn[field]
  const [draft, setDraft] = useState(saved)
  const [error, setError] = useState<string | null>(null)
  const inputId = useId()
  const section = t(`checkIn.section.${field}`)
  if (!props.mayRun) {
    return saved.trim() ? (
      <p className="cg-checkin-text">{saved}</p>
    ) : (
      <p className="cg-hint">{t('export.none')}</p>
    )
  }
  return (
    <form
      className="cg-checkin-inline"
      onSubmit={(event) => {
        event.preventDefault()
        try {
          board.commands.setCheckInRecord(checkIn.id, field, draft)
          setError(null)
          props.announce(t('checkIn.saved', { section }))
        } catch (caught) {
          setError(t('checkIn.failed', { reason: (caught as Error).message }))
        }
      }}
      noValidate
    >
      <label htmlFor={inputId} className="cg-visually-hidden">
        {section}
      </label>
      <textarea
        id={inputId}
        className="cg-input cg-checkin-textarea"
        value={draft}
        maxLength={4000}
        rows={3}
        onChange={(event) => setDraft(event.target.value)}
      />
      {error && (
        <p className="cg-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="cg-button" disabled={draft === saved}>
        {t('checkIn.saveText', { section: section.toLocaleLowerCase() })}
      </button>
    </form>
  )
}

/** Every indicator with the values entered during this check-in, and "Add a value" on each. */
function IndicatorsUpdated({ checkIn, editable, announce }: SectionProps) {
  const { t } = useI18n()
  const plan = usePlan()
  const { indicators } = plan.evaluation
  const entered = new Map<string, IndicatorValue[]>()
  for (const { indicator, value } of checkInValues(indicators, checkIn)) {
    entered.set(indicator.id, [...(entered.get(indicator.id) ?? []), value])
  }
  return (
    <>
      <p className="cg-hint">{t('checkIn.indicatorsIntro')}</p>
      {indicators.length === 0 ? (
        <p className="cg-hint">{t('checkIn.noIndicators')}</p>
      ) : (
        <ul className="cg-checkin-steps" data-testid="check-in-indicators">
          {indicators.map((indicator) => (
            <ReviewedIndicator
              key={indicator.id}
              indicator={indicator}
              values={entered.get(indicator.id) ?? []}
              editable={editable}
              announce={announce}
            />
          ))}
        </ul>
      )}
    </>
  )
}

function ReviewedIndicator(props: {
  indicator: Indicator
  values: IndicatorValue[]
  editable: boolean
  announce(text: string): void
}) {
  const { t, locale } = useI18n()
  const titleId = useId()
  const { indicator } = props
  return (
    <li className="cg-checkin-step" data-indicator-id={indicator.id}>
      <p className="cg-checkin-step-title" id={titleId}>
        <strong>{indicator.name || t('evaluation.untitled')}</strong>
      </p>
      {props.values.length === 0 ? (
        <p className="cg-hint">{t('checkIn.noValue')}</p>
      ) : (
        <ul data-testid="check-in-value">
          {props.values.map((value) => (
            <li key={value.id}>
              {formatReading(locale, value.value, indicator.unit)}
              {value.group.trim() && ` (${value.group.trim()})`}
              {', '}
              {formatDate(locale, value.date)}
              {value.note.trim() && ` — ${value.note.trim()}`}
            </li>
          ))}
        </ul>
      )}
      {props.editable && (
        <AddValue indicator={indicator} titleId={titleId} announce={props.announce} />
      )}
    </li>
  )
}
