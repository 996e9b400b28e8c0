/**
 * Writing check-ins (the commands a facilitator's Progress view calls) and the server's review of
 * every `followUp/checkIns/…` write (`checkCheckInWrite`). The keys and values: checkIns.ts.
 *
 * What the review holds every writer to:
 * - only a facilitator writes or deletes a check-in's keys (view links are refused before this);
 * - a value is well-formed for its field, and belongs to a check-in that has a date once the
 *   update is applied;
 * - a board keeps at most `MAX_CHECK_INS` check-ins;
 * - a check-in starts once and finishes once, each stamped with the server's time (as step
 *   updates are: within `MAX_UPDATE_AGE_MS` before and `MAX_UPDATE_LEAD_MS` after its clock), it
 *   finishes only after it started, and its record (attendance, blockers, decisions) is written
 *   once it has started;
 * - a check-in that has started keeps its date (its record is of that day), and its start and
 *   finish are deleted only with the whole check-in.
 */
import type * as Y from 'yjs'
import type { BoardRole } from '../board/access.ts'
import { canFacilitate } from '../board/access.ts'
import type { WriteRefusalCode } from '../board/rules.ts'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import { newStepId } from './actionPlanEdits.ts'
import {
  CHECK_IN_FIELDS,
  type CheckInField,
  checkInKey,
  isCheckInKey,
  MAX_CHECK_INS,
  parseCheckInKey,
} from './checkIns.ts'
import { checkPlanEntry, PLAN, PlanDataError } from './planData.ts'
import { isStampedNow } from './stepUpdates.ts'

/** What the review knows of the board once the update under review is applied. */
export interface CheckInContext {
  role: BoardRole
  /** The server's clock, ms. */
  now: number
  /** A plan key's value once the update is applied (undefined: no such key then). */
  valueAfter(key: string): unknown
  /** How many check-ins (ids with a date) the board holds once the update is applied. */
  checkInsAfter(): number
}

type Check = RuleResult<WriteRefusalCode>

/** The write review of one `followUp/checkIns/…` key (see the top of this file). */
export function checkCheckInWrite(
  write: { key: string; before: unknown; after: unknown },
  context: CheckInContext,
): Check {
  const { key, before, after } = write
  const parsed = parseCheckInKey(key)
  if (!parsed) return refuse('invalid', `unknown plan field "${key.slice(0, 120)}"`)
  if (!canFacilitate(context.role)) {
    return refuse('facilitators-only', `only a facilitator schedules and runs check-ins (${key})`)
  }
  const { id, field } = parsed
  const value = (name: CheckInField) => context.valueAfter(checkInKey(id, name))
  if (after === undefined) {
    // A start or finish goes only with the whole check-in: without it the record would claim to
    // be held with no start (and no exported plan holding it would import).
    const stamp = field === 'startedAt' || field === 'finishedAt'
    return stamp && before !== undefined && typeof value('date') === 'string'
      ? refuse('invalid', `a check-in's ${field} is removed only with the check-in (${key})`)
      : ALLOWED
  }
  const check = checkPlanEntry(key, after)
  if (!check.ok) return refuse('invalid', check.message.slice(0, 300))
  if (typeof value('date') !== 'string') {
    return refuse('invalid', `no check-in ${id}: a check-in is scheduled with its date`)
  }
  if (context.checkInsAfter() > MAX_CHECK_INS) {
    return refuse('invalid', `a board keeps at most ${MAX_CHECK_INS} check-ins (${key})`)
  }
  const started = value('startedAt')
  switch (field) {
    case 'date':
      return before !== undefined && typeof started === 'number'
        ? refuse('invalid', `a check-in that has started keeps its date (${key})`)
        : ALLOWED
    case 'startedAt':
    case 'finishedAt': {
      if (before !== undefined) return refuse('invalid', `a check-in ${field} once (${key})`)
      const at = after as number
      if (!isStampedNow(at, context.now)) {
        return refuse(
          'invalid',
          `a check-in is stamped with the time it happens (${key}: ${at}, server ${context.now})`,
        )
      }
      if (field === 'finishedAt' && (typeof started !== 'number' || at < started)) {
        return refuse('invalid', `a check-in finishes after it started (${key})`)
      }
      return ALLOWED
    }
    case 'attended':
    case 'blockers':
    case 'decisions':
      return typeof started === 'number'
        ? ALLOWED
        : refuse('invalid', `a check-in's record is written once it has started (${key})`)
    default:
      return ALLOWED
  }
}

/**
 * Counts the check-ins (ids with a `date`) as they will be once `writes` are applied to a plan map
 * holding `planKeys`.
 */
export function countCheckInsAfter(
  planKeys: Iterable<string>,
  writes: Iterable<{ key: string; after: unknown }>,
): number {
  const dated = new Set<string>()
  for (const key of planKeys) if (isCheckInKey(key) && key.endsWith('/date')) dated.add(key)
  for (const { key, after } of writes) {
    if (!isCheckInKey(key) || !key.endsWith('/date')) continue
    if (after === undefined) dated.delete(key)
    else dated.add(key)
  }
  return dated.size
}

