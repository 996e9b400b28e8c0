/**
 * The room's shared countdown: one facilitator-only key of the facilitation map. Times are in
 * server milliseconds (clients read the server's clock, see client/src/sync/serverClock.ts), so
 * every screen shows the same time left whatever its own clock says.
 *
 * A running timer stores when it was (re)started and how much was left then; a paused one stores
 * what is left. Nothing ticks in the document: each client computes the time left from `now`.
 */
import { T } from '@tldraw/validate'

/** Facilitator-only key of the facilitation map. */
export const TIMER = 'timer'

export const MINUTE_MS = 60_000
/** The longest countdown: a long session, with room for added minutes. */
export const MAX_TIMER_MS = 12 * 60 * MINUTE_MS
/** Minutes a facilitator may set in one go. */
export const MIN_TIMER_MINUTES = 1
export const MAX_TIMER_MINUTES = 180

export interface RoomTimer {
  /** The length as set, plus any minutes added since: what a full countdown means. */
  durationMs: number
  /** When it was last started or resumed (server ms); null while paused or not yet started. */
  startedAt: number | null
  /** Time left at `startedAt` while running; time left, frozen, while paused. */
  remainingMs: number
}

const milliseconds = (min: number) =>
  T.integer.check((value) => {
    if (value < min || value > MAX_TIMER_MS)
      throw new T.ValidationError(`Expected ${min} to ${MAX_TIMER_MS} milliseconds`)
  })

export const roomTimerValidator: T.Validator<RoomTimer> = T.object({
  durationMs: milliseconds(1000),
  startedAt: T.nullable(
    T.number.check((value) => {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new T.ValidationError('Expected a time in milliseconds')
    }),
  ),
  remainingMs: milliseconds(0),
}).check((timer) => {
  if (timer.remainingMs > timer.durationMs)
    throw new T.ValidationError('Expected no more time left than the timer was set for')
})

/** The timer of a facilitation map value; null when none or malformed. */
export function readTimer(value: unknown): RoomTimer | null {
  try {
    return roomTimerValidator.validate(value)
  } catch {
    return null
  }
}

export function isTimerRunning(timer: RoomTimer): boolean {
  return timer.startedAt !== null
}

/** Milliseconds left at `now` (server ms); never below zero. */
export function timerRemaining(timer: RoomTimer, now: number): number {
  if (timer.startedAt === null) return timer.remainingMs
  // A start stamped a little ahead of this clock (another estimate of server time) is "just now".
  const elapsed = Math.max(0, now - timer.startedAt)
  return Math.max(0, timer.remainingMs - elapsed)
}

/** Whether a running countdown has reached zero. */
export function timerEnded(timer: RoomTimer, now: number): boolean {
  return isTimerRunning(timer) && timerRemaining(timer, now) === 0
}

/** A new countdown of `minutes`, not started. */
export function setTimer(minutes: number): RoomTimer {
  const whole = Math.round(minutes)
  if (!Number.isFinite(whole) || whole < MIN_TIMER_MINUTES || whole > MAX_TIMER_MINUTES) {
    throw new RangeError(`a timer is ${MIN_TIMER_MINUTES} to ${MAX_TIMER_MINUTES} minutes`)
  }
  const durationMs = whole * MINUTE_MS
  return { durationMs, startedAt: null, remainingMs: durationMs }
}

/** Starts or resumes at `now`; a countdown that ran out starts again from its full length. */
export function startTimer(timer: RoomTimer, now: number): RoomTimer {
  if (isTimerRunning(timer) && !timerEnded(timer, now)) return timer
  const left = timerRemaining(timer, now)
  return { ...timer, startedAt: now, remainingMs: left > 0 ? left : timer.durationMs }
}

/** Freezes the time left at `now`. */
export function pauseTimer(timer: RoomTimer, now: number): RoomTimer {
  if (!isTimerRunning(timer)) return timer
  return { ...timer, startedAt: null, remainingMs: timerRemaining(timer, now) }
}

/** Adds time (a minute by default), running or not; a countdown that ran out gets going again. */
export function addTime(timer: RoomTimer, now: number, ms: number = MINUTE_MS): RoomTimer {
  const durationMs = Math.min(MAX_TIMER_MS, timer.durationMs + ms)
  const remainingMs = Math.min(durationMs, timerRemaining(timer, now) + ms)
  return { durationMs, startedAt: isTimerRunning(timer) ? now : null, remainingMs }
}
