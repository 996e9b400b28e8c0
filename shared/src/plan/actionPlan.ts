/**
 * Stage 5, "Action plan": for each ranked issue, what each organization takes on and needs, and
 * the steps. Everything lives in the plan map (planData.ts), one key per field, so two people
 * filling different cells or different fields of one step never overwrite each other:
 *
 * | key                                                | value |
 * |----------------------------------------------------|-------|
 * | `action/issues/<issueId>`                          | `ActionIssueEntry` {title, rank, sessionId} |
 * | `action/commitments/<issueId>/<organizationId>/<cell>` | text; cell = takesOn, fromPartners, fromParent |
 * | `action/steps/<issueId>/<stepId>/<field>`          | one field of a step (what, person, organization, due, status, order) |
 * | `action/updates/<issueId>/<stepId>/<updateId>`     | `StepUpdateEntry` {status, note, at, by}: one update of the step's history |
 *
 * `<issueId>` is the issue note's shape id, `<organizationId>` an organization card's shape id.
 * A step exists while its `order` key does (adding a step writes every field in one transaction,
 * removing it deletes every field); a field written concurrently with a removal is left over
 * without an `order` and ignored.
 *
 * A step's history is append-only: each update is a key of its own, under an id its writer drew,
 * so two people posting at once both keep theirs. Who may write, delete or never change one, and
 * how many a step keeps: stepUpdates.ts. Removing a step leaves its updates (Undo brings the step
 * back with them); updates of a step that does not exist are ignored.
 */

import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'

/** Shape ids as tldraw makes them (`shape:` and a short random id). */
const SHAPE_ID = /^shape:[A-Za-z0-9_-]{1,64}$/
const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/
const ID = '[A-Za-z0-9_-]{1,64}'
const SHAPE = `shape:${ID}`

export function isShapeIdText(value: unknown): value is string {
  return typeof value === 'string' && SHAPE_ID.test(value)
}

export const shapeIdValidator = T.string.check((value) => {
  if (!SHAPE_ID.test(value)) throw new T.ValidationError('Expected a shape id (shape:…)')
})

export const STEP_STATUSES = ['not-started', 'in-progress', 'done', 'blocked'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export const COMMITMENT_CELLS = ['takesOn', 'fromPartners', 'fromParent'] as const
export type CommitmentCell = (typeof COMMITMENT_CELLS)[number]

export const STEP_FIELDS = ['what', 'person', 'organization', 'due', 'status', 'order'] as const
export type StepField = (typeof STEP_FIELDS)[number]

/** A calendar date as `yyyy-mm-dd` that exists (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

export const isoDateValidator = T.string.check((value) => {
  if (!isIsoDate(value)) throw new T.ValidationError('Expected a date as yyyy-mm-dd')
})

/** A fractional index (tldraw's), so moving a step rewrites only that step's `order`. */
export const orderValidator = T.string.check((value) => {
  if (value.length > 64)
    throw new T.ValidationError('Expected an order key of at most 64 characters')
  if (!T.indexKey.isValid(value))
    throw new T.ValidationError('Expected a fractional index order key')
})

/** An issue taken into the action plan (what "Promote to action plan" writes). */
export interface ActionIssueEntry {
  /** The issue as the group named it when it was promoted. */
  title: string
  /** 1 = first; tied issues share a rank. */
  rank: number
  /** The vote session it was ranked in, or `null` when added by hand. */
  sessionId: string | null
}

const actionIssueFields = {
  title: boundedText(),
  rank: T.integer.check((value) => {
    if (value < 1 || value > 100_000) throw new T.ValidationError('Expected a rank from 1')
  }),
  sessionId: T.nullable(boundedText(MAX_LINE_LENGTH)),
}

export const actionIssueEntryValidator: T.Validator<ActionIssueEntry> = T.object(actionIssueFields)

export const stepFieldValidators = {
  what: boundedText(),
  /** The responsible person, by name. */
  person: boundedText(MAX_LINE_LENGTH),
  /** The responsible organization: a card's shape id. */
  organization: T.nullable(shapeIdValidator),
  due: T.nullable(isoDateValidator),
  status: T.literalEnum(...STEP_STATUSES),
  order: orderValidator,
} satisfies Record<StepField, T.Validatable<unknown>>

/** The longest one-line update an owner posts with a status. */
export const MAX_UPDATE_NOTE_LENGTH = 280
/** Latest instant a board keeps (`Date`'s own limit), in ms since the epoch. */
const MAX_INSTANT = 8.64e15

/** One update of a step, as the plan map stores it (its id is in the key). */
export interface StepUpdateEntry {
  /** The step's status as of this update. */
  status: StepStatus
  /** One line: what happened (may be empty when only the status changed). */
  note: string
  /** When it was posted, server-clock milliseconds (the server refuses a time far from its own). */
  at: number
  /** Who posted it, by the name they gave (as in presence). */
  by: string
}

/** An update with its id, as the derived plan lists it. */
export interface StepUpdate extends StepUpdateEntry {
  id: string
}

/** One line of at most `max` characters (no line breaks): an update's or a value's note. */
export function oneLineText(max: number) {
  return T.string.check((value) => {
    if (value.length > max) throw new T.ValidationError(`Expected at most ${max} characters`)
    if (/[\r\n\u2028\u2029]/.test(value)) throw new T.ValidationError('Expected one line')
  })
}

/** When something was posted: whole milliseconds since 1970 (server clock). */
export const postedAtValidator = T.number.check((value) => {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INSTANT)
    throw new T.ValidationError('Expected a time in milliseconds since 1970')
})

