/**
 * The Progress view's "Check-ins" section: the one under way (its agenda), those coming up (the
 * due one with "Start check-in"), the form a facilitator schedules them with (30/60/90 days after
 * the retreat or a chosen date, or any date), and those held, each with what it kept. Only
 * facilitators schedule, rename, move, remove, start and finish (the server refuses anyone else);
 * everyone who may edit posts their step's line during one.
 */
import { META } from '@common-ground/shared/board'
import { formatDate } from '@common-ground/shared/export'
import {
  CHECK_IN_PRESET_DAYS,
  type CheckIn,
  checkInState,
  dueCheckIn,
  localDate,
  MAX_CHECK_INS,
  presetDates,
} from '@common-ground/shared/plan'
import { type FormEvent, useId, useMemo, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { CheckInAgenda } from './CheckInAgenda.tsx'
import { CheckInRecord } from './CheckInRecord.tsx'
import { useCheckInTitle } from './checkInTitle.ts'
import { FormEnd } from './FormEnd.tsx'

/** A board that already holds `MAX_CHECK_INS` check-ins; its message is for people. */
class FullError extends Error {}

export function CheckIns(props: { announce(text: string): void }) {
  const { t } = useI18n()
  const plan = usePlan()
  const { readOnly, facilitator } = useBoardAccess()
  const headingId = useId()
  const upcomingId = useId()
  const pastId = useId()
  const running = plan.checkIns.find((checkIn) => checkInState(checkIn) === 'running') ?? null
  const due = dueCheckIn(plan.checkIns)
  const upcoming = plan.checkIns.filter((checkIn) => checkInState(checkIn) === 'scheduled')
  // The latest held first: what the group remembers best.
  const past = plan.checkIns.filter((checkIn) => checkInState(checkIn) === 'finished').reverse()
  const mayRun = facilitator && !readOnly
  // Where the keyboard goes when what it was on goes away: the agenda a person just started, or
  // the section's heading once they finished it.
  const [startedHere, setStartedHere] = useState<string | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)

  return (
    <section aria-labelledby={headingId} className="cg-checkins" data-testid="check-ins">
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('checkIn.heading')}
      </h2>
      <p className="cg-hint">{t('checkIn.intro')}</p>
      {running && (
        <CheckInAgenda
          key={running.id}
          checkIn={running}
          mayRun={mayRun}
          editable={!readOnly}
          announce={props.announce}
          focusOnOpen={startedHere === running.id}
          onFinished={() => requestAnimationFrame(() => headingRef.current?.focus())}
        />
      )}
      <h3 id={upcomingId}>{t('checkIn.upcoming')}</h3>
      {upcoming.length === 0 ? (
        <p className="cg-hint">{t('checkIn.none')}</p>
      ) : (
        <ul className="cg-checkins-list" aria-labelledby={upcomingId}>
          {upcoming.map((checkIn) => (
            <ScheduledCheckIn
              key={checkIn.id}
              checkIn={checkIn}
              mayRun={mayRun}
              startable={!running && due?.id === checkIn.id}
              announce={props.announce}
              onStarted={() => setStartedHere(checkIn.id)}
            />
          ))}
        </ul>
      )}
      {mayRun && <ScheduleCheckIns count={plan.checkIns.length} announce={props.announce} />}
      <h3 id={pastId}>{t('checkIn.past')}</h3>
      {past.length === 0 ? (
        <p className="cg-hint">{t('checkIn.noneHeld')}</p>
      ) : (
        <ol className="cg-checkins-list" aria-labelledby={pastId}>
          {past.map((checkIn) => (
            <CheckInRecord key={checkIn.id} checkIn={checkIn} />
          ))}
        </ol>
      )}
    </section>
  )
}

