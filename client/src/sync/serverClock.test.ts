import { describe, expect, it } from 'vitest'
import { estimateOffset } from './serverClock.ts'

describe('estimateOffset', () => {
  it('assumes the server read its clock halfway through the round trip', () => {
    // Local monotonic 1000 → 1040; server said 5_000_020: offset = 5_000_020 - 1020.
    expect(estimateOffset([{ sentAt: 1000, receivedAt: 1040, serverTime: 5_000_020 }])).toEqual({
      offset: 4_999_000,
      roundTrip: 40,
    })
  })

  it('keeps the median of the quickest trips, so one slow or odd answer does not move it', () => {
    const quick = (at: number, offset: number, trip = 10) => ({
      sentAt: at,
      receivedAt: at + trip,
      serverTime: at + trip / 2 + offset,
    })
    const estimate = estimateOffset([
      quick(0, 300_000),
      quick(100, 300_004),
      // A trip delayed on the way back: its midpoint lies, but its round trip gives it away.
      { sentAt: 200, receivedAt: 1200, serverTime: 210 + 300_000 },
      quick(1300, 299_998),
      quick(1400, 300_002, 12),
    ])
    expect(estimate?.offset).toBe(300_000)
    expect(estimate?.roundTrip).toBe(10)
  })

  it('ignores unusable samples and gives null when none is left', () => {
    expect(estimateOffset([])).toBeNull()
    expect(
      estimateOffset([
        { sentAt: 10, receivedAt: 5, serverTime: 1 },
        { sentAt: 0, receivedAt: 5, serverTime: Number.NaN },
      ]),
    ).toBeNull()
  })
})
