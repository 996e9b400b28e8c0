import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { trackIdle } from './activity.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('trackIdle', () => {
  it('reports idle after the quiet period and active again on the next key or pointer', () => {
    const target = new EventTarget()
    const changes: boolean[] = []
    const stop = trackIdle((idle) => changes.push(idle), { target, idleAfterMs: 1000 })
    vi.advanceTimersByTime(900)
    target.dispatchEvent(new Event('pointermove')) // activity re-arms the timer
    vi.advanceTimersByTime(900)
    expect(changes).toEqual([])
    vi.advanceTimersByTime(200)
    expect(changes).toEqual([true])
    target.dispatchEvent(new Event('keydown'))
    target.dispatchEvent(new Event('pointermove'))
    expect(changes).toEqual([true, false])
    stop()
    vi.advanceTimersByTime(5000)
    target.dispatchEvent(new Event('keydown'))
    expect(changes).toEqual([true, false])
  })
})
