/**
 * The room's countdown: a chip everyone sees while a timer is set, and for facilitators the
 * controls (start a countdown of n minutes, pause, resume, add a minute, end). The time left is
 * computed from the shared value and the server's clock, never counted locally, so every screen
 * agrees. At zero: a short pulse (a colour change where motion is reduced), a polite
 * announcement, and, if this person turned it on, a soft chime.
 */
import {
  addTime,
  isTimerRunning,
  MAX_TIMER_MINUTES,
  MIN_TIMER_MINUTES,
  pauseTimer,
  type RoomTimer,
  setTimer,
  startTimer,
  timerRemaining,
} from '@common-ground/shared/facilitation'
import { useEffect, useReducer, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { clock } from '../vote/countdown.ts'
import { playChime, setTimerSound, timerSoundOn } from './chime.ts'
import { Disclosure } from './Disclosure.tsx'

/** How long the end pulse shows. */
const PULSE_MS = 4000

/** Time left, re-rendered exactly when the shown second changes (not on a fixed tick). */
function useTimeLeft(timer: RoomTimer | null): number {
  const [, tick] = useReducer((n: number) => n + 1, 0)
  const left = timer ? timerRemaining(timer, serverNow()) : 0
  useEffect(() => {
    if (!timer || !isTimerRunning(timer) || left <= 0) return
    const toNextSecond = left % 1000 || 1000
    const id = setTimeout(tick, toNextSecond + 2)
    return () => clearTimeout(id)
  })
  return left
}

export function TimerControl() {
  const { t } = useI18n()
  const board = useBoardModel()
  const timer = useValue('room timer', () => board.facilitation.timer.get(), [board])
  const left = useTimeLeft(timer)
  const { facilitator } = useBoardAccess()
  const running = timer !== null && isTimerRunning(timer)
  const ended = running && left === 0

  const [pulse, setPulse] = useState(false)
  const [announcement, setAnnouncement] = useState('')
  // The end is signalled only when this page sees the countdown cross zero, not on opening a
  // board whose timer ran out long ago.
  const previous = useRef<number | null>(null)
  useEffect(() => {
    const before = previous.current
    previous.current = running ? left : null
    if (!(running && before !== null && before > 0 && left === 0)) return
    setPulse(true)
    setAnnouncement(t('room.timeUp'))
    if (timerSoundOn()) playChime()
  }, [running, left, t])
  useEffect(() => {
    if (!timer) setPulse(false) // "End" stops the glow too
  }, [timer])
  useEffect(() => {
    if (!pulse) return
    const id = setTimeout(() => setPulse(false), PULSE_MS)
    return () => clearTimeout(id)
  }, [pulse])
  useEffect(() => {
    if (running && left > 0) setAnnouncement('')
  }, [running, left])

  const write = (next: RoomTimer | undefined) => board.commands.setRoomTimer(next ?? null)
  const shown = timer ? clock(left) : ''

  if (!timer && !facilitator) return <LiveRegion text={announcement} />
  return (
    <>
      <Disclosure
        className={`cg-timer${pulse ? ' cg-timer-pulse' : ''}`}
        buttonClassName="cg-timer-button"
        testId="room-timer"
        label={
          <>
            <TimerIcon />
            {timer && <span className="cg-visually-hidden">{t('room.timer')}: </span>}
            {timer ? (
              <span
                data-testid="timer-left"
                data-state={ended ? 'ended' : running ? 'running' : 'paused'}
              >
                {ended ? t('room.timeUp') : shown}
                {!running && <span className="cg-timer-paused"> · {t('room.timerPaused')}</span>}
              </span>
            ) : (
              t('room.timer')
            )}
          </>
        }
      >
        {(close) => (
          <>
            {facilitator && (
              <TimerForm
                timer={timer}
                running={running}
                ended={ended}
                write={(next) => write(next)}
                close={close}
              />
            )}
            <SoundChoice />
          </>
        )}
      </Disclosure>
      <LiveRegion text={announcement} />
    </>
  )
}

function TimerForm(props: {
  timer: RoomTimer | null
  running: boolean
  ended: boolean
  write(next: RoomTimer | undefined): void
  close(): void
}) {
  const { t } = useI18n()
  const { timer, running, ended, write } = props
  const [minutes, setMinutes] = useState('5')
  const [problem, setProblem] = useState(false)
  const startNew = (event: React.FormEvent) => {
    event.preventDefault()
    const value = Number(minutes)
    if (!Number.isInteger(value) || value < MIN_TIMER_MINUTES || value > MAX_TIMER_MINUTES) {
      setProblem(true)
      return
    }
    setProblem(false)
    write(startTimer(setTimer(value), serverNow()))
  }
  return (
    <>
      <form className="cg-room-row" onSubmit={startNew}>
        <label className="cg-timer-minutes">
          {t('room.timerMinutes')}
          <input
            type="number"
            inputMode="numeric"
            min={MIN_TIMER_MINUTES}
            max={MAX_TIMER_MINUTES}
            value={minutes}
            aria-invalid={problem}
            aria-describedby={problem ? 'cg-timer-problem' : undefined}
            onChange={(event) => setMinutes(event.target.value)}
          />
        </label>
        <button type="submit" className="cg-button">
          {t('room.timerStartNew')}
        </button>
      </form>
      {problem && (
        <p id="cg-timer-problem" className="cg-error" role="alert">
          {t('room.timerBadMinutes')}
        </p>
      )}
      {timer && (
        <div className="cg-room-row">
          {running && !ended ? (
            <button
              type="button"
              className="cg-button"
              onClick={() => write(pauseTimer(timer, serverNow()))}
            >
              {t('room.timerPause')}
            </button>
          ) : (
            !ended && (
              <button
                type="button"
                className="cg-button"
                onClick={() => write(startTimer(timer, serverNow()))}
              >
                {t('room.timerResume')}
              </button>
            )
          )}
          <button
            type="button"
            className="cg-button"
            aria-label={t('room.timerAddMinuteLong')}
            onClick={() => write(addTime(timer, serverNow()))}
          >
            {t('room.timerAddMinute')}
          </button>
          <button
            type="button"
            className="cg-button"
            onClick={() => {
              write(undefined)
              props.close()
            }}
          >
            {t('room.timerEnd')}
          </button>
        </div>
      )}
    </>
  )
}

function SoundChoice() {
  const { t } = useI18n()
  const [on, setOn] = useState(timerSoundOn)
  return (
    <label className="cg-room-check">
      <input
        type="checkbox"
        checked={on}
        onChange={(event) => {
          setTimerSound(event.target.checked)
          setOn(event.target.checked)
        }}
      />
      {t('room.timerSound')}
    </label>
  )
}

/** Always in the page, so that a change of its text is announced. */
function LiveRegion(props: { text: string }) {
  return (
    <span className="cg-visually-hidden" aria-live="polite" data-testid="timer-announcement">
      {props.text}
    </span>
  )
}

/** A small stopwatch drawn inline (an emoji may have no glyph on the venue's machines). */
function TimerIcon() {
  return (
    <svg className="cg-timer-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <circle cx="8" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 9V6M6.5 1.5h3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  )
}
