/**
 * Stage locks: a facilitator locks a stage so its frame and template elements (the prompt)
 * are not moved or changed by accident. `locked/<stageId>` → `true` in the facilitation map
 * (facilitator-only). Clients stop the change before it happens; the server refuses a
 * participant's write to a locked stage's records anyway.
 */
import { T } from '@tldraw/validate'
import {
  isStageId,
  STAGE_IDS,
  STAGE_META_KEY,
  type StageId,
  stageFrameId,
  stagePromptId,
} from '../plan/template.ts'

export const LOCK_PREFIX = 'locked/'

export const stageLockValidator: T.Validator<boolean> = T.boolean

export function lockKey(stage: StageId): string {
  return `${LOCK_PREFIX}${stage}`
}

/** Every lock key a board can hold, one per stage (registered as facilitator-only fields). */
export const LOCK_KEYS: readonly string[] = STAGE_IDS.map(lockKey)

const TEMPLATE_RECORDS = new Map<string, StageId>(
  STAGE_IDS.flatMap((stage) => [
    [stageFrameId(stage), stage],
    [stagePromptId(stage), stage],
  ]),
)

/**
 * The stage whose template a record belongs to: the frame and prompt by their fixed ids, or a
 * shape that carried `meta.cgStage` before this write. Null for everything else (notes, cards).
 */
export function templateStageOf(recordId: string, before: unknown): StageId | null {
  const byId = TEMPLATE_RECORDS.get(recordId)
  if (byId) return byId
  if (typeof before !== 'object' || before === null) return null
  const stage = (before as { meta?: Record<string, unknown> }).meta?.[STAGE_META_KEY]
  return isStageId(stage) ? stage : null
}

/** Whether a write to a template record changes anything (a rewrite of the same value does not). */
export function changesRecord(before: unknown, after: unknown): boolean {
  return !sameJson(before, after)
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}