function checkInCount(plan: Y.Map<unknown>): number {
  return countCheckInsAfter(plan.keys(), [])
}

function checked(key: string, value: unknown): unknown {
  const check = checkPlanEntry(key, value)
  if (!check.ok) throw new PlanDataError(check.message)
  return check.value
}

function requireCheckIn(plan: Y.Map<unknown>, id: string): void {
  if (typeof plan.get(checkInKey(id, 'date')) !== 'string') {
    throw new PlanDataError(`no check-in ${id}`)
  }
}

export interface CheckInPlan {
  /** `yyyy-mm-dd`. */
  date: string
  title: string
  /** A random id by default. */
  id?: string
}

/**
 * Schedules check-ins (one, or a preset's three) in one transaction. Throws `PlanDataError`, and
 * writes nothing, when one is invalid or the board would hold more than `MAX_CHECK_INS`. Returns
 * their ids.
 */
export function scheduleCheckIns(
  doc: Y.Doc,
  checkIns: readonly CheckInPlan[],
  origin?: unknown,
): string[] {
  const plan = doc.getMap<unknown>(PLAN)
  if (checkInCount(plan) + checkIns.length > MAX_CHECK_INS) {
    throw new PlanDataError(`a board keeps at most ${MAX_CHECK_INS} check-ins`)
  }
  const writes = checkIns.map((checkIn) => {
    const id = checkIn.id ?? newStepId()
    if (plan.has(checkInKey(id, 'date'))) throw new PlanDataError(`check-in ${id} exists already`)
    return {
      id,
      title: checked(checkInKey(id, 'title'), checkIn.title),
      date: checked(checkInKey(id, 'date'), checkIn.date),
    }
  })
  doc.transact(() => {
    for (const { id, title, date } of writes) {
      plan.set(checkInKey(id, 'title'), title)
      plan.set(checkInKey(id, 'date'), date)
    }
  }, origin)
  return writes.map((write) => write.id)
}

/** Renames a check-in. */
export function renameCheckIn(doc: Y.Doc, id: string, title: string, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  requireCheckIn(plan, id)
  const value = checked(checkInKey(id, 'title'), title)
  doc.transact(() => plan.set(checkInKey(id, 'title'), value), origin)
}

/** Moves a check-in that has not started to another day. */
export function moveCheckIn(doc: Y.Doc, id: string, date: string, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  requireCheckIn(plan, id)
  if (typeof plan.get(checkInKey(id, 'startedAt')) === 'number') {
    throw new PlanDataError(`check-in ${id} has started and keeps its date`)
  }
  const value = checked(checkInKey(id, 'date'), date)
  doc.transact(() => plan.set(checkInKey(id, 'date'), value), origin)
}

/** Removes a check-in and its record (every key of it), in one transaction. */
export function removeCheckIn(doc: Y.Doc, id: string, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  doc.transact(() => {
    for (const field of CHECK_IN_FIELDS) plan.delete(checkInKey(id, field))
  }, origin)
}

/** "Start check-in": stamps its start (`at`: the server's clock, `serverNow()` in the app). */
export function startCheckIn(doc: Y.Doc, id: string, at: number, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  requireCheckIn(plan, id)
  if (plan.has(checkInKey(id, 'startedAt'))) throw new PlanDataError(`check-in ${id} has started`)
  const value = checked(checkInKey(id, 'startedAt'), at)
  doc.transact(() => plan.set(checkInKey(id, 'startedAt'), value), origin)
}

/** "Finish check-in": stamps its end; its record is kept as it stands. */
export function finishCheckIn(doc: Y.Doc, id: string, at: number, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  requireCheckIn(plan, id)
  const started = plan.get(checkInKey(id, 'startedAt'))
  if (typeof started !== 'number') throw new PlanDataError(`check-in ${id} has not started`)
  if (plan.has(checkInKey(id, 'finishedAt'))) throw new PlanDataError(`check-in ${id} is finished`)
  const value = checked(checkInKey(id, 'finishedAt'), Math.max(at, started))
  doc.transact(() => plan.set(checkInKey(id, 'finishedAt'), value), origin)
}

/**
 * Writes one part of a started check-in's record: who attended (names, trimmed, each once) or its
 * blockers or decisions.
 */
export function setCheckInRecord(
  doc: Y.Doc,
  id: string,
  field: 'attended' | 'blockers' | 'decisions',
  value: string | readonly string[],
  origin?: unknown,
): void {
  const plan = doc.getMap<unknown>(PLAN)
  requireCheckIn(plan, id)
  if (typeof plan.get(checkInKey(id, 'startedAt')) !== 'number') {
    throw new PlanDataError(`check-in ${id} has not started`)
  }
  const normalized =
    typeof value === 'string'
      ? value
      : [...new Set(value.map((name) => name.trim()).filter(Boolean))]
  const stored = checked(checkInKey(id, field), normalized)
  doc.transact(() => plan.set(checkInKey(id, field), stored), origin)
}
