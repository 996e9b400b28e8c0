/**
 * "Start the next retreat from this plan": what a new board takes over from the last one, as a
 * plan to seed it with (the import path: `seedBoardFromPlan`) and plan-map entries besides.
 *
 * - **The partners**: every organization card, as it stands.
 * - **The open steps**: each step that is not done (and not blank), with its owner, organization,
 *   date, status and history, under its priority (title and rank kept, and each partner's
 *   commitments to it); a priority with no open step is left behind.
 * - **The evaluation plan**: every `evaluation/…` entry of the old board, whatever its key (the
 *   indicators, the cadence, and whatever the evaluation stage holds later: values over time),
 *   copied as it is, each checked again as the write review checks it.
 *
 * Left behind: intersections, issues and votes (the new retreat maps and votes again), readiness,
 * community, capacity and structure answers (asked again), the agreement details, and check-ins
 * (`followUp/…`: the new retreat keeps its own).
 *
 * Shape ids are the board's own, so organizations and priorities get new ones; every place that
 * names one (a step's organization, a commitment's row, any evaluation entry's key or value) gets
 * the new id. Step and update ids stay: they are unique within their priority, not the board.
 */
import { createShapeId } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { emptyAgreementFields } from '../agreement/fields.ts'
import { PLAN_SCHEMA_VERSION, readBoardMeta } from '../board/boardDoc.ts'
import { type ActionPlanItem, type ActionStep, isBlankStep } from '../plan/actionPlan.ts'
import { emptyCapacityAssessment } from '../plan/capacity.ts'
import { emptyCommunityAssessment } from '../plan/community.ts'
import { derivePlan } from '../plan/derivePlan.ts'
import { emptyEvaluationPlan } from '../plan/evaluation.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { checkPlanEntry, readPlanEntries } from '../plan/planData.ts'
import { migratePlanEntries } from '../plan/planMigrations.ts'
import { emptyPartnershipStructure } from '../plan/structure.ts'
import { checkImportedPlan } from './json.ts'

/** A step the next retreat takes over: written, and not done. */
export function isOpenStep(step: ActionStep): boolean {
  return step.status !== 'done' && !isBlankStep(step)
}

/** The plan-map prefix copied whole into the next retreat. */
export const CARRIED_PREFIX = 'evaluation/'

export interface NextRetreat {
  /** The plan to seed the new board with (checked as an import is). */
  plan: PartnershipPlan
  /** The evaluation entries, ids renamed, each valid. */
  entries: Map<string, unknown>
  /** Keys of the old board's evaluation entries that did not validate (left behind). */
  leftBehind: string[]
}

export interface NextRetreatOptions {
  title: string
  /** A new shape id (tldraw's by default; tests pass their own). */
  newShapeId?: () => string
}

/** Every string equal to an old id, anywhere in a JSON value, as the new id. */
function renamed(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value
  if (Array.isArray(value)) return value.map((item) => renamed(item, ids))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renamed(item, ids)]))
  }
  return value
}

/**
 * The next retreat of a plan. `entries` are the old board's plan-map entries, migrated to this
 * app's plan version (`nextRetreatOf` reads them from a doc).
 */
export function nextRetreatPlan(
  plan: PartnershipPlan,
  entries: ReadonlyMap<string, unknown>,
  options: NextRetreatOptions,
): NextRetreat {
  const newShapeId = options.newShapeId ?? (() => createShapeId())
  const ids = new Map<string, string>()
  for (const org of plan.organizations) ids.set(org.id, newShapeId())
  const organization = (id: string | null) => (id ? (ids.get(id) ?? null) : null)

  const actionPlan: ActionPlanItem[] = []
  for (const item of plan.actionPlan) {
    const steps = item.steps.filter(isOpenStep)
    if (steps.length === 0) continue
    const issue = newShapeId()
    ids.set(item.issue, issue)
    actionPlan.push({
      issue,
      title: item.title,
      rank: item.rank,
      // The vote it was promoted from stays on the old board.
      sessionId: null,
      commitments: item.commitments
        .filter((row) => ids.has(row.organization))
        .map((row) => ({ ...row, organization: ids.get(row.organization) as string })),
      steps: steps.map((step) => ({
        ...step,
        organization: organization(step.organization),
        history: step.history.map((update) => ({ ...update })),
        lastUpdate: step.lastUpdate ? { ...step.lastUpdate } : null,
      })),
    })
  }

  const next: PartnershipPlan = {
    title: options.title,
    template: plan.template,
    planSchemaVersion: PLAN_SCHEMA_VERSION,
    readiness: [],
    organizations: plan.organizations.map((org) => ({
      ...org,
      id: ids.get(org.id) as string,
      activities: org.activities.map((row) => ({ ...row })),
    })),
    intersections: [],
    links: [],
    issues: [],
    votes: [],
    ranking: [],
    actionPlan,
    community: emptyCommunityAssessment(),
    capacity: emptyCapacityAssessment(),
    // Carried as entries below, whatever keys the evaluation stage holds.
    evaluation: emptyEvaluationPlan(),
    structure: emptyPartnershipStructure(),
    agreement: emptyAgreementFields(),
    // The last retreat's board keeps its check-ins; the next one schedules its own.
    checkIns: [],
    themes: [],
    // What was parked last time is what the next retreat may take up.
    parkingLot: plan.parkingLot.map((note) => ({ ...note })),
    problems: [],
  }
  const checked = checkImportedPlan(next)
  if (!checked.ok) throw new Error(`next retreat: ${checked.path} ${checked.message}`)

  const carried = new Map<string, unknown>()
  const leftBehind: string[] = []
  for (const [key, value] of entries) {
    if (!key.startsWith(CARRIED_PREFIX)) continue
    const newKey = key
      .split('/')
      .map((part) => ids.get(part) ?? part)
      .join('/')
    const check = checkPlanEntry(newKey, renamed(value, ids))
    if (check.ok) carried.set(newKey, check.value)
    else leftBehind.push(key)
  }
  return { plan: checked.plan, entries: carried, leftBehind }
}

/** The next retreat of a board's doc (its plan, and its entries migrated as `derivePlan` does). */
export function nextRetreatOf(doc: Y.Doc, options: NextRetreatOptions): NextRetreat {
  const plan = derivePlan(doc)
  const migrated = migratePlanEntries(readPlanEntries(doc), readBoardMeta(doc).planSchemaVersion)
  return nextRetreatPlan(plan, migrated.ok ? migrated.entries : new Map(), options)
}
