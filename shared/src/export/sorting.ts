/**
 * The themes with their notes, as the exports list them (Markdown, the printable report): one
 * shared reading so both say the same.
 */
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'

export function themesWithIssues(
  plan: Pick<PartnershipPlan, 'themes' | 'issues'>,
): { id: string; title: string; issues: string[] }[] {
  return plan.themes.map((theme) => ({
    ...theme,
    issues: plan.issues.filter((issue) => issue.cluster === theme.id).map((issue) => issue.text),
  }))
}