/** A check-in coming up: its name and date; a facilitator's buttons to run, change or remove it. */
function ScheduledCheckIn(props: {
  checkIn: CheckIn
  mayRun: boolean
  startable: boolean
  announce(text: string): void
  onStarted(): void
}) {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const titleOf = useCheckInTitle()
  const { checkIn } = props
  const title = titleOf(checkIn)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const editRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()

  const start = () => {
    if (board.connection.status.get() !== 'live') {
      setError(t('checkIn.needsConnection'))
      return
    }
    try {
      board.commands.startCheckIn(checkIn.id, serverNow())
      props.announce(t('checkIn.startedAnnounce', { title }))
      props.onStarted()
    } catch (caught) {
      setError(t('checkIn.failed', { reason: (caught as Error).message }))
    }
  }

  return (
    <li className="cg-checkin" data-check-in-id={checkIn.id} data-state="scheduled">
      <p className="cg-checkin-title" id={titleId}>
        <strong>{title}</strong>
        {' · '}
        <time dateTime={checkIn.date}>{formatDate(locale, checkIn.date)}</time>
      </p>
      {props.mayRun &&
        (editing ? (
          <CheckInForm
            labelledBy={titleId}
            initial={checkIn}
            submitLabel={t('checkIn.save')}
            onSubmit={(value) => {
              if (value.title !== checkIn.title)
                board.commands.renameCheckIn(checkIn.id, value.title)
              if (value.date !== checkIn.date) board.commands.moveCheckIn(checkIn.id, value.date)
            }}
            onDone={() => {
              setEditing(false)
              requestAnimationFrame(() => editRef.current?.focus())
            }}
          />
        ) : (
          <div className="cg-checkin-actions">
            {props.startable && (
              <button
                type="button"
                className="cg-button cg-button-primary"
                aria-label={t('checkIn.startNamed', { title })}
                onClick={start}
              >
                {t('checkIn.start')}
              </button>
            )}
            <button
              ref={editRef}
              type="button"
              className="cg-button"
              aria-label={t('checkIn.editNamed', { title })}
              onClick={() => setEditing(true)}
            >
              {t('checkIn.edit')}
            </button>
            <button
              type="button"
              className="cg-button"
              aria-label={t('checkIn.removeNamed', { title })}
              onClick={() => {
                if (window.confirm(t('checkIn.removeConfirm')))
                  board.commands.removeCheckIn(checkIn.id)
              }}
            >
              {t('checkIn.remove')}
            </button>
          </div>
        ))}
      {error && (
        <p className="cg-error" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}

/** A date and a name: scheduling one check-in, or renaming and moving one. */
function CheckInForm(props: {
  labelledBy?: string
  initial?: { title: string; date: string }
  submitLabel: string
  onSubmit(value: { title: string; date: string }): void
  onDone?(): void
}) {
  const { t } = useI18n()
  const [date, setDate] = useState(props.initial?.date ?? '')
  const [title, setTitle] = useState(props.initial?.title ?? '')
  const [error, setError] = useState<string | null>(null)
  const dateId = useId()
  const titleId = useId()
  const hintId = useId()
  const errorId = useId()

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!date) {
      setError(t('checkIn.dateRequired'))
      return
    }
    try {
      props.onSubmit({ title: title.replace(/\s+/g, ' ').trim(), date })
    } catch (caught) {
      setError(
        caught instanceof FullError
          ? caught.message
          : t('checkIn.failed', { reason: (caught as Error).message }),
      )
      return
    }
    if (!props.initial) {
      setDate('')
      setTitle('')
    }
    setError(null)
    props.onDone?.()
  }

  return (
    <form
      className="cg-progress-form cg-checkin-form"
      aria-labelledby={props.labelledBy}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && props.onDone) props.onDone()
      }}
      noValidate
    >
      <div className="cg-progress-form-field">
        <label htmlFor={dateId}>{t('checkIn.date')}</label>
        <input
          id={dateId}
          type="date"
          className="cg-input"
          value={date}
          required
          aria-invalid={error !== null && !date}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => {
            setDate(event.target.value)
            setError(null)
          }}
        />
      </div>
      <div className="cg-progress-form-field">
        <label htmlFor={titleId}>{t('checkIn.title')}</label>
        <input
          id={titleId}
          className="cg-input"
          value={title}
          maxLength={200}
          autoComplete="off"
          aria-describedby={hintId}
          onChange={(event) => setTitle(event.target.value)}
        />
        <p id={hintId} className="cg-hint">
          {t('checkIn.titleHint')}
        </p>
      </div>
      <FormEnd
        error={error}
        errorId={errorId}
        submitLabel={props.submitLabel}
        {...(props.onDone
          ? { cancel: { label: t('checkIn.cancel'), onCancel: props.onDone } }
          : {})}
      />
    </form>
  )
}

/** A facilitator's scheduling: the 30/60/90-day presets from a date, or one check-in on any date. */
function ScheduleCheckIns(props: { count: number; announce(text: string): void }) {
  const { t } = useI18n()
  const board = useBoardModel()
  // The retreat's date is the day the board was made, on this facilitator's calendar.
  const retreatDate = useMemo(() => {
    const createdAt = board.connection.doc.getMap(META).get('createdAt')
    return typeof createdAt === 'number' ? localDate(createdAt, readerTimeZone()) : ''
  }, [board])
  const [from, setFrom] = useState(retreatDate)
  const [error, setError] = useState<string | null>(null)
  const headingId = useId()
  const fromId = useId()
  const fromHintId = useId()

  /** Throws, with words for people, what the server would refuse. */
  const schedule = (checkIns: { date: string; title: string }[]) => {
    if (props.count + checkIns.length > MAX_CHECK_INS)
      throw new FullError(t('checkIn.full', { max: MAX_CHECK_INS }))
    board.commands.scheduleCheckIns(checkIns)
  }

  return (
    <section className="cg-checkin-schedule" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('checkIn.schedule')}</h3>
      <form
        className="cg-progress-form cg-checkin-form"
        aria-labelledby={headingId}
        onSubmit={(event) => {
          event.preventDefault()
          if (!from) {
            setError(t('checkIn.dateRequired'))
            return
          }
          try {
            schedule(
              presetDates(from).map((date, i) => ({
                date,
                title: t('checkIn.presetTitle', { days: CHECK_IN_PRESET_DAYS[i] ?? 0 }),
              })),
            )
            setError(null)
          } catch (caught) {
            setError(
              caught instanceof FullError
                ? caught.message
                : t('checkIn.failed', { reason: (caught as Error).message }),
            )
          }
        }}
        noValidate
      >
        <div className="cg-progress-form-field">
          <label htmlFor={fromId}>{t('checkIn.presetFrom')}</label>
          <input
            id={fromId}
            type="date"
            className="cg-input"
            value={from}
            aria-describedby={fromHintId}
            onChange={(event) => {
              setFrom(event.target.value)
              setError(null)
            }}
          />
          <p id={fromHintId} className="cg-hint">
            {t('checkIn.presetFromHint')}
          </p>
        </div>
        <FormEnd error={error} submitLabel={t('checkIn.presetAdd')} />
      </form>
      <CheckInForm
        labelledBy={headingId}
        submitLabel={t('checkIn.add')}
        onSubmit={(value) => schedule([value])}
      />
    </section>
  )
}
