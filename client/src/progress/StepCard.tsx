import { formatDate } from '@common-ground/shared/export'
import {
  type ActionStep,
  MAX_UPDATE_NOTE_LENGTH,
  MAX_UPDATES_PER_STEP,
  type ProgressStep,
  STEP_STATUSES,
  type StepStatus,
  type StepUpdate,
} from '@common-ground/shared/plan'
import { useValue } from '@tldraw/state-react'
import { type FormEvent, memo, useId, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { FormEnd } from './FormEnd.tsx'

/** The id of a step's card in the page (the commitments link to it). */
export function stepAnchor(issue: string, step: string): string {
  return `step-${issue.replace(/^shape:/, '')}-${step}`
}

/** "Overdue by 3 days", "Due today", "Due in 2 days", "Due June 1, 2026", "No due date", "Done". */
function useDueText(entry: ProgressStep): string {
  const { t, locale } = useI18n()
  const { state, daysLeft, step } = entry
  if (state === 'overdue') return t('progress.due.overdue', { count: -(daysLeft ?? 0) })
  if (state === 'due-soon')
    return daysLeft === 0
      ? t('progress.due.today')
      : t('progress.due.soon', { count: daysLeft ?? 0 })
  if (state === 'later' || (state === 'done' && step.due))
    return t('progress.due.later', { date: formatDate(locale, step.due as string) })
  if (state === 'done') return t('progress.due.done')
  return t('progress.due.undated')
}

const moments = new Map<string, Intl.DateTimeFormat>()

/** When an update was posted, in the reader's language and time zone ("Mar 2, 2026, 3:30 PM"). */
export function useWhen(): (at: number) => string {
  const { locale } = useI18n()
  let format = moments.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    moments.set(locale, format)
  }
  const chosen = format
  return (at) => chosen.format(new Date(at))
}

interface StepCardProps {
  entry: ProgressStep
  /** The responsible organization's name ('' when unnamed or gone), null when none. */
  organizationName: string | null
  editable: boolean
  facilitator: boolean
  announce(text: string): void
}

/**
 * Whether a card would draw the same: the plan is derived afresh (new objects) each time anyone
 * types anywhere on the board, and a phone should redraw only the steps that changed.
 */
function sameCard(a: StepCardProps, b: StepCardProps): boolean {
  const [x, y] = [a.entry.step, b.entry.step]
  return (
    a.organizationName === b.organizationName &&
    a.editable === b.editable &&
    a.facilitator === b.facilitator &&
    a.announce === b.announce &&
    a.entry.state === b.entry.state &&
    a.entry.daysLeft === b.entry.daysLeft &&
    a.entry.item.issue === b.entry.item.issue &&
    a.entry.item.title === b.entry.item.title &&
    x.id === y.id &&
    x.what === y.what &&
    x.person === y.person &&
    x.organization === y.organization &&
    x.due === y.due &&
    x.status === y.status &&
    x.history.length === y.history.length &&
    x.history.every((update, i) => update.id === y.history[i]?.id)
  )
}

/** One step of the plan: who, which organization, when, how it goes; its update form and history. */
export const StepCard = memo(function StepCard(props: StepCardProps) {
  const { t } = useI18n()
  const { entry } = props
  const { item, step } = entry
  const titleId = useId()
  const dueText = useDueText(entry)
  const when = useWhen()
  const [open, setOpen] = useState(false)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const what = step.what || t('plan.emptyNote')
  const close = () => {
    setOpen(false)
    // Back where the person was, so the keyboard does not lose its place.
    requestAnimationFrame(() => toggleRef.current?.focus())
  }

  return (
    <li
      id={stepAnchor(item.issue, step.id)}
      className={`cg-progress-step cg-progress-step-${entry.state}`}
      data-step-id={step.id}
      data-state={entry.state}
    >
      <article aria-labelledby={titleId}>
        <h3 id={titleId} className="cg-progress-step-title">
          {what}
        </h3>
        <p className="cg-progress-step-issue">
          {t('progress.issue', { issue: item.title || t('plan.emptyNote') })}
        </p>
        <p className={`cg-due cg-due-${entry.state}`} data-testid="due">
          {step.due ? <time dateTime={step.due}>{dueText}</time> : dueText}
        </p>
        <dl className="cg-progress-facts">
          <div>
            <dt>{t('action.person')}</dt>
            <dd>{step.person || t('card.action.unassigned')}</dd>
          </div>
          <div>
            <dt>{t('action.organization')}</dt>
            <dd>
              {props.organizationName === null
                ? t('action.noOrganization')
                : props.organizationName || t('card.org.untitled')}
            </dd>
          </div>
          <div>
            <dt>{t('action.status')}</dt>
            <dd data-testid="step-status" data-status={step.status}>
              {t(`action.status.${step.status}`)}
            </dd>
          </div>
        </dl>
        <div className="cg-progress-last" data-testid="last-update">
          <h4>{t('progress.lastUpdate')}</h4>
          {step.lastUpdate ? (
            <UpdateText update={step.lastUpdate} when={when} />
          ) : (
            <p className="cg-hint">{t('progress.noUpdate')}</p>
          )}
        </div>
        {props.editable &&
          (open ? (
            <UpdateForm
              issue={item.issue}
              step={step}
              titleId={titleId}
              onDone={(posted) => {
                if (posted) props.announce(t('progress.form.posted', { step: what }))
                close()
              }}
            />
          ) : (
            <button
              ref={toggleRef}
              type="button"
              className="cg-button cg-progress-update-open"
              aria-label={t('progress.updateOn', { step: what })}
              onClick={() => setOpen(true)}
            >
              {t('progress.update')}
            </button>
          ))}
        {step.history.length > 0 && (
          <History
            issue={item.issue}
            step={step}
            when={when}
            facilitator={props.facilitator && props.editable}
          />
        )}
      </article>
    </li>
  )
}, sameCard)

