import { describe, expect, it } from 'vitest'
import {
  REPLY_BURST_BYTES,
  REPLY_BYTES_PER_SECOND,
  REPLY_FREE,
  REPLY_MIN_BYTES,
  ReplyBudget,
} from './limits.ts'

const MiB = 1024 * 1024

describe('ReplyBudget (sync step 1 and awareness queries)', () => {
  it('always answers the first requests, even a whole 64 MiB board and the query after it', () => {
    const budget = new ReplyBudget(0)
    expect(budget.allows(0)).toBe(true)
    budget.charge(64 * MiB, 0) // the board
    expect(budget.allows(0)).toBe(true)
    budget.charge(2_000, 0) // everyone's presence
    // A client asking again and again gets its free answers, then waits for the balance.
    for (let i = 2; i < REPLY_FREE; i++) {
      expect(budget.allows(0)).toBe(true)
      budget.charge(64 * MiB, 0)
    }
    expect(budget.allows(0)).toBe(false)
    const debt = REPLY_FREE - 1 // boards charged, minus the burst it started with
    const refillMs = ((debt * 64 * MiB - REPLY_BURST_BYTES) / REPLY_BYTES_PER_SECOND) * 1000
    expect(budget.allows(refillMs - 1000)).toBe(false)
    expect(budget.allows(refillMs + 1000)).toBe(true)
  })

  it('charges small replies at least REPLY_MIN_BYTES, so a small board cannot be asked forever', () => {
    const budget = new ReplyBudget(0)
    let answered = 0
    while (budget.allows(0) && answered < 100_000) {
      budget.charge(100, 0)
      answered++
    }
    expect(answered).toBe(REPLY_BURST_BYTES / REPLY_MIN_BYTES) // the free ones are charged too
    // It refills: a resync a second later is answered.
    expect(budget.allows(1000)).toBe(true)
  })

  it('never runs dry for a client that asks once, queries once and resyncs now and then', () => {
    const budget = new ReplyBudget(0)
    budget.charge(800_000, 0) // a well-used retreat board
    budget.charge(4_000, 0) // everyone's presence
    for (let t = 1_000; t < 600_000; t += 1_000) {
      expect(budget.allows(t)).toBe(true)
      budget.charge(300, t) // y-websocket's `resyncInterval` of one second, nothing new
    }
  })
})
