import { describe, expect, it } from 'vitest'
import { RateLimiter } from './limits.ts'

const HOUR = 3_600_000

describe('RateLimiter (board creation per address)', () => {
  it('lets the whole hourly budget through at once, then one every hour / N', () => {
    let now = 0
    const limiter = new RateLimiter(4, () => now)
    for (let i = 0; i < 4; i++) expect(limiter.take('10.0.0.1')).toBe(0)
    const wait = limiter.take('10.0.0.1')
    expect(wait).toBe(HOUR / 4)
    // Refused requests take nothing: the wait only shrinks.
    now += HOUR / 8
    expect(limiter.take('10.0.0.1')).toBe(HOUR / 8)
    now += HOUR / 8
    expect(limiter.take('10.0.0.1')).toBe(0)
    expect(limiter.take('10.0.0.1')).toBeGreaterThan(0)
  })

  it('keeps addresses apart', () => {
    const limiter = new RateLimiter(1, () => 0)
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBeGreaterThan(0)
    expect(limiter.take('b')).toBe(0)
  })

  it('never refills past the budget', () => {
    let now = 0
    const limiter = new RateLimiter(2, () => now)
    expect(limiter.take('a')).toBe(0)
    now += 10 * HOUR
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBeGreaterThan(0)
  })

  it('forgets addresses whose budget has refilled, so memory stays bounded', () => {
    let now = 0
    const limiter = new RateLimiter(60, () => now)
    for (let i = 0; i < 5000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`)
    expect(limiter.size).toBe(5000) // all used a token within the hour
    now += HOUR
    for (let i = 0; i < 5000; i++) limiter.take(`10.1.${i >> 8}.${i & 255}`)
    expect(limiter.size).toBeLessThan(5000 + 2048)
  })
})