/** Who posted something, by the name they gave (as in presence). */
export const posterNameValidator = T.string.check((value) => {
  if (value.trim() === '') throw new T.ValidationError('Expected a name')
  if (value.length > MAX_LINE_LENGTH)
    throw new T.ValidationError(`Expected at most ${MAX_LINE_LENGTH} characters`)
})

const stepUpdateFields = {
  status: T.literalEnum(...STEP_STATUSES),
  note: oneLineText(MAX_UPDATE_NOTE_LENGTH),
  at: postedAtValidator,
  by: posterNameValidator,
}

export const stepUpdateEntryValidator: T.Validator<StepUpdateEntry> = T.object(stepUpdateFields)

export const stepUpdateValidator: T.Validator<StepUpdate> = T.object({
  id: T.string.check((value) => {
    if (!STEP_ID.test(value)) throw new T.ValidationError('Expected an update id')
  }),
  ...stepUpdateFields,
})

/** Newest first: later `at`, then (same millisecond) the greater id. */
export function newestFirst(a: StepUpdate, b: StepUpdate): number {
  return b.at - a.at || compareCode(b.id, a.id)
}

export interface ActionStep {
  id: string
  what: string
  person: string
  organization: string | null
  /** `yyyy-mm-dd`, or `null` when no date is set. */
  due: string | null
  status: StepStatus
  order: string
  /** Every update posted for the step, newest first. */
  history: StepUpdate[]
  /** `history[0]`, or null before the first update. */
  lastUpdate: StepUpdate | null
}

/** A step's own fields, as one plan key each holds them (no history). */
export type StepFields = Omit<ActionStep, 'history' | 'lastUpdate'>

/** A step nobody has written anything in yet (what, who, organization and date all empty). */
export function isBlankStep(step: StepFields): boolean {
  return step.what.trim() === '' && step.person.trim() === '' && !step.organization && !step.due
}

export const actionStepValidator: T.Validator<ActionStep> = T.object({
  id: T.string.check((value) => {
    if (!STEP_ID.test(value)) throw new T.ValidationError('Expected a step id')
  }),
  ...stepFieldValidators,
  history: T.arrayOf(stepUpdateValidator),
  lastUpdate: T.nullable(stepUpdateValidator),
})

