/**
 * The ranked issues an export lists: the board's vote ranking (with dots) once a vote has been
 * revealed, otherwise the action plan's issues by their rank (no dots).
 */
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'

export interface RankedIssueRow {
  id: string
  title: string
  rank: number
  /** Dots the issue received, or `null` when no revealed vote counted it. */
  dots: number | null
}

export function rankedIssuesOf(
  plan: Pick<PartnershipPlan, 'ranking' | 'actionPlan'>,
): RankedIssueRow[] {
  if (plan.ranking.length > 0) {
    return plan.ranking.map((row) => ({
      id: row.id,
      title: row.text,
      rank: row.rank,
      dots: row.dots,
    }))
  }
  return plan.actionPlan.map((item) => ({
    id: item.issue,
    title: item.title,
    rank: item.rank,
    dots: null,
  }))
}
