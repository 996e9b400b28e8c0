/**
 * Editing the action plan (see actionPlan.ts for the keys). Each writer validates through
 * `setPlanEntry` (throws `PlanDataError`) and writes in one transaction, so a half-added step
 * never reaches anyone.
 */
import { getIndexAbove, getIndexBetween, type IndexKey } from '@tldraw/utils'
import type * as Y from 'yjs'
import {
  type ActionIssueEntry,
  type ActionPlanItem,
  type ActionStep,
  actionIssueKey,
  type CommitmentCell,
  commitmentKey,
  compareCode,
  STEP_FIELDS,
  type StepField,
  type StepFields,
  stepKey,
} from './actionPlan.ts'
import { checkPlanEntry, PLAN, PlanDataError, readPlanEntries, setPlanEntry } from './planData.ts'

/** Takes an issue into the action plan (or changes its title, rank or session). */
export function setActionIssue(
  doc: Y.Doc,
  issue: string,
  entry: ActionIssueEntry,
  origin?: unknown,
): void {
  setPlanEntry(doc, actionIssueKey(issue), entry, origin)
}

/**
 * Takes the ranked items of a vote into the action plan, in one transaction: each keeps its rank
 * and the vote it came from (`ranked` is what `topRanked` chose; `textOf` words its title).
 */
export function promoteRanked(
  doc: Y.Doc,
  ranked: readonly { itemId: string; rank: number }[],
  sessionId: string,
  textOf: (itemId: string) => string,
  origin?: unknown,
): void {
  doc.transact(() => {
    for (const item of ranked) {
      setActionIssue(doc, item.itemId, { title: textOf(item.itemId), rank: item.rank, sessionId })
    }
  }, origin)
}

/** Takes an issue out of the action plan with everything written for it. */
export function removeActionIssue(doc: Y.Doc, issue: string, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  const prefixes = [`action/commitments/${issue}/`, `action/steps/${issue}/`]
  doc.transact(() => {
    plan.delete(actionIssueKey(issue))
    for (const key of [...plan.keys()]) {
      if (prefixes.some((prefix) => key.startsWith(prefix))) plan.delete(key)
    }
  }, origin)
}

export function setCommitment(
  doc: Y.Doc,
  issue: string,
  organization: string,
  cell: CommitmentCell,
  text: string,
  origin?: unknown,
): void {
  setPlanEntry(doc, commitmentKey(issue, organization, cell), text, origin)
}

export type StepInit = Partial<Omit<StepFields, 'id' | 'order'>>

/** A new random step id (not a secret; only needs to be unlikely to collide). */
export function newStepId(): string {
  const bytes = new Uint8Array(9)
  crypto.getRandomValues(bytes)
  let id = ''
  for (const byte of bytes) id += byte.toString(36).padStart(2, '0')
  return id.slice(0, 16)
}

/** The order key after every step in `steps` (which may be unsorted). */
export function orderAfter(steps: readonly { order: string }[]): string {
  let last: string | null = null
  for (const step of steps) if (last === null || step.order > last) last = step.order
  return getIndexAbove(last as IndexKey | null)
}

/** Adds a step with every field, at the end unless `order` is given; returns its id. */
export function addStep(
  doc: Y.Doc,
  issue: string,
  init: StepInit & { order: string; id?: string },
  origin?: unknown,
): string {
  const id = init.id ?? newStepId()
  const step: Omit<StepFields, 'id'> = {
    what: init.what ?? '',
    person: init.person ?? '',
    organization: init.organization ?? null,
    due: init.due ?? null,
    status: init.status ?? 'not-started',
    order: init.order,
  }
  // Every field is checked before anything is written: Yjs cannot take back half a step.
  const checked = STEP_FIELDS.map((field) => {
    const key = stepKey(issue, id, field)
    const check = checkPlanEntry(key, step[field])
    if (!check.ok) throw new PlanDataError(check.message)
    return [key, check.value] as const
  })
  const plan = doc.getMap<unknown>(PLAN)
  doc.transact(() => {
    for (const [key, value] of checked) plan.set(key, value)
  }, origin)
  return id
}

export function setStepField<F extends StepField>(
  doc: Y.Doc,
  issue: string,
  step: string,
  field: F,
  value: ActionStep[F],
  origin?: unknown,
): void {
  setPlanEntry(doc, stepKey(issue, step, field), value, origin)
}

/**
 * Removes a step; returns it as it was (every field valid, else null) so it can be put back
 * with `restoreStep`. Its updates stay (the history is append-only, see stepUpdates.ts): a step
 * put back under its id has its history again.
 */
export function removeStep(
  doc: Y.Doc,
  issue: string,
  step: string,
  origin?: unknown,
): StepFields | null {
  const plan = doc.getMap<unknown>(PLAN)
  const removed: Record<string, unknown> = { id: step }
  let whole = true
  for (const field of STEP_FIELDS) {
    const key = stepKey(issue, step, field)
    const check = checkPlanEntry(key, plan.get(key))
    if (check.ok) removed[field] = check.value
    else whole = false
  }
  doc.transact(() => {
    for (const field of STEP_FIELDS) plan.delete(stepKey(issue, step, field))
  }, origin)
  return whole ? (removed as unknown as StepFields) : null
}

/** Puts a removed step back where it was, with what it held ("Undo" after removing it). */
export function restoreStep(doc: Y.Doc, issue: string, step: StepFields, origin?: unknown): void {
  addStep(doc, issue, step, origin)
}

/**
 * The order key that moves `steps[index]` (steps sorted as the plan shows them) by `delta`
 * places, or null when it cannot move. Only the moved step's key changes.
 */
export function orderForMove(
  steps: readonly { order: string }[],
  index: number,
  delta: -1 | 1,
): string | null {
  const target = index + delta
  if (index < 0 || index >= steps.length || target < 0 || target >= steps.length) return null
  const rest = steps.filter((_, i) => i !== index)
  // After removing the step, it goes between rest[target - 1] and rest[target].
  const below = (rest[target - 1]?.order ?? null) as IndexKey | null
  const above = (rest[target]?.order ?? null) as IndexKey | null
  if (below !== null && above !== null && below >= above) {
    // Two steps share a key (added at once by two people): step past the lower one.
    return delta < 0 ? getIndexBetween(null, above) : getIndexAbove(below)
  }
  return getIndexBetween(below, above)
}

/** Moves a step up (-1) or down (+1) within its issue; false when it is already at the end. */
export function moveStep(
  doc: Y.Doc,
  item: Pick<ActionPlanItem, 'issue' | 'steps'>,
  step: string,
  delta: -1 | 1,
  origin?: unknown,
): boolean {
  // Read the orders as the doc holds them now, not as a possibly stale plan showed them.
  const entries = readPlanEntries(doc)
  const current = item.steps
    .map((s) => ({ id: s.id, order: entries.get(stepKey(item.issue, s.id, 'order')) }))
    .filter((s): s is { id: string; order: string } => typeof s.order === 'string')
    .sort((a, b) => compareCode(a.order, b.order) || compareCode(a.id, b.id))
  const index = current.findIndex((s) => s.id === step)
  const order = orderForMove(current, index, delta)
  if (order === null) return false
  setStepField(doc, item.issue, step, 'order', order, origin)
  return true
}