/** What one organization takes on for an issue and what it needs. */
export interface Commitment {
  organization: string
  takesOn: string
  fromPartners: string
  fromParent: string
}

export const commitmentValidator: T.Validator<Commitment> = T.object({
  organization: shapeIdValidator,
  takesOn: boundedText(),
  fromPartners: boundedText(),
  fromParent: boundedText(),
})

export interface ActionPlanItem {
  /** The issue note's shape id. */
  issue: string
  title: string
  rank: number
  sessionId: string | null
  /** One per organization anyone wrote for, in the plan's organization order. */
  commitments: Commitment[]
  /** In `order`. */
  steps: ActionStep[]
}

export const actionPlanItemValidator: T.Validator<ActionPlanItem> = T.object({
  issue: shapeIdValidator,
  ...actionIssueFields,
  commitments: T.arrayOf(commitmentValidator),
  steps: T.arrayOf(actionStepValidator),
})

/** Keys of the action plan that hold one value each, by pattern (for planData.ts). */
export const ACTION_PLAN_PATTERNS: readonly {
  pattern: RegExp
  validator: T.Validatable<unknown>
}[] = [
  { pattern: new RegExp(`^action/issues/${SHAPE}$`), validator: actionIssueEntryValidator },
  ...COMMITMENT_CELLS.map((cell) => ({
    pattern: new RegExp(`^action/commitments/${SHAPE}/${SHAPE}/${cell}$`),
    validator: stepFieldValidators.what as T.Validatable<unknown>,
  })),
  ...STEP_FIELDS.map((field) => ({
    pattern: new RegExp(`^action/steps/${SHAPE}/${ID}/${field}$`),
    validator: stepFieldValidators[field] as T.Validatable<unknown>,
  })),
  {
    pattern: new RegExp(`^action/updates/${SHAPE}/${ID}/${ID}$`),
    validator: stepUpdateEntryValidator as T.Validatable<unknown>,
  },
]

export const actionIssueKey = (issue: string) => `action/issues/${issue}`
export const commitmentKey = (issue: string, organization: string, cell: CommitmentCell) =>
  `action/commitments/${issue}/${organization}/${cell}`
export const stepKey = (issue: string, step: string, field: StepField) =>
  `action/steps/${issue}/${step}/${field}`
export const stepUpdateKey = (issue: string, step: string, update: string) =>
  `action/updates/${issue}/${step}/${update}`
/** Where a step's updates start: every key of its history begins with this. */
export const stepUpdatesPrefix = (issue: string, step: string) => `action/updates/${issue}/${step}/`

const byText = (a: string, b: string) =>
  a === b ? 0 : a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'en', { sensitivity: 'base' })
export const compareCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The action plan from validated plan entries (keys starting `action/`): issues by rank (ties by
 * title, then id), commitments in `organizationOrder` (unknown organizations last, by id), steps
 * by `order` (ties by id).
 */
