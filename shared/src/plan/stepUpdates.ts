/**
 * A step's history: updates its owner (or anyone who may edit the plan) posts from the Progress
 * view, each a status and one line, kept for good. One plan key per update:
 *
 * | key | value |
 * |-----|-------|
 * | `action/updates/<issueId>/<stepId>/<updateId>` | `StepUpdateEntry` {status, note, at, by} |
 *
 * Why this layout: each update is a key of its own under an id its writer drew at random, so two
 * people posting at the same moment never overwrite each other (a list in one key would be
 * last-writer-wins); the step's `status` key stays the one current status everyone reads and
 * edits, and posting writes both in one transaction (`postStepUpdate`).
 *
 * What the server's write review holds every writer to (`checkStepUpdateWrite`):
 * - a new update is a valid entry (`stepUpdateEntryValidator`: a status, one line of at most
 *   `MAX_UPDATE_NOTE_LENGTH` characters, a time, a name) for a step that exists once the update
 *   is applied, whose `status` is then the step's status;
 * - its `at` is within `MAX_UPDATE_AGE_MS` before and `MAX_UPDATE_LEAD_MS` after the server's
 *   clock: nobody back-dates (or forward-dates) an update;
 * - a step keeps at most `MAX_UPDATES_PER_STEP` updates;
 * - an update is never changed once written, by anyone; only a facilitator may delete one.
 */

import type * as Y from 'yjs'
import type { BoardRole } from '../board/access.ts'
import { canFacilitate } from '../board/access.ts'
import type { WriteRefusalCode } from '../board/rules.ts'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import {
  type StepStatus,
  type StepUpdateEntry,
  stepKey,
  stepUpdateKey,
  stepUpdatesPrefix,
} from './actionPlan.ts'
import { newStepId } from './actionPlanEdits.ts'
import { checkPlanEntry, PLAN, PlanDataError } from './planData.ts'

/** Updates one step keeps at most (a weekly update for two years). */
export const MAX_UPDATES_PER_STEP = 100
/** How long before the server's clock an update's `at` may be (a post delayed by a short drop). */
export const MAX_UPDATE_AGE_MS = 10 * 60_000
/** How far after the server's clock an update's `at` may be (a device's clock estimate). */
export const MAX_UPDATE_LEAD_MS = 2 * 60_000

const ID = '[A-Za-z0-9_-]{1,64}'
const UPDATE_KEY = new RegExp(`^action/updates/(shape:${ID})/(${ID})/(${ID})$`)

export interface StepUpdateKey {
  issue: string
  step: string
  update: string
}

/** The parts of an update key, or null for any other key. */
export function parseStepUpdateKey(key: string): StepUpdateKey | null {
  const match = UPDATE_KEY.exec(key)
  if (!match) return null
  return { issue: match[1] as string, step: match[2] as string, update: match[3] as string }
}

export function isStepUpdateKey(key: string): boolean {
  return key.startsWith('action/updates/')
}

/** What the review knows of the board once the update under review is applied. */
export interface StepUpdateContext {
  role: BoardRole
  /** The server's clock, ms. */
  now: number
  /** A plan key's value once the update is applied (undefined: no such key then). */
  valueAfter(key: string): unknown
  /** How many updates the step holds once the update is applied. */
  updatesAfter(issue: string, step: string): number
}

export interface StepUpdateWrite {
  key: string
  before: unknown
  after: unknown
}

type Check = RuleResult<WriteRefusalCode>

/** Whether `at` is a time the server could stamp now (a post a short drop delayed included). */
export function isStampedNow(at: number, now: number): boolean {
  return at >= now - MAX_UPDATE_AGE_MS && at <= now + MAX_UPDATE_LEAD_MS
}

/**
 * What every append-only plan entry stamped with the server's time holds to (a step's update, an
 * indicator's value): nobody changes one once written, only a facilitator deletes one, it
 * validates as its key's entry, and its `at` is now on the server's clock. The verdict when that
 * settles it (a deletion, a refusal), else the checked entry, for the rules of its own kind.
 */
export function reviewStampedEntry<Entry extends { at: number }>(
  { key, before, after }: StepUpdateWrite,
  context: { role: BoardRole; now: number },
  words: { one: string; written: string },
): { verdict: Check } | { entry: Entry } {
  if (after === undefined) {
    if (before === undefined || canFacilitate(context.role)) return { verdict: ALLOWED }
    return {
      verdict: refuse('facilitators-only', `only a facilitator may delete ${words.one} (${key})`),
    }
  }
  if (before !== undefined) {
    return { verdict: refuse('invalid', `${words.one} is never changed once written (${key})`) }
  }
  const check = checkPlanEntry(key, after)
  if (!check.ok) return { verdict: refuse('invalid', check.message.slice(0, 300)) }
  const entry = check.value as Entry
  if (!isStampedNow(entry.at, context.now)) {
    return {
      verdict: refuse(
        'invalid',
        `${words.one} must be stamped with the time it is ${words.written} (${key}: ${entry.at}, server ${context.now})`,
      ),
    }
  }
  return { entry }
}

