/**
 * The plan answers that are not canvas shapes (stages 0 and 6–8) live in one top-level Y.Map,
 * `doc.getMap(PLAN)`, one entry per field so that two people filling different fields never
 * overwrite each other:
 *
 * | key                              | value                                   |
 * |----------------------------------|-----------------------------------------|
 * | `readiness/<questionId>`         | `ReadinessEntry` {question, answer, note} |
 * | `community/<field>`              | text (see `CommunityAssessment`)        |
 * | `capacity/<field>`               | text, or an answer for `leadershipDiverse` |
 * | `evaluation/<field>`             | `dataSharing`, `reviewCadence`, `sustain` |
 * | `evaluation/indicators/<id>`     | `IndicatorEntry` {name, kind, dataSource, organization, unit, baseline, target, frequency} |
 * | `evaluation/values/<id>/<valueId>` | `IndicatorValueEntry` {date, value, note, group, by, at} (see indicatorValue.ts) |
 * | `structure/<field>`              | `backbone`, `bodies`, `agreement`, `agreementNotes` |
 * | `structure/roles/<id>`           | `RoleEntry` {role, holder, note}        |
 * | `action/…`                       | the action plan, one key per field (see actionPlan.ts) |
 * | `agreement/…`                    | what only the written agreements ask (see agreement/fields.ts) |
 * | `followUp/checkIns/<id>/<field>` | a check-in after the retreat, one key per field (see checkIns.ts) |
 *
 * Values are plain JSON, validated on the way in (`setPlanEntry`) and again on the way out
 * (`derivePlan` skips and reports what does not validate). The shape of these entries is
 * versioned by `meta.planSchemaVersion` (see `planMigrations.ts`).
 */
import type { T } from '@tldraw/validate'
import * as Y from 'yjs'
import { AGREEMENT_LISTS, agreementFieldValidators } from '../agreement/fields.ts'
import { ACTION_PLAN_PATTERNS } from './actionPlan.ts'
import { capacityFieldValidators } from './capacity.ts'
import { CHECK_IN_PATTERNS } from './checkIns.ts'
import { communityFieldValidators } from './community.ts'
import { evaluationFieldValidators, indicatorEntryValidator } from './evaluation.ts'
import { INDICATOR_VALUE_PATTERN, indicatorValueEntryValidator } from './indicatorValue.ts'
import { readinessEntryValidator } from './readiness.ts'
import { roleEntryValidator, structureFieldValidators } from './structure.ts'

/** `doc.getMap(PLAN)`: the plan answers kept outside tldraw records. */
export const PLAN = 'plan'

type AnyValidator = T.Validatable<unknown>

/** Keys that hold one value, e.g. `community/needs`. */
export const PLAN_FIELDS: ReadonlyMap<string, AnyValidator> = new Map<string, AnyValidator>([
  ...prefixed('community', communityFieldValidators),
  ...prefixed('capacity', capacityFieldValidators),
  ...prefixed('evaluation', evaluationFieldValidators),
  ...prefixed('structure', structureFieldValidators),
  ...prefixed('agreement', agreementFieldValidators),
])

/** Key prefixes that hold a list, one entry per item id, e.g. `structure/roles/r1`. */
export const PLAN_LISTS: ReadonlyMap<string, AnyValidator> = new Map<string, AnyValidator>([
  ['readiness', readinessEntryValidator],
  ['evaluation/indicators', indicatorEntryValidator],
  ['structure/roles', roleEntryValidator],
  ['agreement/signatories', AGREEMENT_LISTS.signatories],
  ['agreement/contacts', AGREEMENT_LISTS.contacts],
])

/** Item ids of lists: short, and safe in a key. */
const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/

function prefixed(section: string, fields: Record<string, AnyValidator>) {
  return Object.entries(fields).map(
    ([field, validator]) => [`${section}/${field}`, validator] as const,
  )
}

export type PlanEntryCheck = { ok: true; value: unknown } | { ok: false; message: string }

/** The validator of a plan key, or null for a key the plan does not know. */
export function planEntryValidator(key: string): AnyValidator | null {
  const field = PLAN_FIELDS.get(key)
  if (field) return field
  const slash = key.lastIndexOf('/')
  if (slash <= 0) return null
  const list = PLAN_LISTS.get(key.slice(0, slash))
  if (list) return ITEM_ID.test(key.slice(slash + 1)) ? list : null
  // Keys with more than one id in them (indicator values; the action plan, see actionPlan.ts;
  // check-ins).
  if (INDICATOR_VALUE_PATTERN.test(key)) return indicatorValueEntryValidator
  const patterns = key.startsWith('followUp/') ? CHECK_IN_PATTERNS : ACTION_PLAN_PATTERNS
  return patterns.find(({ pattern }) => pattern.test(key))?.validator ?? null
}

/** Checks one entry as it would be stored; the message says what is wrong and where. */
export function checkPlanEntry(key: string, value: unknown): PlanEntryCheck {
  const validator = planEntryValidator(key)
  if (!validator) return { ok: false, message: `unknown plan field "${key}"` }
  try {
    return { ok: true, value: validator.validate(value) }
  } catch (error) {
    return { ok: false, message: `plan field "${key}": ${(error as Error).message}` }
  }
}

export class PlanDataError extends Error {
  override name = 'PlanDataError'
}

/** Writes one validated entry (or deletes it with `undefined`); throws `PlanDataError` if invalid. */
export function setPlanEntry(doc: Y.Doc, key: string, value: unknown, origin?: unknown): void {
  const plan = doc.getMap<unknown>(PLAN)
  if (value === undefined) {
    if (!planEntryValidator(key)) throw new PlanDataError(`unknown plan field "${key}"`)
    doc.transact(() => plan.delete(key), origin)
    return
  }
  const check = checkPlanEntry(key, value)
  if (!check.ok) throw new PlanDataError(check.message)
  doc.transact(() => plan.set(key, check.value), origin)
}

/** One entry of the plan map as the doc holds it now (plain JSON), or undefined. */
export function readPlanEntry(doc: Y.Doc, key: string): unknown {
  const value = doc.getMap<unknown>(PLAN).get(key)
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

/**
 * Changes some fields of an object entry (a readiness answer, an indicator, a role), merging
 * into the entry as the doc holds it now, not as a possibly older derived plan showed it, so
 * two quick edits of one item never undo each other. `initial` fills an entry that is absent.
 */
export function updatePlanEntry(
  doc: Y.Doc,
  key: string,
  change: Record<string, unknown>,
  initial: Record<string, unknown> = {},
  origin?: unknown,
): void {
  const current = readPlanEntry(doc, key)
  const base = typeof current === 'object' && current !== null ? current : initial
  setPlanEntry(doc, key, { ...base, ...change }, origin)
}

/** Every entry of the plan map, as plain JSON. */
export function readPlanEntries(doc: Y.Doc): Map<string, unknown> {
  const entries = new Map<string, unknown>()
  doc.getMap<unknown>(PLAN).forEach((value, key) => {
    entries.set(key, value instanceof Y.AbstractType ? value.toJSON() : value)
  })
  return entries
}