export function actionPlanFrom(
  entries: ReadonlyMap<string, unknown>,
  organizationOrder: readonly string[],
): ActionPlanItem[] {
  const items = new Map<string, ActionPlanItem>()
  const commitments = new Map<string, Map<string, Commitment>>()
  const steps = new Map<string, Map<string, Partial<ActionStep>>>()
  /** Updates by `<issue>/<step>`. */
  const updates = new Map<string, StepUpdate[]>()
  for (const [key, value] of entries) {
    const parts = key.split('/')
    if (parts[0] !== 'action') continue
    if (parts[1] === 'issues' && parts.length === 3) {
      const issue = parts[2] as string
      const entry = value as ActionIssueEntry
      items.set(issue, { issue, ...entry, commitments: [], steps: [] })
    } else if (parts[1] === 'commitments' && parts.length === 5) {
      const [, , issue, organization, cell] = parts as [string, string, string, string, string]
      const byOrg = commitments.get(issue) ?? new Map<string, Commitment>()
      commitments.set(issue, byOrg)
      let row = byOrg.get(organization)
      if (!row) {
        row = { organization, takesOn: '', fromPartners: '', fromParent: '' }
        byOrg.set(organization, row)
      }
      row[cell as CommitmentCell] = value as string
    } else if (parts[1] === 'steps' && parts.length === 5) {
      const [, , issue, step, field] = parts as [string, string, string, string, string]
      const byStep = steps.get(issue) ?? new Map<string, Partial<ActionStep>>()
      steps.set(issue, byStep)
      const row = byStep.get(step) ?? { id: step }
      byStep.set(step, row)
      ;(row as Record<string, unknown>)[field] = value
    } else if (parts[1] === 'updates' && parts.length === 5) {
      const [, , issue, step, id] = parts as [string, string, string, string, string]
      const list = updates.get(`${issue}/${step}`) ?? []
      updates.set(`${issue}/${step}`, list)
      list.push({ id, ...(value as StepUpdateEntry) })
    }
  }
  const orgIndex = new Map(organizationOrder.map((id, i) => [id, i]))
  const orgRank = (id: string) => orgIndex.get(id) ?? Number.MAX_SAFE_INTEGER
  for (const [issue, item] of items) {
    item.commitments = [...(commitments.get(issue)?.values() ?? [])].sort(
      (a, b) =>
        orgRank(a.organization) - orgRank(b.organization) ||
        compareCode(a.organization, b.organization),
    )
    item.steps = [...(steps.get(issue)?.values() ?? [])]
      .filter((step) => typeof step.order === 'string')
      .map((step) => {
        const history = (updates.get(`${issue}/${step.id}`) ?? []).sort(newestFirst)
        return {
          id: step.id as string,
          what: step.what ?? '',
          person: step.person ?? '',
          organization: step.organization ?? null,
          due: step.due ?? null,
          status: step.status ?? 'not-started',
          order: step.order as string,
          history,
          lastUpdate: history[0] ?? null,
        }
      })
      .sort((a, b) => compareCode(a.order, b.order) || compareCode(a.id, b.id))
  }
  return [...items.values()].sort(
    (a, b) => a.rank - b.rank || byText(a.title, b.title) || compareCode(a.issue, b.issue),
  )
}

/** Whose steps: a person's name and/or an organization id. */
export interface StepOwner {
  person?: string
  organization?: string | null
}

/**
 * Whether two names may be one person's: word for word (any case and accents, punctuation aside), or the
 * words of one begin the other. People join as "Rosa from the housing authority" or "Priya
 * (Library)", and a step's person responsible is typed as "Rosa" or "Priya": an exact match
 * would leave their own steps out of "My steps". Two Rosas both see a step for "Rosa": better
 * than neither.
 */
export function samePerson(a: string, b: string): boolean {
  const wordsA = wordsOf(a)
  const wordsB = wordsOf(b)
  const [shorter, longer] = wordsA.length <= wordsB.length ? [wordsA, wordsB] : [wordsB, wordsA]
  return shorter.length > 0 && shorter.every((word, i) => word === longer[i])
}

/** Lower case, accents aside ("María" and "Maria" are typed for the same person). */
function wordsOf(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
}

/** "My steps": every step assigned to this person or organization, by due date (undated last). */
export function stepsFor(
  actionPlan: readonly ActionPlanItem[],
  owner: StepOwner,
): { item: ActionPlanItem; step: ActionStep }[] {
  const person = owner.person?.trim() ?? ''
  const found: { item: ActionPlanItem; step: ActionStep }[] = []
  for (const item of actionPlan) {
    for (const step of item.steps) {
      const mine =
        (person !== '' && samePerson(step.person, person)) ||
        (!!owner.organization && step.organization === owner.organization)
      if (mine) found.push({ item, step })
    }
  }
  // Stable sort: same date keeps rank and step order.
  return found.sort((a, b) => compareCode(a.step.due ?? '9999', b.step.due ?? '9999'))
}

/** Whether a plan map key belongs to the action plan. */
export function isActionPlanKey(key: string): boolean {
  return key.startsWith('action/')
}
