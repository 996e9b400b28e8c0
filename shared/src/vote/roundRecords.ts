/**
 * What the plan keeps of placement rounds and consensus checks (`PartnershipPlan.rounds`, and so
 * plan.json, plan.md, plan.csv and the report): each round with its settings and, once revealed,
 * its aggregate (never before: nothing of a running round's answers is in the board anyway).
 */
import { T } from '@tldraw/validate'
import { averageFingers } from './consensus.ts'
import { rankPlacements } from './placement.ts'
import {
  type AxisSummary,
  FINGERS_MAX,
  RANKING_RULES,
  type RankingRule,
  ROUND_KINDS,
  ROUND_STATUSES,
  type RoundKind,
  type RoundState,
  type RoundStatus,
  roundsInOrder,
} from './round.ts'

/** One issue of a revealed placement, in rank order by the round's rule. */
export interface PlacementRow {
  itemId: string
  /** The note's text when the plan was derived ('' for a note since deleted). */
  text: string
  rank: number
  count: number
  impact: AxisSummary
  effort: AxisSummary
}

export interface RoundRecord {
  id: string
  kind: RoundKind
  title: string
  status: RoundStatus
  startedAt: number
  closedAt: number | null
  revealedAt: number | null
  rankingRule: RankingRule | null
  /** The issues of the round with their text (a consensus check has one). */
  items: { itemId: string; text: string }[]
  /** How many took part: known once revealed, null before. */
  voters: number | null
  /** A revealed placement's issues in rank order; null otherwise. */
  placements: PlacementRow[] | null
  /** A revealed consensus check's people per answer (0 to 5); null otherwise. */
  fingers: number[] | null
}

const axis = T.object({ mean: T.number, spread: T.number })

export const roundRecordValidator: T.Validator<RoundRecord> = T.object({
  id: T.string,
  kind: T.literalEnum(...ROUND_KINDS),
  title: T.string,
  status: T.literalEnum(...ROUND_STATUSES),
  startedAt: T.number,
  closedAt: T.nullable(T.number),
  revealedAt: T.nullable(T.number),
  rankingRule: T.nullable(T.literalEnum(...RANKING_RULES)),
  items: T.arrayOf(T.object({ itemId: T.string, text: T.string })),
  voters: T.nullable(T.positiveInteger),
  placements: T.nullable(
    T.arrayOf(
      T.object({
        itemId: T.string,
        text: T.string,
        rank: T.positiveInteger,
        count: T.positiveInteger,
        impact: axis,
        effort: axis,
      }),
    ),
  ),
  fingers: T.nullable(
    T.arrayOf(T.positiveInteger).check((counts) => {
      if (counts.length !== FINGERS_MAX + 1)
        throw new T.ValidationError(`Expected ${FINGERS_MAX + 1} counts`)
    }),
  ),
})

/** Every round on the board, oldest first, with the results of the revealed ones. */
export function roundHistory(state: RoundState, textOf: (itemId: string) => string): RoundRecord[] {
  return roundsInOrder(state).map((round) => {
    const result = round.status === 'revealed' ? state.results.get(round.id) : undefined
    const placements =
      result?.kind === 'placement'
        ? rankPlacements(round, result, round.rankingRule ?? 'impactMinusEffort').map((row) => ({
            itemId: row.itemId,
            text: textOf(row.itemId),
            rank: row.rank,
            count: row.count,
            impact: row.impact,
            effort: row.effort,
          }))
        : null
    return {
      id: round.id,
      kind: round.kind,
      title: round.title,
      status: round.status,
      startedAt: round.startedAt,
      closedAt: round.closedAt,
      revealedAt: round.revealedAt,
      rankingRule: round.rankingRule,
      items: round.itemIds.map((itemId) => ({ itemId, text: textOf(itemId) })),
      voters: result ? result.voters : null,
      placements,
      fingers: result?.kind === 'consensus' ? [...result.fingers] : null,
    }
  })
}

/** The latest revealed consensus check on an issue, with its average, or null. */
export function latestConsensus(
  rounds: readonly RoundRecord[],
  itemId: string,
): { record: RoundRecord; fingers: number[]; average: number | null } | null {
  for (let i = rounds.length - 1; i >= 0; i--) {
    const record = rounds[i] as RoundRecord
    if (record.kind !== 'consensus' || !record.fingers || record.items[0]?.itemId !== itemId)
      continue
    const voters = record.fingers.reduce((sum, count) => sum + count, 0)
    const fingers = record.fingers
    return {
      record,
      fingers,
      average: averageFingers({ kind: 'consensus', voters, fingers }),
    }
  }
  return null
}
