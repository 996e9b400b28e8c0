import { describe, expect, it } from 'vitest'
import { derivePlan } from '../plan/derivePlan.ts'
import { sampleRetreatBoard } from '../plan/fixtures.ts'
import { revealRound, startRound } from '../vote/round.ts'
import { RoundBox } from '../vote/roundBox.ts'
import { CSV_BOM, planToCsv } from './csv.ts'
import { importPlan, planToJson } from './json.ts'
import { planToMarkdown } from './markdown.ts'

/** A retreat board with a revealed placement over three issues and a consensus check on one. */
function boardWithRounds(options: { revealConsensus: boolean }) {
  const doc = sampleRetreatBoard({
    organizations: 2,
    intersections: 1,
    issues: 3,
    steps: 2,
    actionIssues: 2,
  })
  const box = new RoundBox(doc)
  const issues = ['shape:issue0', 'shape:issue1', 'shape:issue2']
  startRound(doc, {
    id: 'place',
    kind: 'placement',
    title: 'Impact and effort',
    itemIds: issues,
    now: 1,
  })
  box.cast('pA', { roundId: 'place', itemId: 'shape:issue0', mark: { impact: 9, effort: 2 } })
  box.cast('pB', { roundId: 'place', itemId: 'shape:issue0', mark: { impact: 7, effort: 4 } })
  box.cast('pA', { roundId: 'place', itemId: 'shape:issue1', mark: { impact: 3, effort: 8 } })
  revealRound(doc, 'place', 2)
  startRound(doc, { id: 'agree', kind: 'consensus', title: 'x', itemIds: ['shape:issue0'], now: 3 })
  for (const [who, fingers] of [
    ['pA', 5],
    ['pB', 4],
    ['pC', 1],
  ] as const)
    box.cast(who, { roundId: 'agree', itemId: 'shape:issue0', mark: { fingers } })
  if (options.revealConsensus) revealRound(doc, 'agree', 4)
  box.recordRevealed()
  return doc
}

describe('rounds in the plan and its exports', () => {
  it('keeps each round in the plan, with results only once revealed', () => {
    const plan = derivePlan(boardWithRounds({ revealConsensus: false }))
    expect(plan.rounds?.map((round) => [round.id, round.status, round.voters])).toEqual([
      ['place', 'revealed', 2],
      ['agree', 'open', null],
    ])
    const placement = plan.rounds?.[0]
    expect(
      placement?.placements?.map((row) => [row.itemId, row.rank, row.impact, row.effort]),
    ).toEqual([
      ['shape:issue0', 1, { mean: 8, spread: 1 }, { mean: 3, spread: 1 }],
      ['shape:issue1', 2, { mean: 3, spread: 0 }, { mean: 8, spread: 0 }],
    ])
    expect(plan.rounds?.[1]?.fingers).toBeNull()
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04' })
    expect(md).toContain('### Impact and effort')
    expect(md).toContain('| 1 | ')
    expect(md).toContain('| 8.0 ± 1.0 | 3.0 ± 1.0 | 2 |')
    expect(md).toContain('Not revealed: its answers stay private.')
    // No consensus revealed: the CSV keeps its columns.
    expect(planToCsv(plan).slice(CSV_BOM.length).split('\r\n')[0]).not.toContain('Consensus')
  })

  it('puts a revealed consensus check in plan.md (section and action plan), plan.csv and plan.json', () => {
    const plan = derivePlan(boardWithRounds({ revealConsensus: true }))
    expect(plan.rounds?.[1]?.fingers).toEqual([0, 1, 0, 0, 1, 1])
    const md = planToMarkdown(plan, 'en', { date: '2026-05-04' })
    const line =
      'Consensus check: 3 people answered; average 3.3 of 5. Someone is at 0 or 1: talk it through before going ahead.'
    // Once in its own section, once under the issue in the action plan.
    expect(md.split(line).length - 1).toBe(2)
    expect(md).toContain('| 4 – I support it | 1 |')
    const spanish = planToMarkdown(plan, 'es', { date: '2026-05-04' })
    expect(spanish).toContain('Prueba de consenso: Respondieron 3 personas; promedio 3.3 de 5.')
    const rows = planToCsv(plan).slice(CSV_BOM.length).trimEnd().split('\r\n')
    expect(rows[0]?.endsWith(',Consensus (average of 0–5)')).toBe(true)
    const issue0 = plan.actionPlan.find((item) => item.issue === 'shape:issue0')
    const issue0Rows = rows.filter((row) => issue0 && row.startsWith(`${issue0.title},`))
    expect(issue0Rows.length).toBeGreaterThan(0)
    for (const row of issue0Rows) expect(row.endsWith(',3.33')).toBe(true)
    for (const row of rows.slice(1).filter((row) => !issue0Rows.includes(row)))
      expect(row.endsWith(',')).toBe(true)
    // plan.json: the round trip is identity, rounds included.
    expect(importPlan(planToJson(plan))).toEqual({ ok: true, plan })
  })

  it('imports a plan exported before rounds existed', () => {
    const plan = derivePlan(boardWithRounds({ revealConsensus: true }))
    const older = structuredClone(plan) as Partial<typeof plan>
    delete older.rounds
    const result = importPlan(JSON.stringify(older))
    expect(result.ok).toBe(true)
  })
})
