/**
 * `derivePlan(doc)`: the partnership plan of a board, read from its tldraw records and its plan
 * map. Pure: it never writes to the doc (safe on a server room's doc) and gives the same plan for
 * the same doc state.
 */
import type { TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import type * as Y from 'yjs'
import { agreementFieldsFrom, emptyAgreementFields } from '../agreement/fields.ts'
import { readBoardMeta, readRecords } from '../board/boardDoc.ts'
import { DEFAULT_LOCALE, type Locale, translate } from '../i18n/index.ts'
import { isTheme, itemTextOf, type Theme, themeTitleOf } from '../themes/theme.ts'
import { issueRanking, voteHistory } from '../vote/results.ts'
import { readRoundState } from '../vote/round.ts'
import { roundHistory } from '../vote/roundRecords.ts'
import { readVoteState } from '../vote/voteDoc.ts'
import { actionPlanFrom, isActionPlanKey } from './actionPlan.ts'
import { emptyCapacityAssessment } from './capacity.ts'
import { checkInsFrom, isCheckInKey } from './checkIns.ts'
import { emptyCommunityAssessment } from './community.ts'
import { emptyEvaluationPlan, type IndicatorEntry } from './evaluation.ts'
import {
  byMeasuredDate,
  type IndicatorValue,
  type IndicatorValueEntry,
  isIndicatorValueKey,
  parseIndicatorValueKey,
} from './indicatorValue.ts'
import {
  INTERSECTION_CARD,
  type IntersectionCardProps,
  type IntersectionLink,
  intersectionCardProps,
  intersectionFromCard,
} from './intersection.ts'
import { type IssueCandidate, plainTextOf } from './issue.ts'
import {
  ORGANIZATION_CARD,
  type OrganizationCardProps,
  organizationCardProps,
  organizationFromCard,
} from './organization.ts'
import type { PartnershipPlan, PlanProblem } from './partnershipPlan.ts'
import { checkPlanEntry, PLAN_FIELDS, readPlanEntries } from './planData.ts'
import { migratePlanEntries } from './planMigrations.ts'
import type { ReadinessEntry, ReadinessItem } from './readiness.ts'
import { emptyPartnershipStructure, type RoleEntry } from './structure.ts'
import { BOARD_TEMPLATE_DEFINITIONS, STAGE_META_KEY, type StageId } from './template.ts'

export interface DerivePlanOptions {
  /** Language of the template's readiness questions; English by default. */
  locale?: Locale
}

const organizationCardValidator = T.object(organizationCardProps)
const intersectionCardValidator = T.object(intersectionCardProps)

const byText = (a: string, b: string) =>
  a === b ? 0 : a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'en', { sensitivity: 'base' })

