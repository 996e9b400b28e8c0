/**
 * `derivePlan` on a big retreat board: 2,000 shapes (stage frames and prompts, 15 organization
 * cards, 12 intersection cards, 60 bound arrows, notes in and out of the Issues frame) and the
 * plan answers of 60 participants. Measured three ways:
 * - open view: the doc has a board view open (the client's case: the panel re-derives);
 * - fresh doc: no view open, records read from the Yjs array (the server's case);
 * - plan.json path: restore the doc from its stored update, then derive (what one request costs).
 */
import { openBoardDoc, readRecords } from '@common-ground/shared/board'
import {
  boardWith,
  boundArrow,
  intersectionCard,
  note,
  organizationCard,
  putRecords,
} from '@common-ground/shared/fixtures'
import {
  blankIndicatorEntry,
  DEFAULT_PLAN_THROTTLE_MS,
  derivePlan,
  LivePlan,
  STAGE_IDS,
  setPlanEntry,
  stageFrameId,
} from '@common-ground/shared/plan'

import * as Y from 'yjs'
import { type Measurement, median, percentile, timeRuns } from './report.ts'

const SHAPES = 2000
const PARTICIPANTS = 60

export function buildBigBoard(): Y.Doc {
  const records: Parameters<typeof boardWith>[0] = []
  for (let i = 0; i < 15; i++) {
    records.push(
      organizationCard(
        `org${i}`,
        {
          name: `Organization ${i}`,
          kind: 'community',
          activities: [
            { activity: 'Case management', measure: 'Families served per month' },
            { activity: 'Workshops', measure: 'Attendance' },
          ],
          fundingSources: 'County, state and two foundations',
          offers: 'Staff time and a meeting room',
          needs: 'Referrals and data',
        },
        { parentId: stageFrameId('organizations'), x: 40 + (i % 8) * 320, y: 120 },
      ),
    )
  }
  for (let i = 0; i < 12; i++) {
    records.push(
      intersectionCard(
        `meet${i}`,
        { title: `Intersection ${i}`, ideal: 'Shared intake' },
        {
          parentId: stageFrameId('intersections'),
          x: 40 + (i % 6) * 320,
          y: 120,
        },
      ),
    )
  }
  for (let i = 0; i < 60; i++)
    records.push(...boundArrow(`arrow${i}`, `org${i % 15}`, `meet${i % 12}`))
  const shapesSoFar = 2 * STAGE_IDS.length + 15 + 12 + 60
  const notes = SHAPES - shapesSoFar
  for (let i = 0; i < notes; i++) {
    const inIssues = i % 2 === 0
    records.push(
      note(
        `note${i}`,
        `Idea number ${i}: a goal we could share`,
        inIssues
          ? { parentId: stageFrameId('issues'), x: (i % 20) * 110, y: Math.floor(i / 20) * 110 }
          : { x: 8000 + (i % 40) * 220, y: Math.floor(i / 40) * 220 },
      ),
    )
  }
  const doc = boardWith(records)
  for (let p = 0; p < PARTICIPANTS; p++) {
    setPlanEntry(doc, `structure/roles/p${p}`, { role: 'other', holder: `Person ${p}`, note: '' })
    setPlanEntry(doc, `evaluation/indicators/p${p}`, {
      ...blankIndicatorEntry(),
      name: `Indicator from person ${p}`,
      kind: p % 2 ? 'qualitative' : 'quantitative',
      dataSource: 'Monthly report',
    })
  }
  setPlanEntry(doc, 'community/needs', 'Childcare, transport, evening hours')
  return doc
}

