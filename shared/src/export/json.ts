/**
 * `planToJson` and `importPlan`: the full `PartnershipPlan` as JSON, and reading one back with
 * every check an import needs (size, structure, ids, version), each failure naming the exact
 * field path, e.g. `actionPlan[0].steps[2].due`.
 */
import { T } from '@tldraw/validate'
import { emptyAgreementFields } from '../agreement/fields.ts'
import { normalizeTitle, PLAN_SCHEMA_VERSION } from '../board/boardDoc.ts'
import { isShapeIdText, newestFirst, type StepUpdate } from '../plan/actionPlan.ts'
import { byCheckInDate, type CheckIn, MAX_CHECK_INS } from '../plan/checkIns.ts'
import { MAX_VALUES_PER_INDICATOR } from '../plan/indicatorTracking.ts'
import { byMeasuredDate, fitsKind, type IndicatorValue } from '../plan/indicatorValue.ts'
import { organizationCardProps } from '../plan/organization.ts'
import { type PartnershipPlan, partnershipPlanValidator } from '../plan/partnershipPlan.ts'
import { MAX_UPDATES_PER_STEP } from '../plan/stepUpdates.ts'
import { BOARD_TEMPLATE_DEFINITIONS, stageFrameId, stagePromptId } from '../plan/template.ts'
import { PARKING_LOT } from '../themes/parkingLot.ts'
import { themeTitleValidator } from '../themes/theme.ts'
import { NOTE_COLORS } from './seedPlan.ts'

/** Largest plan JSON an import reads (a retreat's plan is tens of kilobytes). */
export const MAX_PLAN_JSON_BYTES = 2 * 1024 * 1024

