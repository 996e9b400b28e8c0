/**
 * How the action plan is going, as the Progress view shows it: each step's due state on the
 * viewer's calendar (`dueState`), the steps that need attention first (`progressOf`), and each
 * organization's commitments with its steps ("our commitments").
 *
 * Due dates are calendar dates (`yyyy-mm-dd`) with no time zone: a step due on the 9th is due all
 * of the 9th wherever the reader is. "Today" is the reader's date, so it depends on their time
 * zone: at 02:00 UTC on the 10th, a step due on the 9th is overdue in Madrid and due today in Los
 * Angeles.
 */
import { type ActionPlanItem, type ActionStep, type Commitment, compareCode } from './actionPlan.ts'
import type { PartnershipPlan } from './partnershipPlan.ts'

/** A step due within this many days from today (today included) is "due soon". */
export const DUE_SOON_DAYS = 7

/**
 * - `done`: its status is done (whatever the date);
 * - `overdue`: its due date is before today;
 * - `due-soon`: due today or within `DUE_SOON_DAYS` days;
 * - `later`: due after that;
 * - `undated`: no due date.
 */
export type DueState = 'done' | 'overdue' | 'due-soon' | 'later' | 'undated'
export const DUE_STATES: readonly DueState[] = ['overdue', 'due-soon', 'later', 'undated', 'done']

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The calendar date (`yyyy-mm-dd`) it is at `now` in `timeZone` (an IANA name such as
 * `America/Los_Angeles`, or `UTC`). Throws a RangeError for a zone the runtime does not know.
 */
export function localDate(now: number | Date, timeZone: string): string {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      calendar: 'gregory',
      numberingSystem: 'latn',
    })
    formatters.set(timeZone, format)
  }
  const parts = format.formatToParts(typeof now === 'number' ? new Date(now) : now)
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`
}

/** Whole days from one `yyyy-mm-dd` date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** A step's due state for a reader whose clock says `now` in `timeZone`. */
export function dueState(
  step: Pick<ActionStep, 'due' | 'status'>,
  now: number | Date,
  timeZone: string,
  soonDays: number = DUE_SOON_DAYS,
): DueState {
  if (step.status === 'done') return 'done'
  if (!step.due) return 'undated'
  const days = daysBetween(localDate(now, timeZone), step.due)
  if (days < 0) return 'overdue'
  return days <= soonDays ? 'due-soon' : 'later'
}

export interface ProgressStep {
  item: ActionPlanItem
  step: ActionStep
  state: DueState
  /** Days from today to the due date (negative: overdue by that many); null without a date. */
  daysLeft: number | null
}

export interface OrganizationProgress {
  /** An organization card's id; null for the steps no organization is responsible for. */
  organization: string | null
  /** What it takes on, per issue (only where it wrote something). */
  commitments: { item: ActionPlanItem; commitment: Commitment }[]
  /** Its steps, in the order of `Progress.steps`. */
  steps: ProgressStep[]
  /** How many of its steps are in each state. */
  counts: Record<DueState, number>
}

export interface Progress {
  /** Today for the reader (`yyyy-mm-dd`). */
  today: string
  /** Every step, overdue first (longest overdue first), then due soon, later, undated, done. */
  steps: ProgressStep[]
  counts: Record<DueState, number>
  /** The plan's organizations in its order, then "no organization" when any step has none. */
  organizations: OrganizationProgress[]
}

const STATE_RANK: Record<DueState, number> = {
  overdue: 0,
  'due-soon': 1,
  later: 2,
  undated: 3,
  done: 4,
}

const noCounts = (): Record<DueState, number> => ({
  overdue: 0,
  'due-soon': 0,
  later: 0,
  undated: 0,
  done: 0,
})

/** The plan's steps as the Progress view lists them, for a reader at `now` in `timeZone`. */
export function progressOf(
  plan: Pick<PartnershipPlan, 'actionPlan' | 'organizations'>,
  now: number | Date,
  timeZone: string,
): Progress {
  const today = localDate(now, timeZone)
  const steps: ProgressStep[] = []
  for (const item of plan.actionPlan) {
    for (const step of item.steps) {
      steps.push({
        item,
        step,
        state: dueState(step, now, timeZone),
        daysLeft: step.due ? daysBetween(today, step.due) : null,
      })
    }
  }
  // Stable: within a state and a date, the plan's order (issues by rank, steps in order).
  steps.sort(
    (a, b) =>
      STATE_RANK[a.state] - STATE_RANK[b.state] || compareCode(a.step.due ?? '', b.step.due ?? ''),
  )
  const counts = noCounts()
  for (const entry of steps) counts[entry.state]++

  const byOrganization = new Map<string | null, OrganizationProgress>()
  const group = (organization: string | null) => {
    let found = byOrganization.get(organization)
    if (!found) {
      found = { organization, commitments: [], steps: [], counts: noCounts() }
      byOrganization.set(organization, found)
    }
    return found
  }
  for (const organization of plan.organizations) group(organization.id)
  for (const item of plan.actionPlan) {
    for (const commitment of item.commitments) {
      if (commitment.takesOn.trim() === '') continue
      group(commitment.organization).commitments.push({ item, commitment })
    }
  }
  for (const entry of steps) {
    const found = group(entry.step.organization)
    found.steps.push(entry)
    found.counts[entry.state]++
  }
  const known = new Set(plan.organizations.map((organization) => organization.id))
  const organizations = [...byOrganization.values()].filter(
    (entry) => entry.steps.length > 0 || entry.commitments.length > 0,
  )
  // Cards since deleted, then no organization, after the plan's own.
  const rank = (entry: OrganizationProgress) =>
    entry.organization === null ? 2 : known.has(entry.organization) ? 0 : 1
  organizations.sort((a, b) => rank(a) - rank(b))
  return { today, steps, counts, organizations }
}
