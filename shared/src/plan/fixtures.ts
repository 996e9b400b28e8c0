/**
 * Builders of tldraw records for tests (and the benchmark): complete, schema-valid records of
 * notes, arrows, arrow bindings and our cards, written into a doc the way the client binding does;
 * and a vote session.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { type BoardTemplate, openBoardDoc } from '../board/boardDoc.ts'
import type { BoardWrite } from '../board/writeRules.ts'
import { type VoteSession, voteSettings } from '../vote/session.ts'
import { boardSchemaOnce } from './boardSchema.ts'
import { blankIndicatorEntry } from './evaluation.ts'
import {
  defaultIntersectionCardProps,
  INTERSECTION_CARD,
  type IntersectionCardProps,
} from './intersection.ts'
import {
  defaultOrganizationCardProps,
  ORGANIZATION_CARD,
  type OrganizationCardProps,
} from './organization.ts'
import { PLAN } from './planData.ts'
import { seedBoard } from './seedBoard.ts'
import {
  arrowBindingRecord,
  arrowProps,
  noteProps,
  type ShapePlace,
  shapeRecord,
} from './shapeRecords.ts'

type Place = ShapePlace

function shape(id: string, type: string, props: object, place: Place = {}): TLShape {
  return shapeRecord(`shape:${id}`, type, props, place)
}

export function organizationCard(
  id: string,
  props: Partial<OrganizationCardProps> = {},
  place?: Place,
): TLShape {
  return shape(id, ORGANIZATION_CARD, { ...defaultOrganizationCardProps(), ...props }, place)
}

export function intersectionCard(
  id: string,
  props: Partial<IntersectionCardProps> = {},
  place?: Place,
): TLShape {
  return shape(id, INTERSECTION_CARD, { ...defaultIntersectionCardProps(), ...props }, place)
}

export function note(id: string, text: string, place?: Place, color = 'yellow'): TLShape {
  return shape(id, 'note', noteProps(text, color), place)
}

export function group(id: string, place?: Place): TLShape {
  return shape(id, 'group', {}, place)
}

export function arrow(id: string, place?: Place): TLShape {
  return shape(id, 'arrow', arrowProps(), place)
}

/** The binding of one end of an arrow to a shape. */
export function arrowBinding(arrowId: string, terminal: 'start' | 'end', toId: string): TLRecord {
  return arrowBindingRecord(`shape:${arrowId}`, terminal, `shape:${toId}`)
}

/** An arrow from `from` to `to`, both ends bound: the arrow and its two bindings. */
export function boundArrow(id: string, from: string, to: string): TLRecord[] {
  return [arrow(id), arrowBinding(id, 'start', from), arrowBinding(id, 'end', to)]
}

/** A seeded board (the retreat template by default) with `records` added in one transaction. */
export function boardWith(records: TLRecord[], template: BoardTemplate = 'retreat'): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Fixture board', createdAt: 1, template })
  putRecords(doc, records)
  return doc
}

export function putRecords(doc: Y.Doc, records: TLRecord[]): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    for (const record of records) board.records.set(record.id, record)
  })
}

export function removeRecords(doc: Y.Doc, ids: string[]): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    for (const id of ids) board.records.delete(id)
  })
}

/**
 * The plan writes `run` makes to a copy of `doc`, as the server's review lists them; `doc` itself
 * stays as it was (the review sees the board before the update).
 */
export function planWrites(doc: Y.Doc, run: (copy: Y.Doc) => void): BoardWrite[] {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  run(copy)
  const before = doc.getMap<unknown>(PLAN)
  const after = copy.getMap<unknown>(PLAN)
  const keys = new Set([...before.keys(), ...after.keys()])
  return [...keys]
    .filter((key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key)))
    .map((key) => ({ root: PLAN, key, before: before.get(key), after: after.get(key) }))
}

export const boardSchemaForTests = boardSchemaOnce()

/**
 * A vote session as `startVote` writes one: `v1`, open since t = 1000 over three notes, with the
 * default settings; `over` changes any of it.
 */
export function voteSession(over: Partial<VoteSession> = {}): VoteSession {
  return {
    id: 'v1',
    title: 'Which issues first?',
    itemIds: ['shape:a', 'shape:b', 'shape:c'],
    ...voteSettings(),
    status: 'open',
    startedAt: 1000,
    closedAt: null,
    revealedAt: null,
    runoffOf: null,
    ...over,
  }
}

/** Text that has broken exports elsewhere: formulas, markup, quotes, line breaks, scripts. */
export const HOSTILE_TEXTS = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+2',
  '-3, "minus"',
  '@SUM(A1:A9)',
  '\tTabbed',
  '\rCarriage',
  '[click me](javascript:alert(1)) ![x](http://evil.example/p.png)',
  '<script>alert("x")</script><img src=x onerror=alert(1)>',
  '# not a heading\n- not a list\n1. not a list either\n> no quote',
  'pipes | and `code` and *stars* and _under_ and &lt; and \\ backslash',
  'Línea uno, "comillas"\nLínea dos; ñandú, acción, corazón 💜',
  'מרכז קהילתי — مركز المجتمع',
  'x'.repeat(3900),
] as const