export function planToJson(plan: PartnershipPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`
}

export type ImportFailure = {
  ok: false
  code: 'too_large' | 'invalid_json' | 'invalid_plan' | 'newer_version'
  /** Where it failed, e.g. `organizations[2].name`; '' for the whole document. */
  path: string
  message: string
}
export type ImportResult = { ok: true; plan: PartnershipPlan } | ImportFailure

/** `['a', 0, 'b']` → `a[0].b`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `.${part}`
  return text.startsWith('.') ? text.slice(1) : text
}

const fail = (
  code: ImportFailure['code'],
  path: readonly (string | number)[],
  message: string,
): ImportFailure => ({ ok: false, code, path: formatPath(path), message })

/** Reads plan JSON text: size first, then syntax, then everything `checkImportedPlan` checks. */
export function importPlan(json: string): ImportResult {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: measure only when it may matter.
  if (json.length * 3 > MAX_PLAN_JSON_BYTES) {
    const bytes = new TextEncoder().encode(json).length
    if (bytes > MAX_PLAN_JSON_BYTES) {
      return fail('too_large', [], `The plan is ${bytes} bytes; at most ${MAX_PLAN_JSON_BYTES}.`)
    }
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return fail('invalid_json', [], `Not valid JSON: ${(error as Error).message}`)
  }
  return checkImportedPlan(value)
}

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Plans exported before steps had a history have neither `history` nor `lastUpdate`: they read
 * as steps without updates. Returns a copy where needed; anything else is left to the validator.
 */
function withStepHistory(value: object): unknown {
  const actionPlan = (value as { actionPlan?: unknown }).actionPlan
  if (!Array.isArray(actionPlan)) return value
  let changed = false
  const items = actionPlan.map((item: unknown) => {
    const steps = (item as { steps?: unknown } | null)?.steps
    if (!Array.isArray(steps)) return item
    let stepsChanged = false
    const upgraded = steps.map((step: unknown) => {
      if (typeof step !== 'object' || step === null || Array.isArray(step)) return step
      if ('history' in step || 'lastUpdate' in step) return step
      stepsChanged = true
      return { ...step, history: [], lastUpdate: null }
    })
    if (!stepsChanged) return item
    changed = true
    return { ...(item as object), steps: upgraded }
  })
  return changed ? { ...value, actionPlan: items } : value
}

/**
 * A field later versions added reads as its empty value in plans exported before it existed:
 * `agreement` (the agreement details), `checkIns` (none scheduled), `themes` and `parkingLot`
 * (none).
 */
function withAddedField(value: unknown, field: string, empty: unknown): unknown {
  return typeof value === 'object' && value !== null && !(field in value)
    ? { ...value, [field]: empty }
    : value
}

/**
 * Plans of version 1 had indicators without organization, unit, baseline, target, frequency and
 * values: they read as indicators with none decided and no values (what the board migration
 * does), and the plan becomes one of this version.
 */
function withIndicatorFields(value: object): object {
  const version = (value as { planSchemaVersion?: unknown }).planSchemaVersion
  if (typeof version !== 'number' || version >= 2) return value
  const evaluation = (value as { evaluation?: unknown }).evaluation
  const indicators = (evaluation as { indicators?: unknown } | null)?.indicators
  const upgraded = Array.isArray(indicators)
    ? indicators.map((indicator: unknown) =>
        typeof indicator === 'object' && indicator !== null && !Array.isArray(indicator)
          ? {
              organization: null,
              unit: '',
              baseline: null,
              target: null,
              frequency: null,
              values: [],
              ...indicator,
            }
          : indicator,
      )
    : indicators
  return {
    ...value,
    planSchemaVersion: PLAN_SCHEMA_VERSION,
    ...(Array.isArray(indicators)
      ? { evaluation: { ...(evaluation as object), indicators: upgraded } }
      : {}),
  }
}

const activitiesValidator = organizationCardProps.activities

/**
 * A parsed value as a plan to import, or the first thing wrong with it. Beyond the plan's own
 * validator: a version this app knows, ids that can become shapes (unique, not the template's),
 * links between cards that exist, note colours tldraw knows. `problems` are dropped: they describe
 * the board it was exported from.
 */
export function checkImportedPlan(value: unknown): ImportResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_plan', [], 'Expected a JSON object (a partnership plan).')
  }
  const version = (value as { planSchemaVersion?: unknown }).planSchemaVersion
  if (typeof version === 'number' && version > PLAN_SCHEMA_VERSION) {
    return fail(
      'newer_version',
      ['planSchemaVersion'],
      `The plan was written by a newer version of the app (plan version ${version}; this app knows up to ${PLAN_SCHEMA_VERSION}).`,
    )
  }
  let plan: PartnershipPlan
  try {
    const complete = [
      ['agreement', emptyAgreementFields()],
      ['checkIns', []],
      ['themes', []],
      ['parkingLot', []],
    ].reduce<unknown>(
      (plan, [field, empty]) => withAddedField(plan, field as string, empty),
      withStepHistory(withIndicatorFields(value)),
    )
    plan = partnershipPlanValidator.validate(complete)
  } catch (error) {
    if (error instanceof T.ValidationError) {
      return fail('invalid_plan', error.path, error.rawMessage)
    }
    throw error
  }
  const invalid = (path: (string | number)[], message: string) =>
    fail('invalid_plan', path, message)

  if (normalizeTitle(plan.title) === null) {
    return invalid(['title'], 'Expected a title of 1 to 200 characters.')
  }
  const definition = BOARD_TEMPLATE_DEFINITIONS[plan.template]
  const taken = new Set<string>()
  for (const stage of definition.stages)
    taken.add(stageFrameId(stage.id)).add(stagePromptId(stage.id))
  const claim = (id: string, path: (string | number)[]): ImportFailure | null => {
    if (!isShapeIdText(id)) return invalid(path, 'Expected a shape id (shape:…)')
    if (taken.has(id)) return invalid(path, `The id ${id} is used twice (or by the template).`)
    taken.add(id)
    return null
  }

  const organizations = new Set<string>()
  for (const [i, org] of plan.organizations.entries()) {
    const failure = claim(org.id, ['organizations', i, 'id'])
    if (failure) return failure
    organizations.add(org.id)
    try {
      activitiesValidator.validate(org.activities)
    } catch (error) {
      return invalid(['organizations', i, 'activities'], (error as Error).message)
    }
  }
  const intersections = new Set<string>()
  for (const [i, intersection] of plan.intersections.entries()) {
    const failure = claim(intersection.id, ['intersections', i, 'id'])
    if (failure) return failure
    intersections.add(intersection.id)
    for (const [j, org] of intersection.organizations.entries()) {
      if (!organizations.has(org))
        return invalid(['intersections', i, 'organizations', j], `No organization ${org}.`)
    }
  }
  for (const [i, link] of plan.links.entries()) {
    if (!organizations.has(link.organization))
      return invalid(['links', i, 'organization'], `No organization ${link.organization}.`)
    if (!intersections.has(link.intersection))
      return invalid(['links', i, 'intersection'], `No intersection ${link.intersection}.`)
  }
  if (plan.issues.length > 0 && !definition.stages.some((stage) => stage.id === 'issues')) {
    return invalid(['issues'], 'This template has no Issues stage to hold the issues.')
  }
  const clusters = new Set<string>()
  for (const [i, issue] of plan.issues.entries()) {
    const failure = claim(issue.id, ['issues', i, 'id'])
    if (failure) return failure
    if (!NOTE_COLORS.includes(issue.color))
      return invalid(['issues', i, 'color'], `Expected one of: ${NOTE_COLORS.join(', ')}`)
    if (issue.cluster !== null) clusters.add(issue.cluster)
  }
  // A theme is claimed with its notes' cluster id; an empty theme by its own entry.
  const themes = new Set<string>()
  for (const [i, theme] of plan.themes.entries()) {
    if (themes.has(theme.id))
      return invalid(['themes', i, 'id'], `The id ${theme.id} is used twice.`)
    themes.add(theme.id)
    try {
      themeTitleValidator.validate(theme.title)
    } catch (error) {
      return invalid(['themes', i, 'title'], (error as Error).message)
    }
    if (!clusters.has(theme.id)) {
      const failure = claim(theme.id, ['themes', i, 'id'])
      if (failure) return failure
    }
  }
  for (const [i, issue] of plan.issues.entries()) {
    if (issue.cluster === null || !clusters.has(issue.cluster)) continue
    clusters.delete(issue.cluster)
    const failure = claim(issue.cluster, ['issues', i, 'cluster'])
    if (failure) return failure
  }
  if (plan.parkingLot.length > 0 && !definition.stages.some((stage) => stage.id === PARKING_LOT)) {
    return invalid(['parkingLot'], 'This template has no parking lot to hold these notes.')
  }
  for (const [i, note] of plan.parkingLot.entries()) {
    const failure = claim(note.id, ['parkingLot', i, 'id'])
    if (failure) return failure
    if (!NOTE_COLORS.includes(note.color))
      return invalid(['parkingLot', i, 'color'], `Expected one of: ${NOTE_COLORS.join(', ')}`)
  }
  const uniqueIds = (ids: string[], path: (string | number)[], pattern = ITEM_ID) => {
    const seen = new Set<string>()
    for (const [i, id] of ids.entries()) {
      if (!pattern.test(id))
        return invalid([...path, i, 'id'], 'Expected an id of letters, digits, _ or -')
      if (seen.has(id)) return invalid([...path, i, 'id'], `The id ${id} is used twice.`)
      seen.add(id)
    }
    return null
  }
  const listFailure =
    uniqueIds(
      plan.readiness.map((item) => item.id),
      ['readiness'],
    ) ??
    uniqueIds(
      plan.evaluation.indicators.map((item) => item.id),
      ['evaluation', 'indicators'],
    ) ??
    uniqueIds(
      plan.structure.roles.map((item) => item.id),
      ['structure', 'roles'],
    ) ??
    uniqueIds(
      plan.agreement.signatories.map((item) => item.id),
      ['agreement', 'signatories'],
    ) ??
    uniqueIds(
      plan.agreement.contacts.map((item) => item.id),
      ['agreement', 'contacts'],
    )
  if (listFailure) return listFailure
  for (const list of ['signatories', 'contacts'] as const) {
    for (const [i, person] of plan.agreement[list].entries()) {
      if (person.organization !== null && !organizations.has(person.organization))
        return invalid(
          ['agreement', list, i, 'organization'],
          `No organization ${person.organization}.`,
        )
    }
  }
  for (const [i, indicator] of plan.evaluation.indicators.entries()) {
    const path = ['evaluation', 'indicators', i, 'values']
    if (indicator.values.length > MAX_VALUES_PER_INDICATOR) {
      return invalid(path, `At most ${MAX_VALUES_PER_INDICATOR} values per indicator.`)
    }
    const ids = uniqueIds(
      indicator.values.map((value) => value.id),
      path,
    )
    if (ids) return ids
    for (const [k, value] of indicator.values.entries()) {
      if (!fitsKind(value.value, indicator.kind)) {
        return invalid(
          [...path, k, 'value'],
          indicator.kind === 'quantitative' ? 'Expected a number.' : 'Expected a text.',
        )
      }
      // Oldest first, as derivePlan lists them.
      if (k > 0 && byMeasuredDate(indicator.values[k - 1] as IndicatorValue, value) > 0)
        return invalid([...path, k], 'Expected the values oldest first.')
    }
  }

  const actionIssues = new Set<string>()
  for (const [i, item] of plan.actionPlan.entries()) {
    if (actionIssues.has(item.issue))
      return invalid(['actionPlan', i, 'issue'], `The issue ${item.issue} is listed twice.`)
    actionIssues.add(item.issue)
    const orgs = new Set<string>()
    for (const [j, row] of item.commitments.entries()) {
      if (orgs.has(row.organization))
        return invalid(['actionPlan', i, 'commitments', j, 'organization'], 'Listed twice.')
      orgs.add(row.organization)
    }
    const steps = uniqueIds(
      item.steps.map((step) => step.id),
      ['actionPlan', i, 'steps'],
    )
    if (steps) return steps
    for (const [j, step] of item.steps.entries()) {
      const path = ['actionPlan', i, 'steps', j]
      if (step.history.length > MAX_UPDATES_PER_STEP) {
        return invalid([...path, 'history'], `At most ${MAX_UPDATES_PER_STEP} updates per step.`)
      }
      const updates = uniqueIds(
        step.history.map((update) => update.id),
        [...path, 'history'],
      )
      if (updates) return updates
      // Newest first, as derivePlan lists them; `lastUpdate` is the newest.
      for (let k = 1; k < step.history.length; k++) {
        if (newestFirst(step.history[k - 1] as StepUpdate, step.history[k] as StepUpdate) > 0)
          return invalid([...path, 'history', k], 'Expected the updates newest first.')
      }
      const newest = step.history[0] ?? null
      if (JSON.stringify(step.lastUpdate) !== JSON.stringify(newest)) {
        return invalid([...path, 'lastUpdate'], 'Expected the newest update of the history.')
      }
    }
  }
  const checkInFailure = checkImportedCheckIns(plan.checkIns)
  if (checkInFailure) return checkInFailure
  return { ok: true, plan: { ...plan, problems: [] } }
}

/** Check-ins the board could hold, listed as `derivePlan` lists them (so the round trip holds). */
function checkImportedCheckIns(checkIns: readonly CheckIn[]): ImportFailure | null {
  if (checkIns.length > MAX_CHECK_INS) {
    return fail('invalid_plan', ['checkIns'], `At most ${MAX_CHECK_INS} check-ins.`)
  }
  const seen = new Set<string>()
  for (const [i, checkIn] of checkIns.entries()) {
    const path = ['checkIns', i]
    if (seen.has(checkIn.id))
      return fail('invalid_plan', [...path, 'id'], `The id ${checkIn.id} is used twice.`)
    seen.add(checkIn.id)
    if (i > 0 && byCheckInDate(checkIns[i - 1] as CheckIn, checkIn) > 0)
      return fail('invalid_plan', [...path, 'date'], 'Expected the check-ins by date.')
    if (checkIn.finishedAt !== null && checkIn.startedAt === null)
      return fail('invalid_plan', [...path, 'finishedAt'], 'A check-in finishes after it starts.')
    if (checkIn.finishedAt !== null && (checkIn.startedAt as number) > checkIn.finishedAt)
      return fail('invalid_plan', [...path, 'finishedAt'], 'A check-in finishes after it starts.')
    const record =
      checkIn.attended.length > 0 || checkIn.blockers !== '' || checkIn.decisions !== ''
    if (record && checkIn.startedAt === null)
      return fail(
        'invalid_plan',
        [...path, 'startedAt'],
        'Only a check-in that started has a record.',
      )
  }
  return null
}