export function derivePlan(doc: Y.Doc, options: DerivePlanOptions = {}): PartnershipPlan {
  const locale = options.locale ?? DEFAULT_LOCALE
  const meta = readBoardMeta(doc)
  const records = readRecords(doc)
  const problems: PlanProblem[] = []

  const shapes = new Map<string, TLShape>()
  const arrowEnds = new Map<string, { start?: string; end?: string }>()
  for (const record of records.values()) {
    if (record.typeName === 'shape') shapes.set(record.id, record)
    else if (record.typeName === 'binding' && record.type === 'arrow') {
      const terminal = (record.props as { terminal?: unknown }).terminal
      if (terminal !== 'start' && terminal !== 'end') continue
      const ends = arrowEnds.get(record.fromId) ?? {}
      ends[terminal] = record.toId
      arrowEnds.set(record.fromId, ends)
    }
  }

  // Cards whose props do not validate are reported and left out, never half read.
  const organizationCards = new Map<string, OrganizationCardProps>()
  const intersectionCards = new Map<string, IntersectionCardProps>()
  for (const shape of shapes.values()) {
    const type = shape.type as string
    if (type !== ORGANIZATION_CARD && type !== INTERSECTION_CARD) continue
    const validator =
      type === ORGANIZATION_CARD ? organizationCardValidator : intersectionCardValidator
    try {
      const props = validator.validate(shape.props)
      if (type === ORGANIZATION_CARD)
        organizationCards.set(shape.id, props as OrganizationCardProps)
      else intersectionCards.set(shape.id, props as IntersectionCardProps)
    } catch (error) {
      problems.push({
        where: shape.id,
        message: `invalid ${type} card: ${(error as Error).message}`,
      })
    }
  }

  const organizations = [...organizationCards]
    .map(([id, props]) => organizationFromCard({ id, props }))
    .sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))
  const organizationOrder = new Map(organizations.map((org, i) => [org.id, i]))

  // The intersection map: an arrow whose two ends are bound to an organization card and an
  // intersection card (either way round). Unbound arrows and arrows to deleted cards link nothing.
  const linked = new Map<string, Set<string>>()
  for (const [arrowId, ends] of arrowEnds) {
    if (!shapes.has(arrowId) || !ends.start || !ends.end) continue
    let organization: string | undefined
    let intersection: string | undefined
    for (const end of [ends.start, ends.end]) {
      if (organizationCards.has(end)) organization = end
      else if (intersectionCards.has(end)) intersection = end
    }
    if (!organization || !intersection) continue
    const set = linked.get(intersection) ?? new Set<string>()
    set.add(organization)
    linked.set(intersection, set)
  }
  const intersections = [...intersectionCards]
    .map(([id, props]) =>
      intersectionFromCard(
        { id, props },
        [...(linked.get(id) ?? [])].sort(
          (a, b) => (organizationOrder.get(a) ?? 0) - (organizationOrder.get(b) ?? 0),
        ),
      ),
    )
    .sort((a, b) => byText(a.title, b.title) || byText(a.id, b.id))
  const links: IntersectionLink[] = []
  for (const organization of organizations) {
    for (const intersection of intersections) {
      if (intersection.organizations.includes(organization.id))
        links.push({ organization: organization.id, intersection: intersection.id })
    }
  }

  const { issues, themes } = issueCandidates(shapes)
  const votes = readVoteState(doc)
  problems.push(...votes.problems)
  const rounds = readRoundState(doc)
  problems.push(...rounds.problems)
  // A vote's items are notes or themes: a theme reads as its title.
  const noteText = (id: string) => itemTextOf(shapes.get(id))

  const plan: PartnershipPlan = {
    title: meta.title,
    template: meta.template,
    planSchemaVersion: meta.planSchemaVersion,
    readiness: [],
    organizations,
    intersections,
    links,
    issues,
    themes,
    parkingLot: notesInStage(shapes, 'parkingLot').map(({ shape }) => noteFields(shape)),
    votes: voteHistory(votes, noteText),
    ranking: issueRanking(votes, noteText),
    rounds: roundHistory(rounds, noteText),
    actionPlan: [],
    checkIns: [],
    community: emptyCommunityAssessment(),
    capacity: emptyCapacityAssessment(),
    evaluation: emptyEvaluationPlan(),
    structure: emptyPartnershipStructure(),
    agreement: emptyAgreementFields(),
    problems,
  }
  readAnswers(doc, plan, locale)
  return plan
}

/**
 * Notes anywhere inside a frame marked as the Issues stage (also inside groups and themes within
 * it); a note's cluster is the nearest group or theme around it.
 */
function issueCandidates(shapes: Map<string, TLShape>): {
  issues: IssueCandidate[]
  themes: Theme[]
} {
  const issues = notesInStage(shapes, 'issues').map(({ shape, cluster }) => ({
    ...noteFields(shape),
    cluster,
  }))
  // Themes in the order their notes come (so an import, which lays the notes out again, gives
  // the same list), then those without notes by title.
  const found = new Map<string, string>(
    shapesInStage(shapes, 'issues', isTheme).map(({ shape }) => [shape.id, themeTitleOf(shape)]),
  )
  const order = [...new Set(issues.flatMap((issue) => (issue.cluster ? [issue.cluster] : [])))]
  const themes: Theme[] = []
  for (const id of order) {
    const title = found.get(id)
    if (title === undefined) continue
    themes.push({ id, title })
    found.delete(id)
  }
  const rest = [...found].sort(([a, ta], [b, tb]) => byText(ta, tb) || byText(a, b))
  for (const [id, title] of rest) themes.push({ id, title })
  return { issues, themes }
}

function noteFields(shape: TLShape): Omit<IssueCandidate, 'cluster'> {
  const props = shape.props as { richText?: unknown; color?: unknown }
  return {
    id: shape.id,
    text: plainTextOf(props.richText),
    color: typeof props.color === 'string' ? props.color : 'yellow',
  }
}

function notesInStage(shapes: Map<string, TLShape>, stage: StageId) {
  return shapesInStage(shapes, stage, (shape) => shape.type === 'note')
}

/**
 * Shapes that pass `wanted` anywhere inside a frame marked as `stage`, in reading order within
 * it (rows of roughly a note's height, left to right), each with the nearest group or theme
 * between it and the frame.
 */
function shapesInStage(
  shapes: Map<string, TLShape>,
  stage: StageId,
  wanted: (shape: TLShape) => boolean,
): { shape: TLShape; cluster: string | null }[] {
  const stageFrames = new Set<string>()
  for (const shape of shapes.values()) {
    if (shape.type === 'frame' && shape.meta[STAGE_META_KEY] === stage) stageFrames.add(shape.id)
  }
  if (stageFrames.size === 0) return []
  const found: { shape: TLShape; cluster: string | null; x: number; y: number }[] = []
  for (const shape of shapes.values()) {
    if (!wanted(shape)) continue
    let x = shape.x
    let y = shape.y
    let cluster: string | null = null
    let parent = shapes.get(shape.parentId)
    // Bounded walk: a cycle in bad data must not hang the server.
    for (let depth = 0; parent && depth < 64; depth++) {
      if (stageFrames.has(parent.id)) {
        found.push({ shape, cluster, x, y })
        break
      }
      if ((parent.type === 'group' || isTheme(parent)) && cluster === null) cluster = parent.id
      x += parent.x
      y += parent.y
      parent = shapes.get(parent.parentId)
    }
  }
  const row = (y: number) => Math.floor(y / 100)
  found.sort((a, b) => row(a.y) - row(b.y) || a.x - b.x || byText(a.shape.id, b.shape.id))
  return found.map(({ shape, cluster }) => ({ shape, cluster }))
}

