/**
 * Check-ins: short meetings after the retreat, scheduled by a facilitator (30/60/90 days after the
 * retreat, or any dates) and run from the Progress view as a guided agenda. One plan key per field
 * of a check-in, so renaming one while someone else notes its decisions loses neither:
 *
 * | key | value |
 * |-----|-------|
 * | `followUp/checkIns/<id>/title` | its name, one line (≤ 200; '' reads as "Check-in") |
 * | `followUp/checkIns/<id>/date` | the day it is held, `yyyy-mm-dd`; the check-in exists while this key does |
 * | `followUp/checkIns/<id>/startedAt` | when "Start check-in" was pressed (ms, server clock) |
 * | `followUp/checkIns/<id>/finishedAt` | when "Finish check-in" was pressed (ms, server clock) |
 * | `followUp/checkIns/<id>/attended` | who attended, by name (≤ 100 distinct names of 1–200 characters, trimmed) |
 * | `followUp/checkIns/<id>/blockers`, `…/decisions` | text (≤ 4000) |
 *
 * Steps reviewed are not stored here: owners post ordinary step updates (stepUpdates.ts) during
 * the check-in, and a check-in's updates are the ones posted while it ran (`at` from `startedAt`
 * to `finishedAt`), see `checkInUpdates`. So a line posted from the Progress view during the
 * meeting is at once the step's last update and part of the check-in's record.
 *
 * Who may write what (the server's write review, checkInEdits.ts): facilitators only.
 */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import {
  type ActionPlanItem,
  type ActionStep,
  compareCode,
  isoDateValidator,
  type StepUpdate,
} from './actionPlan.ts'
import type { Indicator } from './evaluation.ts'
import type { IndicatorValue } from './indicatorValue.ts'

/** Check-ins one board keeps at most (monthly for four years). */
export const MAX_CHECK_INS = 50
/** Names one check-in's attendance keeps at most. */
export const MAX_ATTENDEES = 100
/** The presets a facilitator schedules in one go: days after the retreat (or a chosen date). */
export const CHECK_IN_PRESET_DAYS = [30, 60, 90] as const

export const CHECK_IN_FIELDS = [
  'title',
  'date',
  'startedAt',
  'finishedAt',
  'attended',
  'blockers',
  'decisions',
] as const
export type CheckInField = (typeof CHECK_IN_FIELDS)[number]

/**
 * The agenda of a running check-in, in order. The Progress view draws one section per id; a
 * section added here (e.g. indicators updated, after `steps`) slots in without touching the rest.
 */
export const CHECK_IN_SECTIONS = [
  'attendance',
  'steps',
  'indicators',
  'blockers',
  'decisions',
] as const
export type CheckInSection = (typeof CHECK_IN_SECTIONS)[number]

const ID = '[A-Za-z0-9_-]{1,64}'
const CHECK_IN_ID = new RegExp(`^${ID}$`)
const CHECK_IN_KEY = new RegExp(`^followUp/checkIns/(${ID})/(${CHECK_IN_FIELDS.join('|')})$`)
/** Latest instant a board keeps (`Date`'s own limit), in ms since the epoch. */
const MAX_INSTANT = 8.64e15

const instantValidator = T.number.check((value) => {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INSTANT)
    throw new T.ValidationError('Expected a time in milliseconds since 1970')
})

const oneLine = (max: number) =>
  T.string.check((value) => {
    if (value.length > max) throw new T.ValidationError(`Expected at most ${max} characters`)
    if (/[\r\n\u2028\u2029]/.test(value)) throw new T.ValidationError('Expected one line')
  })

const attendeeValidator = oneLine(MAX_LINE_LENGTH).check((value) => {
  if (value.trim() === '') throw new T.ValidationError('Expected a name')
})

export const checkInFieldValidators = {
  title: oneLine(MAX_LINE_LENGTH),
  date: isoDateValidator,
  startedAt: instantValidator,
  finishedAt: instantValidator,
  attended: T.arrayOf(attendeeValidator).check((names) => {
    if (names.length > MAX_ATTENDEES)
      throw new T.ValidationError(`Expected at most ${MAX_ATTENDEES} names`)
    if (names.some((name) => name !== name.trim()))
      throw new T.ValidationError('Expected names without spaces around them')
    if (new Set(names).size !== names.length) throw new T.ValidationError('Expected each name once')
  }),
  blockers: boundedText(),
  decisions: boundedText(),
} satisfies Record<CheckInField, T.Validatable<unknown>>

/** Keys of check-ins, by pattern (for planData.ts). */
export const CHECK_IN_PATTERNS: readonly { pattern: RegExp; validator: T.Validatable<unknown> }[] =
  CHECK_IN_FIELDS.map((field) => ({
    pattern: new RegExp(`^followUp/checkIns/${ID}/${field}$`),
    validator: checkInFieldValidators[field] as T.Validatable<unknown>,
  }))

export const checkInKey = (id: string, field: CheckInField) => `followUp/checkIns/${id}/${field}`

export function isCheckInKey(key: string): boolean {
  return key.startsWith('followUp/checkIns/')
}

/** The parts of a check-in key, or null for any other key. */
export function parseCheckInKey(key: string): { id: string; field: CheckInField } | null {
  const match = CHECK_IN_KEY.exec(key)
  return match ? { id: match[1] as string, field: match[2] as CheckInField } : null
}

