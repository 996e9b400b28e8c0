import { describe, expect, it } from 'vitest'
import { boardWith, organizationCard, putRecords } from './fixtures.ts'
import { LivePlan } from './livePlan.ts'
import type { PartnershipPlan } from './partnershipPlan.ts'
import { setPlanEntry } from './planData.ts'

/** A hand-driven clock and timer queue. */
function fakeTime() {
  let now = 0
  const timers = new Map<number, { at: number; run: () => void }>()
  let next = 1
  return {
    now: () => now,
    setTimer: (run: () => void, ms: number) => {
      const id = next++
      timers.set(id, { at: now + ms, run })
      return id
    },
    clearTimer: (id: unknown) => {
      timers.delete(id as number)
    },
    advance(ms: number) {
      const until = now + ms
      for (;;) {
        const due = [...timers]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].run()
      }
      now = until
    },
    pending: () => timers.size,
  }
}

describe('LivePlan', () => {
  it('derives lazily, then at most once per interval however many updates arrive', () => {
    const time = fakeTime()
    const doc = boardWith([])
    const live = new LivePlan(doc, { throttleMs: 200, ...time })
    const seen: PartnershipPlan[] = []
    live.subscribe((plan) => seen.push(plan))
    expect(live.get().organizations).toEqual([])
    expect(live.derivations).toBe(1)

    for (let i = 0; i < 50; i++) {
      putRecords(doc, [organizationCard(`org${i}`, { name: `Org ${i}` })])
      time.advance(2) // 50 updates in 100 ms
    }
    expect(live.derivations).toBe(1) // the first interval has not passed yet
    time.advance(100)
    expect(live.derivations).toBe(2)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.organizations).toHaveLength(50) // the last edit is in
    expect(live.get()).toBe(seen[0])
    expect(time.pending()).toBe(0)
  })

  it('an edit after a quiet spell shows at once', () => {
    const time = fakeTime()
    const doc = boardWith([])
    const live = new LivePlan(doc, { throttleMs: 200, ...time })
    live.get()
    time.advance(1000)
    setPlanEntry(doc, 'community/needs', 'Childcare')
    time.advance(0)
    expect(live.get().community.needs).toBe('Childcare')
    expect(live.derivations).toBe(2)
  })

  it('with nobody listening, updates only mark it stale; get() derives the doc as it is now', () => {
    const time = fakeTime()
    const doc = boardWith([])
    const live = new LivePlan(doc, { throttleMs: 200, ...time })
    live.get()
    for (let i = 0; i < 20; i++) putRecords(doc, [organizationCard(`org${i}`)])
    time.advance(1000)
    expect(time.pending()).toBe(0)
    expect(live.derivations).toBe(1)
    // An export right after a write gets that write, without waiting for an interval.
    setPlanEntry(doc, 'community/needs', 'Transport')
    expect(live.get().community.needs).toBe('Transport')
    expect(live.get().organizations).toHaveLength(20)
    expect(live.derivations).toBe(2)
  })

  it('re-words the plan when the language changes, and stops when destroyed', () => {
    const time = fakeTime()
    const doc = boardWith([])
    const live = new LivePlan(doc, { ...time })
    expect(live.get().readiness[0]?.question).toMatch(/^Do /)
    live.setLocale('es')
    expect(live.get().readiness[0]?.question).toMatch(/^¿/)
    live.destroy()
    putRecords(doc, [organizationCard('late')])
    time.advance(10_000)
    expect(live.get().organizations).toEqual([])
    expect(time.pending()).toBe(0)
  })
})
