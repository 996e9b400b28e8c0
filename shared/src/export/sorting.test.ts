import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { derivePlan } from '../plan/derivePlan.ts'
import { boardWith, group, note } from '../plan/fixtures.ts'
import { shapeRecord } from '../plan/shapeRecords.ts'
import { stageFrameId } from '../plan/template.ts'
import { PARKING_LOT_FRAME_ID } from '../themes/parkingLot.ts'
import { THEME_META_KEY } from '../themes/theme.ts'
import { planToCsv } from './csv.ts'
import { importPlan, planToJson } from './json.ts'
import { planToMarkdown } from './markdown.ts'
import { seedBoardFromPlan } from './seedPlan.ts'
import { themesWithIssues } from './sorting.ts'

const issues = stageFrameId('issues')

function theme(id: string, title: string, x: number, y: number): TLShape {
  const frame = shapeRecord(
    `shape:${id}`,
    'frame',
    { w: 500, h: 300, name: title, color: 'black' },
    { parentId: issues, x, y },
  )
  return { ...frame, meta: { [THEME_META_KEY]: true } } as TLShape
}

function sortedBoard(): Y.Doc {
  return boardWith([
    theme('jobs', 'Jobs', 40, 120),
    note('j1', 'Summer jobs', { parentId: 'shape:jobs', x: 20, y: 40 }),
    note('j2', 'Apprenticeships', { parentId: 'shape:jobs', x: 260, y: 40 }),
    theme('housing', 'Housing', 600, 120),
    note('h1', 'Rent help', { parentId: 'shape:housing', x: 20, y: 40 }),
    theme('empty', 'Later', 1200, 900),
    group('g', { parentId: issues }),
    note('g1', 'In a group', { parentId: 'shape:g', x: 40, y: 500 }),
    note('loose', 'On its own', { parentId: issues, x: 1200, y: 500 }),
    note('p1', 'Lunch menu', { parentId: PARKING_LOT_FRAME_ID, x: 40, y: 120 }),
    note('p2', 'Next retreat venue', { parentId: PARKING_LOT_FRAME_ID, x: 40, y: 360 }, 'blue'),
  ])
}

describe('themes and the parking lot in the plan', () => {
  it('lists themes in the order of their notes, each note naming its theme', () => {
    const plan = derivePlan(sortedBoard())
    expect(plan.problems).toEqual([])
    expect(plan.themes).toEqual([
      { id: 'shape:jobs', title: 'Jobs' },
      { id: 'shape:housing', title: 'Housing' },
      { id: 'shape:empty', title: 'Later' },
    ])
    expect(plan.issues.map((issue) => [issue.text, issue.cluster])).toEqual([
      ['Summer jobs', 'shape:jobs'],
      ['Apprenticeships', 'shape:jobs'],
      ['Rent help', 'shape:housing'],
      ['In a group', 'shape:g'],
      ['On its own', null],
    ])
    expect(themesWithIssues(plan).map((t) => [t.title, t.issues])).toEqual([
      ['Jobs', ['Summer jobs', 'Apprenticeships']],
      ['Housing', ['Rent help']],
      ['Later', []],
    ])
    expect(plan.parkingLot).toEqual([
      { id: 'shape:p1', text: 'Lunch menu', color: 'yellow' },
      { id: 'shape:p2', text: 'Next retreat venue', color: 'blue' },
    ])
  })

  it('round-trips through plan.json into a new board unchanged', () => {
    const plan = derivePlan(sortedBoard())
    const imported = importPlan(planToJson(plan))
    if (!imported.ok) throw new Error(imported.message)
    const doc = new Y.Doc()
    seedBoardFromPlan(doc, imported.plan, { createdAt: 5 })
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    expect(derivePlan(copy)).toEqual(plan)
  })

  it('reads a plan exported before themes and the parking lot as having neither', () => {
    const { themes: _t, parkingLot: _p, ...old } = derivePlan(boardWith([]))
    const imported = importPlan(JSON.stringify(old))
    expect(imported).toMatchObject({ ok: true, plan: { themes: [], parkingLot: [] } })
  })

  it('refuses an imported theme without a title, and parked notes on a blank board', () => {
    const plan = derivePlan(sortedBoard())
    const untitled = {
      ...plan,
      themes: [{ id: 'shape:jobs', title: ' ' }, ...plan.themes.slice(1)],
    }
    expect(importPlan(JSON.stringify(untitled))).toMatchObject({
      ok: false,
      path: 'themes[0].title',
    })
    const blank = { ...derivePlan(boardWith([], 'blank')), parkingLot: plan.parkingLot }
    expect(importPlan(JSON.stringify(blank))).toMatchObject({ ok: false, path: 'parkingLot' })
  })

  it('shows themes and the parking lot in Markdown and CSV, in both languages', () => {
    const plan = derivePlan(sortedBoard())
    const md = planToMarkdown(plan, 'en', { date: '2026-12-04' })
    expect(md).toContain('### Themes\n\n- **Jobs**\n  - Summer jobs\n  - Apprenticeships\n')
    expect(md).toContain('## Parking lot\n\n- Lunch menu\n- Next retreat venue\n')
    expect(planToMarkdown(plan, 'es', { date: '2026-12-04' })).toContain('## Ideas en espera')
    const rows = planToCsv(plan, 'en').split('\r\n')
    expect(rows).toContain('Parking lot,,Lunch menu,,,,Parked,,,,')
    // A parked note's row has as many cells as the header (the check-ins column included).
    expect(rows.find((row) => row.startsWith('Parking lot'))?.split(',').length).toBe(
      rows[0]?.split(',').length,
    )
    expect(planToCsv(plan, 'es')).toContain('Ideas en espera,,Next retreat venue,,,,En espera,,,,')
  })
})