/** One check-in, as the derived plan (and plan.json) lists it. */
export interface CheckIn {
  id: string
  title: string
  /** `yyyy-mm-dd`. */
  date: string
  /** Server-clock ms, or null before it starts. */
  startedAt: number | null
  /** Server-clock ms, or null until it is finished. */
  finishedAt: number | null
  attended: string[]
  blockers: string
  decisions: string
}

export const checkInValidator: T.Validator<CheckIn> = T.object({
  id: T.string.check((value) => {
    if (!CHECK_IN_ID.test(value)) throw new T.ValidationError('Expected a check-in id')
  }),
  title: checkInFieldValidators.title,
  date: checkInFieldValidators.date,
  startedAt: T.nullable(checkInFieldValidators.startedAt),
  finishedAt: T.nullable(checkInFieldValidators.finishedAt),
  attended: checkInFieldValidators.attended,
  blockers: checkInFieldValidators.blockers,
  decisions: checkInFieldValidators.decisions,
})

/** By date, then id: the order the plan lists check-ins in. */
export function byCheckInDate(a: CheckIn, b: CheckIn): number {
  return compareCode(a.date, b.date) || compareCode(a.id, b.id)
}

/**
 * The check-ins from validated plan entries (keys `followUp/checkIns/…`), by date then id. Fields
 * of a check-in without a `date` (left over from a removal) are ignored.
 */
export function checkInsFrom(entries: ReadonlyMap<string, unknown>): CheckIn[] {
  const found = new Map<string, Partial<CheckIn>>()
  for (const [key, value] of entries) {
    const parsed = parseCheckInKey(key)
    if (!parsed) continue
    const row = found.get(parsed.id) ?? { id: parsed.id }
    found.set(parsed.id, row)
    ;(row as Record<string, unknown>)[parsed.field] = value
  }
  return [...found.values()]
    .filter((row) => typeof row.date === 'string')
    .map((row) => ({
      id: row.id as string,
      title: row.title ?? '',
      date: row.date as string,
      startedAt: row.startedAt ?? null,
      finishedAt: row.finishedAt ?? null,
      attended: row.attended ?? [],
      blockers: row.blockers ?? '',
      decisions: row.decisions ?? '',
    }))
    .sort(byCheckInDate)
}

export type CheckInState = 'scheduled' | 'running' | 'finished'

export function checkInState(checkIn: Pick<CheckIn, 'startedAt' | 'finishedAt'>): CheckInState {
  if (checkIn.finishedAt !== null) return 'finished'
  return checkIn.startedAt !== null ? 'running' : 'scheduled'
}

/**
 * The check-in to run next: the one running, else the earliest not yet held (whatever its date:
 * a group may meet a few days early or late). Null when every check-in is finished.
 */
export function dueCheckIn(checkIns: readonly CheckIn[]): CheckIn | null {
  return (
    checkIns.find((checkIn) => checkInState(checkIn) === 'running') ??
    checkIns.find((checkIn) => checkInState(checkIn) === 'scheduled') ??
    null
  )
}

/** `date` plus `days` calendar days (`yyyy-mm-dd`; plain dates, no time zone involved). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`)
  at.setUTCDate(at.getUTCDate() + days)
  return at.toISOString().slice(0, 10)
}

/** The preset dates: `days` after `from` (the retreat's date, or a date the facilitator chose). */
export function presetDates(
  from: string,
  days: readonly number[] = CHECK_IN_PRESET_DAYS,
): string[] {
  return days.map((count) => addDays(from, count))
}

/** A step's update posted during a check-in. */
export interface CheckInUpdate {
  item: ActionPlanItem
  step: ActionStep
  update: StepUpdate
}

/**
 * The step updates posted while a check-in ran (`startedAt` ≤ `at` ≤ `finishedAt`, or up to `now`
 * while it runs), in the plan's order (issues by rank, steps in order), each step's newest first.
 * Empty before it starts.
 */
export function checkInUpdates(
  actionPlan: readonly ActionPlanItem[],
  checkIn: Pick<CheckIn, 'startedAt' | 'finishedAt'>,
  now: number = Number.MAX_SAFE_INTEGER,
): CheckInUpdate[] {
  const found: CheckInUpdate[] = []
  for (const item of actionPlan) {
    for (const step of item.steps) {
      for (const update of step.history) {
        if (ranAt(checkIn, update.at, now)) found.push({ item, step, update })
      }
    }
  }
  return found
}

export interface CheckInValue {
  indicator: Indicator
  value: IndicatorValue
}

/**
 * The indicator values entered while the check-in ran, like `checkInUpdates` (values carry the
 * server's time of entry, `at`, besides the day they describe): indicators in the plan's order,
 * each one's values oldest first.
 */
export function checkInValues(
  indicators: readonly Indicator[],
  checkIn: Pick<CheckIn, 'startedAt' | 'finishedAt'>,
  now: number = Number.MAX_SAFE_INTEGER,
): CheckInValue[] {
  return indicators.flatMap((indicator) =>
    indicator.values
      .filter((value) => ranAt(checkIn, value.at, now))
      .map((value) => ({ indicator, value })),
  )
}

/** Whether a server-clock time falls while the check-in ran (up to `now` while it runs). */
function ranAt(
  checkIn: Pick<CheckIn, 'startedAt' | 'finishedAt'>,
  at: number,
  now: number,
): boolean {
  return checkIn.startedAt !== null && at >= checkIn.startedAt && at <= (checkIn.finishedAt ?? now)
}