/** The write review of one `action/updates/…` key (see the top of this file). */
export function checkStepUpdateWrite(write: StepUpdateWrite, context: StepUpdateContext): Check {
  const parsed = parseStepUpdateKey(write.key)
  if (!parsed) return refuse('invalid', `unknown plan field "${write.key.slice(0, 120)}"`)
  const stamped = reviewStampedEntry<StepUpdateEntry>(write, context, {
    one: 'an update',
    written: 'posted',
  })
  if ('verdict' in stamped) return stamped.verdict
  const { key } = write
  const entry = stamped.entry
  const { issue, step } = parsed
  if (typeof context.valueAfter(stepKey(issue, step, 'order')) !== 'string') {
    return refuse('invalid', `no step ${step} in issue ${issue} to update`)
  }
  const status = context.valueAfter(stepKey(issue, step, 'status')) ?? 'not-started'
  if (status !== entry.status) {
    return refuse('invalid', `an update's status is the step's status (${key})`)
  }
  if (context.updatesAfter(issue, step) > MAX_UPDATES_PER_STEP) {
    return refuse('invalid', `a step keeps at most ${MAX_UPDATES_PER_STEP} updates (${key})`)
  }
  return ALLOWED
}

/**
 * Counts the updates of every step as they will be once `writes` (changes of plan keys) are
 * applied to `plan` (the plan map before them): one pass over the map, whatever the update holds.
 */
export function countUpdatesAfter(
  planKeys: Iterable<string>,
  writes: Iterable<{ key: string; after: unknown }>,
): (issue: string, step: string) => number {
  const keys = new Set<string>()
  for (const key of planKeys) if (isStepUpdateKey(key)) keys.add(key)
  for (const { key, after } of writes) {
    if (!isStepUpdateKey(key)) continue
    if (after === undefined) keys.delete(key)
    else keys.add(key)
  }
  const counts = new Map<string, number>()
  for (const key of keys) {
    const parsed = parseStepUpdateKey(key)
    if (!parsed) continue
    const step = `${parsed.issue}/${parsed.step}`
    counts.set(step, (counts.get(step) ?? 0) + 1)
  }
  return (issue, step) => counts.get(`${issue}/${step}`) ?? 0
}

export interface StepUpdatePost {
  status: StepStatus
  note: string
  /** The poster's name. */
  by: string
  /** When, in server-clock ms (the app passes `serverNow()`). */
  at: number
  /** The update's id; a random one by default. */
  id?: string
}

/**
 * Posts an update of a step: its history entry and the step's status, in one transaction. Throws
 * `PlanDataError` (and writes nothing) when the entry is invalid, the step does not exist or
 * already has `MAX_UPDATES_PER_STEP` updates. Returns the update's id.
 */
export function postStepUpdate(
  doc: Y.Doc,
  issue: string,
  step: string,
  post: StepUpdatePost,
  origin?: unknown,
): string {
  const plan = doc.getMap<unknown>(PLAN)
  const id = post.id ?? newStepId()
  const key = stepUpdateKey(issue, step, id)
  const entry: StepUpdateEntry = { status: post.status, note: post.note, at: post.at, by: post.by }
  const check = checkPlanEntry(key, entry)
  if (!check.ok) throw new PlanDataError(check.message)
  if (plan.has(key)) throw new PlanDataError(`update ${id} of step ${step} exists already`)
  if (typeof plan.get(stepKey(issue, step, 'order')) !== 'string') {
    throw new PlanDataError(`no step ${step} in issue ${issue}`)
  }
  const prefix = stepUpdatesPrefix(issue, step)
  let count = 0
  for (const existing of plan.keys()) if (existing.startsWith(prefix)) count++
  if (count >= MAX_UPDATES_PER_STEP) {
    throw new PlanDataError(`step ${step} has ${MAX_UPDATES_PER_STEP} updates, the most it keeps`)
  }
  const statusKey = stepKey(issue, step, 'status')
  doc.transact(() => {
    plan.set(key, check.value)
    if (plan.get(statusKey) !== post.status) plan.set(statusKey, post.status)
  }, origin)
  return id
}

/** Deletes one update of a step (facilitators only: the server refuses anyone else). */
export function removeStepUpdate(
  doc: Y.Doc,
  issue: string,
  step: string,
  update: string,
  origin?: unknown,
): void {
  const plan = doc.getMap<unknown>(PLAN)
  doc.transact(() => plan.delete(stepUpdateKey(issue, step, update)), origin)
}

/** How many updates a step has in the doc now. */
export function updateCount(doc: Y.Doc, issue: string, step: string): number {
  const prefix = stepUpdatesPrefix(issue, step)
  let count = 0
  for (const key of doc.getMap<unknown>(PLAN).keys()) if (key.startsWith(prefix)) count++
  return count
}
