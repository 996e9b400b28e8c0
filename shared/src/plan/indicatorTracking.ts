/**
 * Indicators over time: entering values (indicatorValue.ts holds the record) and what the
 * server's write review holds every writer to, like a step's updates (stepUpdates.ts):
 *
 * - a new value is a valid entry for an indicator that exists once the value is applied, of the
 *   type its kind asks (a finite number for a quantitative indicator, a short text otherwise);
 * - its `at` is within `MAX_UPDATE_AGE_MS` before and `MAX_UPDATE_LEAD_MS` after the server's
 *   clock (its `date`, the day measured, may be any real date);
 * - an indicator keeps at most `MAX_VALUES_PER_INDICATOR` values;
 * - a value is never changed once written; only a facilitator deletes one;
 * - an indicator that has values keeps its kind, and only a facilitator removes it (the values
 *   are the partnership's record).
 */
import type * as Y from 'yjs'
import type { BoardRole } from '../board/access.ts'
import { canFacilitate } from '../board/access.ts'
import type { WriteRefusalCode } from '../board/rules.ts'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import { newStepId } from './actionPlanEdits.ts'
import {
  fitsKind,
  type IndicatorReading,
  type IndicatorValueEntry,
  indicatorKey,
  indicatorValueKey,
  indicatorValuesPrefix,
  isIndicatorValueKey,
  parseIndicatorValueKey,
} from './indicatorValue.ts'
import { checkPlanEntry, PLAN, PlanDataError } from './planData.ts'
import { reviewStampedEntry } from './stepUpdates.ts'

/** Values one indicator keeps at most (monthly for 20 years, or 5 groups monthly for 8). */
export const MAX_VALUES_PER_INDICATOR = 500

const INDICATOR_KEY = /^evaluation\/indicators\/([A-Za-z0-9_-]{1,64})$/

/** The indicator id of an `evaluation/indicators/<id>` key, or null. */
export function parseIndicatorKey(key: string): string | null {
  return INDICATOR_KEY.exec(key)?.[1] ?? null
}

/** What the review knows of the board once the update under review is applied. */
export interface IndicatorContext {
  role: BoardRole
  /** The server's clock, ms. */
  now: number
  /** A plan key's value before the update (undefined: no such key). */
  valueBefore(key: string): unknown
  /** A plan key's value once the update is applied (undefined: no such key then). */
  valueAfter(key: string): unknown
  /** How many values the indicator holds once the update is applied. */
  valuesAfter(indicator: string): number
}

export interface IndicatorWrite {
  key: string
  before: unknown
  after: unknown
}

type Check = RuleResult<WriteRefusalCode>

/** The write review of one `evaluation/values/…` key (see the top of this file). */
export function checkIndicatorValueWrite(write: IndicatorWrite, context: IndicatorContext): Check {
  const parsed = parseIndicatorValueKey(write.key)
  if (!parsed) return refuse('invalid', `unknown plan field "${write.key.slice(0, 120)}"`)
  const stamped = reviewStampedEntry<IndicatorValueEntry>(write, context, {
    one: 'a value',
    written: 'entered',
  })
  if ('verdict' in stamped) return stamped.verdict
  const { key } = write
  const entry = stamped.entry
  const indicator = context.valueAfter(indicatorKey(parsed.indicator))
  const kind = (indicator as { kind?: unknown } | undefined)?.kind
  if (typeof kind !== 'string') {
    return refuse('invalid', `no indicator ${parsed.indicator} for this value`)
  }
  if (!fitsKind(entry.value, kind)) {
    return refuse(
      'invalid',
      kind === 'quantitative'
        ? `a value of a quantitative indicator is a number (${key})`
        : `a value of a qualitative indicator is a text (${key})`,
    )
  }
  if (context.valuesAfter(parsed.indicator) > MAX_VALUES_PER_INDICATOR) {
    return refuse(
      'invalid',
      `an indicator keeps at most ${MAX_VALUES_PER_INDICATOR} values (${key})`,
    )
  }
  return ALLOWED
}

/**
 * The write review of one `evaluation/indicators/<id>` key: a valid entry (as any plan key), and
 * once it has values, it keeps its kind and only a facilitator removes it.
 */