export interface SampleBoardSize {
  organizations: number
  intersections: number
  issues: number
  /** Spread over the action plan's issues. */
  steps: number
  /** How many issues go into the action plan (the rest stay candidates). */
  actionIssues?: number
  /** Use `HOSTILE_TEXTS` in names and fields. */
  hostile?: boolean
  /**
   * Give every third step a history of up to this many updates (its last one with the step's
   * status); none by default.
   */
  updates?: number
  /**
   * Check-ins: one held on 1 March 2026 (its first minute holds the first update of the first
   * steps), with its record, and one scheduled for later.
   */
  checkIns?: boolean
  /**
   * Indicators beyond the one every sample has (`i1`), every fourth qualitative; none by default.
   */
  indicators?: number
  /**
   * Give every indicator this many values, monthly from January 2024 (quantitative ones for
   * three groups in turn: everyone, and two income groups); none by default.
   */
  indicatorValues?: number
}

/** When the fixtures' updates were posted: from 1 March 2026, a day apart. */
export const SAMPLE_UPDATES_FROM = Date.UTC(2026, 2, 1, 15, 30)

/**
 * A retreat board filled in the way a long day fills one: cards, links, notes (some clustered),
 * answers of every stage and an action plan with commitments and steps. Deterministic.
 */
export function sampleRetreatBoard(size: SampleBoardSize): Y.Doc {
  const text = (i: number, plain: string) =>
    size.hostile ? `${plain} ${HOSTILE_TEXTS[i % HOSTILE_TEXTS.length]}` : plain
  const records: TLRecord[] = []
  const orgIds: string[] = []
  for (let i = 0; i < size.organizations; i++) {
    orgIds.push(`shape:org${i}`)
    records.push(
      organizationCard(
        `org${i}`,
        {
          name: `${
            size.hostile
              ? ['Aldea Niños 🌱', 'מרכז קהילתי', '=Evil Corp', 'Café "Unión"'][i % 4]
              : 'Partner'
          } ${i}`,
          kind: (['community', 'public', 'faith', 'business', 'philanthropy'] as const)[i % 5],
          activities: [
            { activity: text(i, 'Outreach').slice(0, 200), measure: 'Families reached' },
          ],
          fundingSources: text(i + 1, 'County grant'),
          performanceAffectsFunding: i % 2 ? 'yes' : 'no',
          offers: text(i + 2, 'Space and volunteers'),
          needs: text(i + 3, 'Referrals'),
        },
        { x: i * 340 },
      ),
    )
  }
  for (let i = 0; i < size.intersections; i++) {
    records.push(
      intersectionCard(
        `inter${i}`,
        {
          title: text(i, `Area ${i}`).slice(0, 200),
          ideal: text(i + 4, 'One intake'),
          result: 'Fewer gaps',
          evidence: '',
        },
        { x: i * 320, y: 600 },
      ),
    )
    for (let j = 0; j < size.organizations; j++) {
      if ((i + j) % 3 === 0) records.push(...boundArrow(`arrow${i}x${j}`, `org${j}`, `inter${i}`))
    }
  }
  const issuesFrame = 'shape:stage-issues'
  const clusters = new Set<string>()
  for (let i = 0; i < size.issues; i++) {
    const cluster = i % 7 === 3 ? `cluster${i % 2}` : null
    if (cluster && !clusters.has(cluster)) {
      clusters.add(cluster)
      records.push(group(cluster, { parentId: issuesFrame, index: `a${i + 2}` }))
    }
    records.push(
      note(
        `issue${i}`,
        text(i, `Issue ${i}`),
        {
          parentId: cluster ? `shape:${cluster}` : issuesFrame,
          x: 40 + (i % 10) * 220,
          y: 120 + Math.floor(i / 10) * 220,
          index: `a${i + 2}`,
        },
        ['yellow', 'blue', 'green', 'violet'][i % 4],
      ),
    )
  }
  const doc = boardWith(records)
  const plan = doc.getMap<unknown>('plan')
  doc.transact(() => {
    plan.set('readiness/leadership', { question: '', answer: 'yes', note: text(1, 'Signed off') })
    plan.set('readiness/own1', {
      question: text(5, 'Do we share data?'),
      answer: 'unsure',
      note: '',
    })
    plan.set('community/needs', text(6, 'Childcare'))
    plan.set('capacity/leadershipDiverse', 'unsure')
    plan.set('capacity/barriers', text(7, 'Turnover'))
    plan.set('evaluation/reviewCadence', 'quarterly')
    plan.set('evaluation/indicators/i1', {
      ...blankIndicatorEntry(),
      name: text(8, 'Families served'),
      kind: 'quantitative',
      dataSource: 'Intake',
      organization: orgIds[0] ?? null,
      unit: 'families',
      baseline: 40,
      target: 120,
      frequency: 'monthly',
    })
    const indicatorIds = ['i1']
    for (let n = 0; n < (size.indicators ?? 0); n++) {
      const qualitative = n % 4 === 3
      indicatorIds.push(`ind${n}`)
      plan.set(`evaluation/indicators/ind${n}`, {
        ...blankIndicatorEntry(qualitative ? 'qualitative' : 'quantitative'),
        name: text(n, `Indicator ${n}`)
          .replace(/[\r\n]+/g, ' ')
          .slice(0, 200),
        dataSource: text(n + 1, 'Survey'),
        organization: orgIds[n % Math.max(1, orgIds.length)] ?? null,
        unit: qualitative ? '' : '%',
        baseline: qualitative ? null : 20 + n,
        target: qualitative ? null : 60 + n,
        frequency: 'quarterly',
      })
    }
    for (const [n, indicator] of indicatorIds.entries()) {
      const qualitative = indicator !== 'i1' && (n - 1) % 4 === 3
      for (let v = 0; v < (size.indicatorValues ?? 0); v++) {
        const month = Math.floor(v / (qualitative ? 1 : 3))
        const line = (t: string) =>
          text(n + v, t)
            .replace(/[\r\n]+/g, ' ')
            .slice(0, 200)
        plan.set(`evaluation/values/${indicator}/v${v}`, {
          date: `${2024 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`,
          value: qualitative ? line(`Observation ${v}`) : 20 + n + v * 1.5 + (v % 3) * 4,
          note: v % 5 ? '' : line('Note'),
          group: qualitative ? '' : ['', 'Income under $25k', 'Income $25k–$50k'][v % 3],
          by: v % 2 ? 'María José' : 'שרה',
          at: SAMPLE_UPDATES_FROM + v * 60_000,
        })
      }
    }
    plan.set('structure/backbone', 'Aldea Niños 🌱 0')
    plan.set('structure/bodies', ['steeringCommittee'])
    plan.set('structure/agreement', 'drafting')
    plan.set('structure/roles/r1', { role: 'data', holder: text(9, 'Ana'), note: '' })
    const actionIssues = Math.min(size.actionIssues ?? size.issues, size.issues)
    const statuses = ['not-started', 'in-progress', 'done', 'blocked']
    for (let i = 0; i < actionIssues; i++) {
      const issue = `shape:issue${i}`
      plan.set(`action/issues/${issue}`, {
        title: text(i, `Issue ${i}`),
        rank: Math.floor(i / 2) + 1,
        sessionId: 'vote1',
      })
      const org = orgIds[i % Math.max(1, orgIds.length)]
      if (org) {
        plan.set(`action/commitments/${issue}/${org}/takesOn`, text(i, 'Host the meetings'))
        plan.set(`action/commitments/${issue}/${org}/fromParent`, text(i + 1, 'Approval'))
      }
    }
    for (let s = 0; s < size.steps && actionIssues > 0; s++) {
      const issue = `shape:issue${s % actionIssues}`
      const prefix = `action/steps/${issue}/step${s}`
      plan.set(`${prefix}/what`, text(s, `Step ${s}`))
      plan.set(`${prefix}/person`, s % 3 ? 'María José' : 'שרה')
      plan.set(`${prefix}/organization`, orgIds[s % Math.max(1, orgIds.length)] ?? null)
      plan.set(`${prefix}/due`, `2026-${String((s % 12) + 1).padStart(2, '0')}-15`)
      plan.set(`${prefix}/status`, statuses[s % 4])
      plan.set(`${prefix}/order`, `a${(s % 9) + 1}`)
      const updates = size.updates && s % 3 === 1 ? 1 + (s % size.updates) : 0
      for (let u = 0; u < updates; u++) {
        const last = u === updates - 1
        plan.set(`action/updates/${issue}/step${s}/u${s}x${u}`, {
          status: last ? statuses[s % 4] : statuses[u % 2],
          note: text(s + u, `Update ${u}`)
            .replace(/[\r\n]+/g, ' ')
            .slice(0, 280),
          at: SAMPLE_UPDATES_FROM + u * 86_400_000 + s * 1000,
          by: u % 2 ? 'María José' : 'שרה',
        })
      }
    }
    if (size.checkIns) {
      const held = 'followUp/checkIns/held1'
      plan.set(
        `${held}/title`,
        text(2, '30-day check-in')
          .replace(/[\r\n]+/g, ' ')
          .slice(0, 200),
      )
      plan.set(`${held}/date`, '2026-03-01')
      plan.set(`${held}/startedAt`, SAMPLE_UPDATES_FROM)
      plan.set(`${held}/finishedAt`, SAMPLE_UPDATES_FROM + 60_000)
      plan.set(`${held}/attended`, ['María José', 'שרה'])
      plan.set(`${held}/blockers`, text(3, 'The hall is closed'))
      plan.set(`${held}/decisions`, text(4, 'Meet at the library'))
      plan.set('followUp/checkIns/next1/title', '')
      plan.set('followUp/checkIns/next1/date', '2026-06-01')
    }
  })
  return doc
}
