import { describe, expect, it } from 'vitest'
import { DEFAULT_RECONNECT_POLICY, reconnectDelay } from './reconnectPolicy.ts'
import { CLOSE, isPermanentClose } from './wire.ts'

describe('reconnect policy', () => {
  it('doubles the window each attempt up to the cap', () => {
    const upper = (attempt: number) => reconnectDelay(attempt, () => 1)
    expect([0, 1, 2, 3, 4, 5, 50].map(upper)).toEqual([250, 500, 1000, 2000, 2500, 2500, 2500])
  })

  it('never retries sooner than the floor', () => {
    const lower = (attempt: number) => reconnectDelay(attempt, () => 0)
    expect([0, 1, 5, 50].map(lower)).toEqual([100, 100, 100, 100])
  })

  it('spreads clients over the whole window instead of syncing them up', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const delays = Array.from({ length: 200 }, () => reconnectDelay(5, random))
    const { maxMs, minMs } = DEFAULT_RECONNECT_POLICY
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(minMs)
    expect(Math.max(...delays)).toBeLessThanOrEqual(maxMs)
    // Both halves of the window are used, and 200 clients land in at least 150 distinct ms.
    expect(delays.filter((d) => d < maxMs / 2).length).toBeGreaterThan(50)
    expect(delays.filter((d) => d >= maxMs / 2).length).toBeGreaterThan(50)
    expect(new Set(delays).size).toBeGreaterThan(150)
  })

  it('treats only 4400-4499 as permanent', () => {
    // 4008 (send buffer full) and 4029 (too many updates / sync requests) are retried.
    expect([1000, 1006, 1011, 1012, 4008, 4029, 4399, 4500].some(isPermanentClose)).toBe(false)
    expect([4400, 4401, 4403, 4499].every(isPermanentClose)).toBe(true)
  })

  it('stops retrying on an unknown board', () => {
    expect(CLOSE.boardNotFound).toBe(4404)
    expect(isPermanentClose(CLOSE.boardNotFound)).toBe(true)
  })
})
