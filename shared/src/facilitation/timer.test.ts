import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { personIdFor } from '../board/access.ts'
import { checkFacilitationWrite } from './facilitationRules.ts'
import {
  addTime,
  MAX_TIMER_MS,
  MINUTE_MS,
  pauseTimer,
  readTimer,
  roomTimerValidator,
  setTimer,
  startTimer,
  TIMER,
  timerEnded,
  timerRemaining,
} from './timer.ts'

const T0 = 1_700_000_000_000

describe('the room timer', () => {
  it('counts down from its start and stops at zero', () => {
    const running = startTimer(setTimer(5), T0)
    expect(timerRemaining(running, T0)).toBe(5 * MINUTE_MS)
    expect(timerRemaining(running, T0 + 90_000)).toBe(3.5 * MINUTE_MS)
    expect(timerEnded(running, T0 + 5 * MINUTE_MS - 1)).toBe(false)
    expect(timerRemaining(running, T0 + 6 * MINUTE_MS)).toBe(0)
    expect(timerEnded(running, T0 + 5 * MINUTE_MS)).toBe(true)
    // A start stamped slightly ahead of this clock reads as "just started", not more time.
    expect(timerRemaining(running, T0 - 2000)).toBe(5 * MINUTE_MS)
  })

  it('pauses, resumes, and a run-out countdown starts again from its length', () => {
    const paused = pauseTimer(startTimer(setTimer(2), T0), T0 + 30_000)
    expect(paused).toEqual({ durationMs: 120_000, startedAt: null, remainingMs: 90_000 })
    expect(timerRemaining(paused, T0 + 10 * MINUTE_MS)).toBe(90_000)
    expect(timerEnded(paused, T0 + 10 * MINUTE_MS)).toBe(false)
    const resumed = startTimer(paused, T0 + 60_000)
    expect(timerRemaining(resumed, T0 + 70_000)).toBe(80_000)
    // Starting what is already running changes nothing.
    expect(startTimer(resumed, T0 + 70_000)).toBe(resumed)
    const over = T0 + 10 * MINUTE_MS
    expect(timerRemaining(startTimer(resumed, over), over)).toBe(120_000)
  })

  it('adds a minute whether running, paused or run out', () => {
    const running = startTimer(setTimer(1), T0)
    const more = addTime(running, T0 + 20_000)
    expect(more).toEqual({ durationMs: 120_000, startedAt: T0 + 20_000, remainingMs: 100_000 })
    const paused = addTime(pauseTimer(running, T0 + 20_000), T0 + 50_000)
    expect(paused).toEqual({ durationMs: 120_000, startedAt: null, remainingMs: 100_000 })
    const late = addTime(running, T0 + 5 * MINUTE_MS)
    expect(timerRemaining(late, T0 + 5 * MINUTE_MS)).toBe(MINUTE_MS)
    expect(timerEnded(late, T0 + 5 * MINUTE_MS)).toBe(false)
  })

  it('refuses settings out of range', () => {
    expect(() => setTimer(0)).toThrow(RangeError)
    expect(() => setTimer(181)).toThrow(RangeError)
    expect(() => setTimer(Number.NaN)).toThrow(RangeError)
    expect(setTimer(180).durationMs).toBe(180 * MINUTE_MS)
  })

  it('validates stored values', () => {
    expect(readTimer(setTimer(3))).toEqual(setTimer(3))
    for (const bad of [
      null,
      'ten minutes',
      { durationMs: 60_000, startedAt: null },
      { durationMs: 60_000, startedAt: null, remainingMs: 70_000 },
      { durationMs: 60_000, startedAt: -1, remainingMs: 60_000 },
      { durationMs: 60_000, startedAt: 1.5, remainingMs: 60_000 },
      { durationMs: MAX_TIMER_MS + 1, startedAt: null, remainingMs: 1 },
      { durationMs: 500, startedAt: null, remainingMs: 0 },
      { durationMs: 60_000, startedAt: null, remainingMs: 60_000, extra: true },
    ]) {
      expect(readTimer(bad)).toBeNull()
      expect(() => roomTimerValidator.validate(bad)).toThrow()
    }
  })

  it('every sequence of controls keeps a valid timer whose time left never grows by itself', () => {
    const control = fc.oneof(
      fc.record({ kind: fc.constant('start' as const), after: fc.nat(20 * MINUTE_MS) }),
      fc.record({ kind: fc.constant('pause' as const), after: fc.nat(20 * MINUTE_MS) }),
      fc.record({ kind: fc.constant('add' as const), after: fc.nat(20 * MINUTE_MS) }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 180 }),
        fc.array(control, { maxLength: 30 }),
        (m, cs) => {
          let timer = setTimer(m)
          let now = T0
          for (const c of cs) {
            const before = timerRemaining(timer, now)
            now += c.after
            expect(timerRemaining(timer, now)).toBeLessThanOrEqual(before)
            timer =
              c.kind === 'start'
                ? startTimer(timer, now)
                : c.kind === 'pause'
                  ? pauseTimer(timer, now)
                  : addTime(timer, now)
            expect(readTimer(timer)).toEqual(timer)
          }
        },
      ),
    )
  })

  it('is written by facilitators only', () => {
    const me = personIdFor('ana-secret-ana-secret-ana', 'board-timer')
    const value = startTimer(setTimer(5), T0)
    const write = (role: 'facilitator' | 'participant') =>
      checkFacilitationWrite({ key: TIMER, after: value, actor: { role, personId: me } })
    expect(write('facilitator')).toEqual({ ok: true })
    expect(write('participant')).toMatchObject({ ok: false, reason: 'facilitators-only' })
    expect(
      checkFacilitationWrite({
        key: TIMER,
        after: { durationMs: -1 },
        actor: { role: 'facilitator', personId: me },
      }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
  })
})
