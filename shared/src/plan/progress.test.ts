import { describe, expect, it } from 'vitest'
import type { ActionPlanItem, ActionStep } from './actionPlan.ts'
import { derivePlan } from './derivePlan.ts'
import { sampleRetreatBoard } from './fixtures.ts'
import { DUE_SOON_DAYS, daysBetween, dueState, localDate, progressOf } from './progress.ts'

const step = (due: string | null, status: ActionStep['status'] = 'in-progress') => ({ due, status })

describe('localDate', () => {
  it('is the calendar date in the reader’s time zone', () => {
    // 02:00 UTC on 10 March 2026.
    const instant = Date.UTC(2026, 2, 10, 2, 0)
    expect(localDate(instant, 'UTC')).toBe('2026-03-10')
    expect(localDate(instant, 'Europe/Madrid')).toBe('2026-03-10')
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-03-09')
    expect(localDate(instant, 'America/Mexico_City')).toBe('2026-03-09')
    expect(localDate(instant, 'Pacific/Kiritimati')).toBe('2026-03-10')
    expect(localDate(instant, 'Pacific/Pago_Pago')).toBe('2026-03-09')
    expect(localDate(new Date(instant), 'Asia/Kolkata')).toBe('2026-03-10')
  })

  it('follows daylight saving time and zones a day apart', () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: two dates at once.
    const noonUtc = Date.UTC(2026, 11, 31, 11, 0)
    expect(localDate(noonUtc, 'Pacific/Kiritimati')).toBe('2027-01-01')
    expect(localDate(noonUtc, 'Pacific/Pago_Pago')).toBe('2026-12-31')
    // New York springs forward on 8 March 2026: 04:30 UTC is 23:30 on the 7th (EST), and a day
    // later 04:30 UTC is 00:30 on the 9th (EDT).
    expect(localDate(Date.UTC(2026, 2, 8, 4, 30), 'America/New_York')).toBe('2026-03-07')
    expect(localDate(Date.UTC(2026, 2, 9, 4, 30), 'America/New_York')).toBe('2026-03-09')
  })

  it('refuses a zone that does not exist', () => {
    expect(() => localDate(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})

describe('dueState', () => {
  it('is the same step overdue in Madrid and due today in Los Angeles', () => {
    const instant = Date.UTC(2026, 2, 10, 2, 0)
    const dueOn9th = step('2026-03-09')
    expect(dueState(dueOn9th, instant, 'Europe/Madrid')).toBe('overdue')
    expect(dueState(dueOn9th, instant, 'UTC')).toBe('overdue')
    expect(dueState(dueOn9th, instant, 'America/Los_Angeles')).toBe('due-soon')
    expect(dueState(dueOn9th, instant, 'Pacific/Pago_Pago')).toBe('due-soon')
  })

  it('counts due soon from today to DUE_SOON_DAYS days ahead, in the reader’s zone', () => {
    // 23:30 on 1 June in Los Angeles is already 2 June in UTC.
    const instant = Date.UTC(2026, 5, 2, 6, 30)
    const zone = 'America/Los_Angeles'
    expect(localDate(instant, zone)).toBe('2026-06-01')
    expect(dueState(step('2026-05-31'), instant, zone)).toBe('overdue')
    expect(dueState(step('2026-06-01'), instant, zone)).toBe('due-soon')
    expect(dueState(step(`2026-06-0${1 + DUE_SOON_DAYS}`), instant, zone)).toBe('due-soon')
    expect(dueState(step(`2026-06-0${2 + DUE_SOON_DAYS}`), instant, zone)).toBe('later')
    // In UTC the same instant is a day later: the window moves with it.
    expect(dueState(step('2026-06-01'), instant, 'UTC')).toBe('overdue')
    expect(dueState(step(`2026-06-0${2 + DUE_SOON_DAYS}`), instant, 'UTC')).toBe('due-soon')
    expect(dueState(step('2026-06-03'), instant, zone, 1)).toBe('later')
  })

  it('is done whatever the date, and undated without one', () => {
    const instant = Date.UTC(2026, 2, 10)
    expect(dueState(step('2020-01-01', 'done'), instant, 'UTC')).toBe('done')
    expect(dueState(step(null, 'done'), instant, 'UTC')).toBe('done')
    expect(dueState(step(null, 'blocked'), instant, 'UTC')).toBe('undated')
    expect(dueState(step('2020-01-01', 'blocked'), instant, 'UTC')).toBe('overdue')
  })

  it('crosses months, years and leap days', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
    expect(daysBetween('2027-01-01', '2026-12-25')).toBe(-7)
    const newYearsEve = Date.UTC(2026, 11, 31, 20, 0)
    expect(dueState(step('2027-01-07'), newYearsEve, 'UTC')).toBe('due-soon')
    expect(dueState(step('2027-01-08'), newYearsEve, 'UTC')).toBe('later')
    // Already 1 January in Auckland: the 7th is 6 days off, the 8th due soon too.
    expect(dueState(step('2027-01-08'), newYearsEve, 'Pacific/Auckland')).toBe('due-soon')
  })
})

describe('progressOf', () => {
  const plan = derivePlan(
    sampleRetreatBoard({ organizations: 3, intersections: 1, issues: 6, steps: 24, updates: 3 }),
  )
  // 20 May 2026: the sample's steps are due on the 15th of each month of 2026.
  const now = Date.UTC(2026, 4, 20, 12)

  it('lists overdue first (longest overdue first), then due soon, later, undated and done', () => {
    const progress = progressOf(plan, now, 'UTC')
    expect(progress.today).toBe('2026-05-20')
    const states = progress.steps.map((entry) => entry.state)
    const rank = { overdue: 0, 'due-soon': 1, later: 2, undated: 3, done: 4 }
    for (let i = 1; i < states.length; i++)
      expect(rank[states[i - 1] as keyof typeof rank]).toBeLessThanOrEqual(
        rank[states[i] as keyof typeof rank],
      )
    const overdue = progress.steps.filter((entry) => entry.state === 'overdue')
    expect(overdue.length).toBeGreaterThan(0)
    expect(overdue.map((entry) => entry.step.due)).toEqual(
      overdue.map((entry) => entry.step.due).sort(),
    )
    expect(overdue[0]?.daysLeft).toBe(daysBetween('2026-05-20', overdue[0]?.step.due as string))
    expect(progress.steps).toHaveLength(24)
    expect(Object.values(progress.counts).reduce((a, b) => a + b, 0)).toBe(24)
    expect(progress.counts.done).toBe(6)
  })

  it('groups the steps and what each organization takes on, in the plan’s organization order', () => {
    const progress = progressOf(plan, now, 'UTC')
    expect(progress.organizations.map((entry) => entry.organization)).toEqual(
      plan.organizations.map((organization) => organization.id),
    )
    for (const entry of progress.organizations) {
      expect(entry.steps.every((s) => s.step.organization === entry.organization)).toBe(true)
      expect(entry.commitments.every((c) => c.commitment.organization === entry.organization)).toBe(
        true,
      )
      expect(entry.counts.done).toBe(entry.steps.filter((s) => s.state === 'done').length)
    }
    expect(progress.organizations.flatMap((entry) => entry.steps)).toHaveLength(24)
  })

  it('puts steps of no organization and of a card since deleted after the plan’s own', () => {
    const item = plan.actionPlan[0] as ActionPlanItem
    const base = item.steps[0] as ActionStep
    const edited = {
      organizations: plan.organizations,
      actionPlan: [
        {
          ...item,
          steps: [
            { ...base, id: 'x1', organization: null },
            { ...base, id: 'x2', organization: 'shape:gone' },
            { ...base, id: 'x3' },
          ],
        },
      ],
    }
    const groups = progressOf(edited, now, 'UTC').organizations
    expect(groups.map((entry) => entry.organization).slice(-2)).toEqual(['shape:gone', null])
  })
})