export function checkIndicatorWrite(write: IndicatorWrite, context: IndicatorContext): Check {
  const { key, after } = write
  const id = parseIndicatorKey(key)
  if (!id) return refuse('invalid', `unknown plan field "${key.slice(0, 120)}"`)
  const values = context.valuesAfter(id)
  if (after === undefined) {
    if (values === 0 || canFacilitate(context.role)) return ALLOWED
    return refuse(
      'facilitators-only',
      `only a facilitator may remove an indicator that has values (${key})`,
    )
  }
  const check = checkPlanEntry(key, after)
  if (!check.ok) return refuse('invalid', check.message.slice(0, 300))
  const before = context.valueBefore(key) as { kind?: unknown } | undefined
  const kind = (check.value as { kind: string }).kind
  if (values > 0 && before !== undefined && before.kind !== kind) {
    return refuse('invalid', `an indicator that has values keeps its kind (${key})`)
  }
  return ALLOWED
}

/**
 * Counts every indicator's values as they will be once `writes` are applied to a plan holding
 * `planKeys`: one pass over the map.
 */
export function countValuesAfter(
  planKeys: Iterable<string>,
  writes: Iterable<{ key: string; after: unknown }>,
): (indicator: string) => number {
  const keys = new Set<string>()
  for (const key of planKeys) if (isIndicatorValueKey(key)) keys.add(key)
  for (const { key, after } of writes) {
    if (!isIndicatorValueKey(key)) continue
    if (after === undefined) keys.delete(key)
    else keys.add(key)
  }
  const counts = new Map<string, number>()
  for (const key of keys) {
    const parsed = parseIndicatorValueKey(key)
    if (parsed) counts.set(parsed.indicator, (counts.get(parsed.indicator) ?? 0) + 1)
  }
  return (indicator) => counts.get(indicator) ?? 0
}

export interface IndicatorValuePost {
  date: string
  value: IndicatorReading
  note: string
  group: string
  /** The poster's name. */
  by: string
  /** When, in server-clock ms (the app passes `serverNow()`). */
  at: number
  /** The value's id; a random one by default. */
  id?: string
}

/** How many values an indicator has in the doc now. */
export function valueCount(doc: Y.Doc, indicator: string): number {
  const prefix = indicatorValuesPrefix(indicator)
  let count = 0
  for (const key of doc.getMap<unknown>(PLAN).keys()) if (key.startsWith(prefix)) count++
  return count
}

/**
 * Enters a value of an indicator. Throws `PlanDataError` (and writes nothing) when the entry is
 * invalid, the indicator does not exist, the value's type is not its kind's, or it already has
 * `MAX_VALUES_PER_INDICATOR` values. Returns the value's id.
 */
export function postIndicatorValue(
  doc: Y.Doc,
  indicator: string,
  post: IndicatorValuePost,
  origin?: unknown,
): string {
  const plan = doc.getMap<unknown>(PLAN)
  const id = post.id ?? newStepId()
  const key = indicatorValueKey(indicator, id)
  const entry: IndicatorValueEntry = {
    date: post.date,
    value: post.value,
    note: post.note,
    group: post.group,
    by: post.by,
    at: post.at,
  }
  const check = checkPlanEntry(key, entry)
  if (!check.ok) throw new PlanDataError(check.message)
  if (plan.has(key)) throw new PlanDataError(`value ${id} of indicator ${indicator} exists already`)
  const kind = (plan.get(indicatorKey(indicator)) as { kind?: unknown } | undefined)?.kind
  if (typeof kind !== 'string') throw new PlanDataError(`no indicator ${indicator}`)
  if (!fitsKind(entry.value, kind)) {
    throw new PlanDataError(
      `indicator ${indicator} takes ${kind === 'quantitative' ? 'numbers' : 'text'}`,
    )
  }
  if (valueCount(doc, indicator) >= MAX_VALUES_PER_INDICATOR) {
    throw new PlanDataError(
      `indicator ${indicator} has ${MAX_VALUES_PER_INDICATOR} values, the most it keeps`,
    )
  }
  doc.transact(() => plan.set(key, check.value), origin)
  return id
}

/** Deletes one value (facilitators only: the server refuses anyone else). */
export function removeIndicatorValue(
  doc: Y.Doc,
  indicator: string,
  value: string,
  origin?: unknown,
): void {
  const plan = doc.getMap<unknown>(PLAN)
  doc.transact(() => plan.delete(indicatorValueKey(indicator, value)), origin)
}

/**
 * Removes an indicator with all its values, in one transaction (a facilitator's command once it
 * has values; anyone's before).
 */
export function removeIndicator(doc: Y.Doc, indicator: string, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  const prefix = indicatorValuesPrefix(indicator)
  doc.transact(() => {
    for (const key of [...plan.keys()]) if (key.startsWith(prefix)) plan.delete(key)
    plan.delete(indicatorKey(indicator))
  }, origin)
}
