/**
 * `seedBoardFromPlan(doc, plan)`: a new board that holds an imported plan, so that
 * `derivePlan(doc)` gives the plan back. Organization and intersection cards keep their ids and
 * are laid out in their stages' frames, every link becomes a bound arrow, each issue a note in the
 * Issues frame in reading order (a theme becomes a theme frame, any other cluster a tldraw
 * group), each parked note a note in the parking lot, and the answers and the action
 * plan become plan-map entries. Takes a plan `checkImportedPlan` accepted.
 */
import { DefaultColorStyle, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import type * as Y from 'yjs'
import { agreementFieldKey, agreementItemKey } from '../agreement/fields.ts'
import { FIRST_PAGE_ID, openBoardDoc } from '../board/boardDoc.ts'
import { type LinkedBoard, PREVIOUS_RETREAT, setLinkedBoard } from '../board/boardMeta.ts'
import { CATALOGUES, LOCALES, type Locale, type translate } from '../i18n/index.ts'
import {
  actionIssueKey,
  COMMITMENT_CELLS,
  commitmentKey,
  STEP_FIELDS,
  stepKey,
  stepUpdateKey,
} from '../plan/actionPlan.ts'
import { emptyCapacityAssessment } from '../plan/capacity.ts'
import { checkInKey } from '../plan/checkIns.ts'
import { emptyCommunityAssessment } from '../plan/community.ts'
import { emptyEvaluationPlan } from '../plan/evaluation.ts'
import { indicatorKey, indicatorValueKey } from '../plan/indicatorValue.ts'
import { defaultIntersectionCardProps, INTERSECTION_CARD } from '../plan/intersection.ts'
import { defaultOrganizationCardProps, ORGANIZATION_CARD } from '../plan/organization.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { checkPlanEntry, PLAN, PlanDataError } from '../plan/planData.ts'
import { seedBoard } from '../plan/seedBoard.ts'
import { arrowBindingRecord, arrowProps, noteProps, shapeRecord } from '../plan/shapeRecords.ts'
import { emptyPartnershipStructure } from '../plan/structure.ts'
import { BOARD_TEMPLATE_DEFINITIONS, type StageId, stageFrameId } from '../plan/template.ts'
import { PARKING_LOT, PARKING_LOT_FRAME_ID } from '../themes/parkingLot.ts'
import { type Box, THEME_META_KEY, themeBoxAround } from '../themes/theme.ts'

export const NOTE_COLORS: readonly string[] = DefaultColorStyle.values

function shape(
  id: string,
  type: string,
  parentId: string,
  index: string,
  x: number,
  y: number,
  props: object,
): TLShape {
  return shapeRecord(id, type, props, { parentId, index, x, y })
}

/** A theme frame (theme.ts) with its title, holding nothing yet. */
function themeRecord(
  id: string,
  title: string,
  parentId: string,
  index: string,
  box: Box,
): TLShape {
  const record = shape(id, 'frame', parentId, index, box.x, box.y, {
    w: box.w,
    h: box.h,
    name: title,
    color: 'black',
  })
  return { ...record, meta: { [THEME_META_KEY]: true } }
}

/** A grid of `count` cells from (x, y), `columns` wide. */
function grid(count: number, x: number, y: number, columns: number, w: number, h: number) {
  return Array.from({ length: count }, (_, i) => ({
    x: x + (i % columns) * w,
    y: y + Math.floor(i / columns) * h,
  }))
}

/**
 * A grid of `count` cells of `w` × `h` over a stage frame: inside its margins, below its title,
 * as many to a row as fit.
 */
function gridOver(frame: { x: number; y: number; w: number }, count: number, w: number, h: number) {
  const columns = Math.max(1, Math.floor((frame.w - 80) / w))
  return grid(count, frame.x + 40, frame.y + 120, columns, w, h)
}

export interface SeedPlanOptions {
  createdAt: number
  /** Language of the template's stage titles and prompts. */
  locale?: Locale
  /** Plan-map entries beyond what the plan holds (the next retreat's evaluation), each checked. */
  entries?: ReadonlyMap<string, unknown>
  /** The board this one continues (the next retreat's `meta.previousRetreat`). */
  previousRetreat?: LinkedBoard
}

/** Writes the plan into an empty doc, in one transaction. */
export function seedBoardFromPlan(
  doc: Y.Doc,
  plan: PartnershipPlan,
  options: SeedPlanOptions,
): void {
  const definition = BOARD_TEMPLATE_DEFINITIONS[plan.template]
  const frame = (id: StageId) => definition.stages.find((stage) => stage.id === id)
  const board = openBoardDoc(doc)
  const records: TLRecord[] = []
  const used = new Set<string>([
    ...plan.organizations.map((o) => o.id),
    ...plan.intersections.map((i) => i.id),
    ...plan.issues.map((i) => i.id),
    ...plan.issues.flatMap((i) => (i.cluster ? [i.cluster] : [])),
    ...plan.themes.map((theme) => theme.id),
    ...plan.parkingLot.map((note) => note.id),
  ])

  // Cards sit on the page over their stage's frame (a frame would clip cards that overflow it).
  const orgFrame = frame('organizations') ?? { x: 0, y: 0, w: 2600 }
  const orgCells = gridOver(orgFrame, plan.organizations.length, 340, 440)
  const interFrame = frame('intersections') ?? {
    x: 0,
    y: (orgCells.at(-1)?.y ?? 0) + 600,
    w: 2600,
  }
  const interCells = gridOver(interFrame, plan.intersections.length, 320, 360)
  const pageShapes = plan.organizations.length + plan.intersections.length + plan.links.length
  const pageIndices = getIndices(definition.stages.length + pageShapes + 1).slice(
    definition.stages.length + 1,
  )
  let nextPageIndex = 0
  const pageIndex = () => pageIndices[nextPageIndex++] as string

  for (const [i, org] of plan.organizations.entries()) {
    const { id, ...fields } = org
    const cell = orgCells[i] as { x: number; y: number }
    records.push(
      shape(id, ORGANIZATION_CARD, FIRST_PAGE_ID, pageIndex(), cell.x, cell.y, {
        ...defaultOrganizationCardProps(),
        ...fields,
        activities: fields.activities.map((row) => ({ ...row })),
      }),
    )
  }
  for (const [i, intersection] of plan.intersections.entries()) {
    const { id, organizations: _linked, ...fields } = intersection
    const cell = interCells[i] as { x: number; y: number }
    records.push(
      shape(id, INTERSECTION_CARD, FIRST_PAGE_ID, pageIndex(), cell.x, cell.y, {
        ...defaultIntersectionCardProps(),
        ...fields,
      }),
    )
  }
  // Links: `links` and each intersection's `organizations` say the same; take both, once.
  const pairs = new Map<string, [string, string]>()
  for (const link of plan.links)
    pairs.set(`${link.organization} ${link.intersection}`, [link.organization, link.intersection])
  for (const intersection of plan.intersections)
    for (const org of intersection.organizations)
      pairs.set(`${org} ${intersection.id}`, [org, intersection.id])
  let arrowNumber = 0
  for (const [organization, intersection] of pairs.values()) {
    let id = `shape:link-${++arrowNumber}`
    while (used.has(id)) id = `shape:link-${++arrowNumber}`
    used.add(id)
    records.push(
      shape(id, 'arrow', FIRST_PAGE_ID, pageIndex(), 0, 0, arrowProps()),
      arrowBindingRecord(id, 'start', organization),
      arrowBindingRecord(id, 'end', intersection),
    )
  }

  // Issues: notes in the Issues frame in reading order (derivePlan reads rows of 100 units).
  // A cluster that the plan lists as a theme becomes a theme frame around its notes, any other
  // cluster a tldraw group; an empty theme goes below the notes.
  const issuesFrame = frame('issues')
  if (issuesFrame && (plan.issues.length > 0 || plan.themes.length > 0)) {
    const frameId = stageFrameId('issues')
    const columns = Math.max(1, Math.floor((issuesFrame.w - 80) / 220))
    const cells = grid(plan.issues.length, 40, 120, columns, 220, 220)
    const themeTitles = new Map(plan.themes.map((theme) => [theme.id, theme.title]))
    const frameChildren = getIndices(plan.issues.length + plan.themes.length + 2).slice(2)
    const groupChildren = getIndices(plan.issues.length + 1)
    const clusters = new Map<string, { x: number; y: number; children: number }>()
    let frameChild = 0
    const cellsOf = new Map<string, { x: number; y: number }[]>()
    for (const [i, issue] of plan.issues.entries()) {
      if (!issue.cluster) continue
      const list = cellsOf.get(issue.cluster) ?? []
      list.push(cells[i] as { x: number; y: number })
      cellsOf.set(issue.cluster, list)
    }
    for (const [i, issue] of plan.issues.entries()) {
      const cell = cells[i] as { x: number; y: number }
      let parent: string = frameId
      let index = frameChildren[frameChild++] as string
      let origin = { x: 0, y: 0 }
      if (issue.cluster) {
        let cluster = clusters.get(issue.cluster)
        if (!cluster) {
          const title = themeTitles.get(issue.cluster)
          if (title === undefined) {
            // The group sits at the frame's origin: a note's place in it is its place in the frame.
            cluster = { x: 0, y: 0, children: 0 }
            records.push(shape(issue.cluster, 'group', frameId, index, 0, 0, {}))
          } else {
            const box = themeBoxAround(
              (cellsOf.get(issue.cluster) ?? []).map((c) => ({ ...c, w: 200, h: 200 })),
            )
            cluster = { x: box.x, y: box.y, children: 0 }
            records.push(themeRecord(issue.cluster, title, frameId, index, box))
          }
          clusters.set(issue.cluster, cluster)
        }
        parent = issue.cluster
        index = groupChildren[cluster.children] as string
        origin = cluster
        cluster.children++
      }
      records.push(
        shape(
          issue.id,
          'note',
          parent,
          index,
          cell.x - origin.x,
          cell.y - origin.y,
          noteProps(issue.text, issue.color),
        ),
      )
    }
    const below = (cells.at(-1)?.y ?? 0) + 260
    for (const theme of plan.themes) {
      if (clusters.has(theme.id)) continue
      const box = { x: 40 + 240 * clusters.size, y: below, w: 200, h: 120 }
      clusters.set(theme.id, { ...box, children: 0 })
      records.push(
        themeRecord(theme.id, theme.title, frameId, frameChildren[frameChild++] as string, box),
      )
    }
  }

  // The parking lot: its notes in reading order, in a grid in its frame.
  const parkingFrame = frame(PARKING_LOT)
  if (parkingFrame && plan.parkingLot.length > 0) {
    const columns = Math.max(1, Math.floor((parkingFrame.w - 80) / 220))
    const cells = grid(plan.parkingLot.length, 40, 120, columns, 220, 220)
    const indices = getIndices(plan.parkingLot.length + 2).slice(2)
    for (const [i, note] of plan.parkingLot.entries()) {
      const cell = cells[i] as { x: number; y: number }
      records.push(
        shape(
          note.id,
          'note',
          PARKING_LOT_FRAME_ID,
          indices[i] as string,
          cell.x,
          cell.y,
          noteProps(note.text, note.color),
        ),
      )
    }
  }

  const entries = planEntriesOf(plan)
  for (const [key, value] of options.entries ?? []) {
    const check = checkPlanEntry(key, value)
    if (!check.ok) throw new PlanDataError(check.message)
    entries.set(key, check.value)
  }
  doc.transact(() => {
    seedBoard(doc, {
      title: plan.title,
      createdAt: options.createdAt,
      template: plan.template,
      ...(options.locale ? { locale: options.locale } : {}),
    })
    for (const record of records) board.records.set(record.id, record)
    const map = doc.getMap<unknown>(PLAN)
    for (const [key, value] of entries) map.set(key, value)
    if (options.previousRetreat) setLinkedBoard(doc, PREVIOUS_RETREAT, options.previousRetreat)
  })
}

const isTemplateWording = (key: Parameters<typeof translate>[1], question: string) =>
  LOCALES.some((locale) => CATALOGUES[locale][key] === question)

/** The plan-map entries that hold the plan's answers and action plan, each validated. */
export function planEntriesOf(plan: PartnershipPlan): Map<string, unknown> {
  const entries = new Map<string, unknown>()
  const put = (key: string, value: unknown) => {
    const check = checkPlanEntry(key, value)
    if (!check.ok) throw new PlanDataError(check.message)
    entries.set(key, check.value)
  }
  const definition = BOARD_TEMPLATE_DEFINITIONS[plan.template]
  const templateQuestions = new Map(definition.readiness.map((q) => [q.id, q.questionKey]))
  for (const item of plan.readiness) {
    const questionKey = templateQuestions.get(item.id)
    // A template question worded as the catalogue words it is stored without text, so each
    // reader sees it in their own language again.
    const question =
      questionKey && isTemplateWording(questionKey, item.question) ? '' : item.question
    if (question === '' && item.answer === null && item.note === '') continue
    put(`readiness/${item.id}`, { question, answer: item.answer, note: item.note })
  }
  const sections = {
    community: [plan.community, emptyCommunityAssessment()],
    capacity: [plan.capacity, emptyCapacityAssessment()],
    evaluation: [plan.evaluation, emptyEvaluationPlan()],
    structure: [plan.structure, emptyPartnershipStructure()],
  } as const
  for (const [section, [values, empty]] of Object.entries(sections)) {
    for (const [field, value] of Object.entries(values)) {
      if (field === 'indicators' || field === 'roles') continue
      if (
        JSON.stringify(value) ===
        JSON.stringify((empty as unknown as Record<string, unknown>)[field])
      )
        continue
      put(`${section}/${field}`, value)
    }
  }
  for (const { id, values, ...entry } of plan.evaluation.indicators) {
    put(indicatorKey(id), entry)
    for (const { id: valueId, ...value } of values) put(indicatorValueKey(id, valueId), value)
  }
  for (const { id, ...entry } of plan.structure.roles) put(`structure/roles/${id}`, entry)
  const { effectiveDate, term, signatories, contacts } = plan.agreement
  if (effectiveDate !== null) put(agreementFieldKey('effectiveDate'), effectiveDate)
  if (term !== '') put(agreementFieldKey('term'), term)
  for (const { id, ...entry } of signatories) put(agreementItemKey('signatories', id), entry)
  for (const { id, ...entry } of contacts) put(agreementItemKey('contacts', id), entry)
  for (const item of plan.actionPlan) {
    put(actionIssueKey(item.issue), {
      title: item.title,
      rank: item.rank,
      sessionId: item.sessionId,
    })
    for (const row of item.commitments)
      for (const cell of COMMITMENT_CELLS)
        put(commitmentKey(item.issue, row.organization, cell), row[cell])
    for (const step of item.steps) {
      for (const field of STEP_FIELDS) put(stepKey(item.issue, step.id, field), step[field])
      for (const { id, ...entry } of step.history)
        put(stepUpdateKey(item.issue, step.id, id), entry)
    }
  }
  // What a check-in has not got yet is left out, as the app leaves it unwritten.
  for (const { id, ...checkIn } of plan.checkIns) {
    put(checkInKey(id, 'title'), checkIn.title)
    put(checkInKey(id, 'date'), checkIn.date)
    if (checkIn.startedAt !== null) put(checkInKey(id, 'startedAt'), checkIn.startedAt)
    if (checkIn.finishedAt !== null) put(checkInKey(id, 'finishedAt'), checkIn.finishedAt)
    if (checkIn.attended.length > 0) put(checkInKey(id, 'attended'), checkIn.attended)
    if (checkIn.blockers !== '') put(checkInKey(id, 'blockers'), checkIn.blockers)
    if (checkIn.decisions !== '') put(checkInKey(id, 'decisions'), checkIn.decisions)
  }
  return entries
}