function readAnswers(doc: Y.Doc, plan: PartnershipPlan, locale: Locale): void {
  const migrated = migratePlanEntries(readPlanEntries(doc), plan.planSchemaVersion)
  const definition = BOARD_TEMPLATE_DEFINITIONS[plan.template]
  const readiness = new Map<string, ReadinessEntry>()
  const indicators: [string, IndicatorEntry][] = []
  const roles: [string, RoleEntry][] = []
  const action = new Map<string, unknown>()
  const checkIns = new Map<string, unknown>()
  const values = new Map<string, IndicatorValue[]>()

  if (!migrated.ok) {
    plan.problems.push({ where: 'plan', message: migrated.message })
  } else {
    plan.agreement = agreementFieldsFrom(migrated.entries)
    // A person of a card since deleted: of no organization, as a step's owner would be.
    const cards = new Set(plan.organizations.map((organization) => organization.id))
    for (const person of [...plan.agreement.signatories, ...plan.agreement.contacts]) {
      if (person.organization && !cards.has(person.organization)) person.organization = null
    }
    const sections = {
      community: plan.community as unknown as Record<string, unknown>,
      capacity: plan.capacity as unknown as Record<string, unknown>,
      evaluation: plan.evaluation as unknown as Record<string, unknown>,
      structure: plan.structure as unknown as Record<string, unknown>,
    }
    // Lists come out in key order; the action plan orders itself (and its thousands of keys
    // would make a locale-aware sort the slowest part of deriving).
    // Indicator values are sorted by date below.
    const entries = [...migrated.entries]
    const ownOrder = (key: string) => isActionPlanKey(key) || isIndicatorValueKey(key)
    const ordered = entries.filter(([key]) => !ownOrder(key)).sort(([a], [b]) => byText(a, b))
    for (const [key, raw] of [...ordered, ...entries.filter(([key]) => ownOrder(key))]) {
      const check = checkPlanEntry(key, raw)
      if (!check.ok) {
        plan.problems.push({ where: key, message: check.message })
        continue
      }
      const slash = key.lastIndexOf('/')
      const prefix = key.slice(0, slash)
      const id = key.slice(slash + 1)
      if (PLAN_FIELDS.has(key)) {
        const section = sections[prefix as keyof typeof sections]
        if (section) section[id] = check.value
      } else if (prefix === 'readiness') readiness.set(id, check.value as ReadinessEntry)
      else if (prefix === 'evaluation/indicators')
        indicators.push([id, check.value as IndicatorEntry])
      else if (prefix === 'structure/roles') roles.push([id, check.value as RoleEntry])
      else if (isActionPlanKey(key)) action.set(key, check.value)
      else if (isCheckInKey(key)) checkIns.set(key, check.value)
      else if (isIndicatorValueKey(key)) {
        const parsed = parseIndicatorValueKey(key)
        if (!parsed) continue
        const list = values.get(parsed.indicator) ?? []
        values.set(parsed.indicator, list)
        list.push({ id: parsed.value, ...(check.value as IndicatorValueEntry) })
      }
    }
  }

  const items: ReadinessItem[] = definition.readiness.map(({ id, questionKey }) => {
    const entry = readiness.get(id)
    return {
      id,
      question: entry?.question || translate(locale, questionKey),
      answer: entry?.answer ?? null,
      note: entry?.note ?? '',
    }
  })
  const templateIds = new Set(definition.readiness.map((question) => question.id))
  for (const [id, entry] of readiness) {
    if (templateIds.has(id)) continue
    if (!entry.question.trim()) {
      plan.problems.push({ where: `readiness/${id}`, message: 'a question of its own needs text' })
      continue
    }
    items.push({ id, ...entry })
  }
  plan.readiness = items
  // Values of an indicator since removed are not shown (a facilitator removes both at once).
  plan.evaluation.indicators = indicators.map(([id, entry]) => ({
    id,
    ...entry,
    values: (values.get(id) ?? []).sort(byMeasuredDate),
  }))
  plan.structure.roles = roles.map(([id, entry]) => ({ id, ...entry }))
  plan.checkIns = checkInsFrom(checkIns)
  plan.actionPlan = actionPlanFrom(
    action,
    plan.organizations.map((organization) => organization.id),
  )
}
