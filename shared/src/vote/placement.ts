/**
 * Impact and effort: aggregating a placement round's marks (each person's impact and effort for
 * each issue, 0–10) into an average and a spread per axis, and ranking the issues by the rule the
 * facilitator chose. The marks themselves stay on the server (roundBox.ts).
 */
import type { AxisSummary, PlacedItem, RankingRule, Round, RoundResult } from './round.ts'

export interface Placement {
  impact: number
  effort: number
}

/** Two decimals: enough to draw and to read, and a result that compares exactly. */
const round2 = (value: number) => Math.round(value * 100) / 100

function summary(values: readonly number[]): AxisSummary {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length
  return { mean: round2(mean), spread: round2(Math.sqrt(variance)) }
}

/**
 * The revealed result of a placement round from everyone's placements (one map per person:
 * issue id → placement). Placements of issues not in the round are left out; an issue nobody
 * placed is not listed; `voters` counts people with at least one placement counted.
 */
export function aggregatePlacements(
  round: Pick<Round, 'itemIds'>,
  ballots: Iterable<Readonly<Record<string, Placement>>>,
): Extract<RoundResult, { kind: 'placement' }> {
  const byItem = new Map<string, Placement[]>(round.itemIds.map((id) => [id, []]))
  let voters = 0
  for (const ballot of ballots) {
    let counted = false
    for (const [itemId, placement] of Object.entries(ballot)) {
      const list = byItem.get(itemId)
      if (!list) continue
      list.push(placement)
      counted = true
    }
    if (counted) voters += 1
  }
  const items: Record<string, PlacedItem> = {}
  for (const [itemId, list] of byItem) {
    if (list.length === 0) continue
    items[itemId] = {
      count: list.length,
      impact: summary(list.map((placement) => placement.impact)),
      effort: summary(list.map((placement) => placement.effort)),
    }
  }
  return { kind: 'placement', voters, items }
}

export interface RankedPlacement {
  itemId: string
  rank: number
  /** The score the rule ranks by (impact minus effort, or impact). */
  score: number
  impact: AxisSummary
  effort: AxisSummary
  count: number
}

/**
 * The placed issues best first by `rule`; equal keys share a rank (1, 1, 3), ties in the round's
 * order. `impactMinusEffort`: by average impact minus average effort. `impactThenEffort`: by
 * average impact, then the lesser average effort.
 */
export function rankPlacements(
  round: Pick<Round, 'itemIds'>,
  result: Extract<RoundResult, { kind: 'placement' }>,
  rule: RankingRule,
): RankedPlacement[] {
  const rows = round.itemIds.flatMap((itemId, index) => {
    const item = result.items[itemId]
    if (!item) return []
    const score =
      rule === 'impactMinusEffort' ? round2(item.impact.mean - item.effort.mean) : item.impact.mean
    const second = rule === 'impactThenEffort' ? -item.effort.mean : 0
    return [{ itemId, index, score, second, item }]
  })
  rows.sort((a, b) => b.score - a.score || b.second - a.second || a.index - b.index)
  const ranked: RankedPlacement[] = []
  rows.forEach((row, position) => {
    const previous = rows[position - 1]
    const tied = previous && previous.score === row.score && previous.second === row.second
    const rankHere = tied ? (ranked[position - 1]?.rank ?? position + 1) : position + 1
    ranked.push({
      itemId: row.itemId,
      rank: rankHere,
      score: row.score,
      impact: row.item.impact,
      effort: row.item.effort,
      count: row.item.count,
    })
  })
  return ranked
}

/** Which quadrant of the 2×2 an issue's averages fall in (the middle, 5, counts as high). */
export function quadrantOf(placement: Placement): 'quickWin' | 'bigBet' | 'fillIn' | 'thankless' {
  const high = (value: number) => value >= 5
  if (high(placement.impact)) return high(placement.effort) ? 'bigBet' : 'quickWin'
  return high(placement.effort) ? 'thankless' : 'fillIn'
}