export function UpdateText({ update, when }: { update: StepUpdate; when: (at: number) => string }) {
  const { t } = useI18n()
  return (
    <p className="cg-progress-update">
      <span className="cg-progress-update-meta">
        <strong>{t(`action.status.${update.status}`)}</strong>
        {' · '}
        {update.by}
        {', '}
        <time dateTime={new Date(update.at).toISOString()}>{when(update.at)}</time>
      </span>
      {update.note && <span className="cg-progress-update-note">{update.note}</span>}
    </p>
  )
}

/**
 * Status and one line, posted together (`postStepUpdate`: the history entry and the step's
 * status in one transaction). Posting needs the live connection: an update is stamped with the
 * server's time, and one that reached the server much later would be refused.
 */
export function UpdateForm(props: {
  issue: string
  step: ActionStep
  titleId: string
  onDone(posted: boolean): void
}) {
  const { t } = useI18n()
  const board = useBoardModel()
  const live = useValue('live', () => board.connection.status.get() === 'live', [board])
  const [status, setStatus] = useState<StepStatus>(props.step.status)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const statusId = useId()
  const noteId = useId()
  const hintId = useId()
  const errorId = useId()
  const full = props.step.history.length >= MAX_UPDATES_PER_STEP

  function submit(event: FormEvent) {
    event.preventDefault()
    const line = note.replace(/\s+/g, ' ').trim()
    if (status === props.step.status && line === '') {
      setError(t('progress.form.nothing'))
      return
    }
    if (full) {
      setError(t('progress.form.full', { max: MAX_UPDATES_PER_STEP }))
      return
    }
    if (!live) {
      setError(t('progress.form.needsConnection'))
      return
    }
    try {
      board.commands.postStepUpdate(props.issue, props.step.id, {
        status,
        note: line,
        by: board.identity.get().name.trim() || '—',
        at: serverNow(),
      })
    } catch (caught) {
      setError(t('progress.form.failed', { reason: (caught as Error).message }))
      return
    }
    props.onDone(true)
  }

  return (
    <form
      className="cg-progress-form"
      aria-labelledby={props.titleId}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onDone(false)
      }}
      noValidate
    >
      <div className="cg-progress-form-field">
        <label htmlFor={statusId}>{t('action.status')}</label>
        <select
          id={statusId}
          className="cg-select"
          value={status}
          // The form opens on the status: the first thing an owner changes.
          // biome-ignore lint/a11y/noAutofocus: opened on purpose by the button just pressed
          autoFocus
          onChange={(event) => {
            setStatus(event.target.value as StepStatus)
            setError(null)
          }}
        >
          {STEP_STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`action.status.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="cg-progress-form-field">
        <label htmlFor={noteId}>{t('progress.form.note')}</label>
        <input
          id={noteId}
          className="cg-input"
          value={note}
          maxLength={MAX_UPDATE_NOTE_LENGTH}
          enterKeyHint="send"
          autoComplete="off"
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error !== null}
          onChange={(event) => {
            setNote(event.target.value)
            setError(null)
          }}
        />
        <p id={hintId} className="cg-hint">
          {t('progress.form.noteHint', { max: MAX_UPDATE_NOTE_LENGTH })}
        </p>
      </div>
      <FormEnd
        error={error}
        errorId={errorId}
        submitLabel={t('progress.form.post')}
        cancel={{ label: t('progress.form.cancel'), onCancel: () => props.onDone(false) }}
      />
    </form>
  )
}

/** Every update of the step, newest first; facilitators may remove one. */
function History(props: {
  issue: string
  step: ActionStep
  when: (at: number) => string
  facilitator: boolean
}) {
  const { t } = useI18n()
  const board = useBoardModel()
  // Drawn only while open: 300 steps' histories would weigh on a phone's first paint.
  const [open, setOpen] = useState(false)
  const { step } = props
  return (
    <details
      className="cg-progress-history"
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t('progress.history', { count: step.history.length })}</summary>
      {open && (
        <ol>
          {step.history.map((update) => (
            <li key={update.id} data-update-id={update.id}>
              <UpdateText update={update} when={props.when} />
              {props.facilitator && (
                <button
                  type="button"
                  className="cg-link-button"
                  onClick={() => {
                    if (!window.confirm(t('progress.removeConfirm'))) return
                    board.commands.removeStepUpdate(props.issue, step.id, update.id)
                  }}
                >
                  {t('progress.removeUpdate', { date: props.when(update.at), by: update.by })}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </details>
  )
}