export function derivePlanBench(quick: boolean): Measurement[] {
  const runs = quick ? 20 : 100
  const doc = buildBigBoard()
  openBoardDoc(doc)
  const shapes = [...readRecords(doc).values()].filter((r) => r.typeName === 'shape').length
  const update = Y.encodeStateAsUpdate(doc)
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, update)

  // Warm up the JIT, then check the board is what it claims to be.
  const plan = derivePlan(doc)
  for (let i = 0; i < 5; i++) derivePlan(fresh)
  if (plan.issues.length === 0 || plan.links.length === 0) throw new Error('bench board is wrong')

  const openView = timeRuns(runs, () => derivePlan(doc))
  const freshDoc = timeRuns(runs, () => derivePlan(fresh))
  const requestPath = timeRuns(Math.max(5, runs / 5), () => {
    const restored = new Y.Doc()
    Y.applyUpdate(restored, update)
    derivePlan(restored)
    restored.destroy()
  })
  const note = `${shapes} shapes, ${PARTICIPANTS} participants' answers`
  return [
    { suite: 'derivePlan', metric: 'shapes on the board', value: shapes, unit: 'shapes' },
    {
      suite: 'derivePlan',
      metric: 'doc size',
      value: Math.round(update.byteLength / 1024),
      unit: 'KiB',
    },
    { suite: 'derivePlan', metric: 'open view, median', value: median(openView), unit: 'ms', note },
    { suite: 'derivePlan', metric: 'open view, p95', value: percentile(openView, 95), unit: 'ms' },
    { suite: 'derivePlan', metric: 'fresh doc, median', value: median(freshDoc), unit: 'ms' },
    { suite: 'derivePlan', metric: 'fresh doc, p95', value: percentile(freshDoc, 95), unit: 'ms' },
    {
      suite: 'derivePlan',
      metric: 'restore + derive (plan.json), median',
      value: median(requestPath),
      unit: 'ms',
    },
  ]
}

/**
 * Ten people editing at once (each one edit every 500 ms: moving issue notes, typing in
 * organization cards, answering an assessment question) while a `LivePlan` keeps the panel's
 * plan current: how often it re-derives, how stale the plan gets, and its share of the thread.
 */
export async function livePlanBench(quick: boolean): Promise<Measurement[]> {
  const seconds = quick ? 2 : 6
  const editors = 10
  const doc = buildBigBoard()
  openBoardDoc(doc)
  const live = new LivePlan(doc)
  live.get()
  let updates = 0
  let pendingSince: number | null = null
  const staleness: number[] = []
  doc.on('update', () => {
    updates++
    pendingSince ??= performance.now()
  })
  live.subscribe(() => {
    if (pendingSince !== null) staleness.push(performance.now() - pendingSince)
    pendingSince = null
  })

  const edit = (editor: number, step: number) => {
    if (editor < 5) {
      const x = (step * 130) % 2000
      putRecords(doc, [
        note(`note${editor * 2}`, `Idea ${editor}, edit ${step}`, {
          parentId: stageFrameId('issues'),
          x,
          y: editor * 110,
        }),
      ])
    } else if (editor < 8) {
      putRecords(doc, [
        organizationCard(`org${editor}`, { name: `Organization ${editor} v${step}` }),
      ])
    } else {
      setPlanEntry(doc, 'community/trends', `Noted by ${editor}, version ${step}`)
    }
  }
  const started = performance.now()
  const derivationsBefore = live.derivations
  const timers: ReturnType<typeof setTimeout>[] = []
  for (let editor = 0; editor < editors; editor++) {
    let step = 0
    // Staggered, so the edits do not all land in the same tick.
    timers.push(
      setTimeout(() => {
        timers.push(setInterval(() => edit(editor, ++step), 500))
      }, editor * 50),
    )
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  for (const timer of timers) clearTimeout(timer)
  const elapsed = performance.now() - started
  const derivations = live.derivations - derivationsBefore
  live.destroy()

  const perDerive = median(timeRuns(20, () => derivePlan(doc)))
  return [
    {
      suite: 'livePlan',
      metric: 'edits per second (10 people)',
      value: (updates / elapsed) * 1000,
      unit: '/s',
    },
    {
      suite: 'livePlan',
      metric: 'derivations per second',
      value: (derivations / elapsed) * 1000,
      unit: '/s',
      note: `throttle ${DEFAULT_PLAN_THROTTLE_MS} ms`,
    },
    {
      suite: 'livePlan',
      metric: 'plan staleness, p95',
      value: percentile(staleness, 95),
      unit: 'ms',
      note: 'from an edit to the plan showing it',
    },
    {
      suite: 'livePlan',
      metric: 'thread share spent deriving',
      value: ((derivations * perDerive) / elapsed) * 100,
      unit: '%',
      note: `${perDerive.toFixed(1)} ms per derivation`,
    },
  ]
}
