/**
 * Placement rounds and consensus checks as the exports word them (plan.md, the printable report):
 * one section per round, with a line or two and a table, and the line an action-plan issue gets
 * from its latest consensus check. `escapeText` is the export's own escaping of people's text (issue
 * and round titles); numbers and catalogue text are left as they are.
 */
import type { MessageKey, MessageParams } from '../i18n/index.ts'
import type { PartnershipPlan } from '../plan/partnershipPlan.ts'
import { averageFingers, consensusReached } from '../vote/consensus.ts'
import { FINGER_MESSAGES, RANKING_RULE_MESSAGES } from '../vote/round.ts'
import { latestConsensus, type RoundRecord } from '../vote/roundRecords.ts'

type Translate = (key: MessageKey, params?: MessageParams) => string

export interface RoundSection {
  round: RoundRecord
  heading: string
  lines: string[]
  table: { head: string[]; rows: string[][] } | null
}

const meanSpread = (t: Translate, axis: { mean: number; spread: number }) =>
  t('placement.meanSpread', { mean: axis.mean.toFixed(1), spread: axis.spread.toFixed(1) })

export function roundSections(
  plan: PartnershipPlan,
  t: Translate,
  escapeText: (text: string) => string,
): RoundSection[] {
  return (plan.rounds ?? []).map((round) => {
    const issue = escapeText(round.items[0]?.text || t('plan.emptyNote'))
    const heading =
      round.kind === 'placement' ? escapeText(round.title) : t('consensus.on', { text: issue })
    if (round.status !== 'revealed' || round.voters === null)
      return { round, heading, lines: [t('export.roundHidden')], table: null }
    const took = t('round.took', { count: round.voters })
    if (round.placements) {
      return {
        round,
        heading,
        lines: [
          `${took} ${t('export.rankedBy', { rule: t(RANKING_RULE_MESSAGES[round.rankingRule ?? 'impactMinusEffort']) })}`,
        ],
        table: {
          head: [
            t('placement.rank'),
            t('placement.issue'),
            t('placement.impact'),
            t('placement.effort'),
            t('placement.people'),
          ],
          rows: round.placements.map((row) => [
            String(row.rank),
            escapeText(row.text || t('plan.emptyNote')),
            meanSpread(t, row.impact),
            meanSpread(t, row.effort),
            String(row.count),
          ]),
        },
      }
    }
    const fingers = round.fingers ?? []
    const summary = consensusLine(plan, round.items[0]?.itemId ?? '', t, round) ?? took
    return {
      round,
      heading,
      lines: [summary],
      table: {
        head: [t('consensus.fingers'), t('placement.people')],
        rows: FINGER_MESSAGES.map((key, value) => [t(key), String(fingers[value] ?? 0)]),
      },
    }
  })
}

/**
 * "Consensus: 2 people answered; average 4.5 of 5. Nobody is at 0 or 1…" for an issue's latest
 * revealed check (or for `round` itself), or null when there is none.
 */
export function consensusLine(
  plan: PartnershipPlan,
  itemId: string,
  t: Translate,
  round?: RoundRecord,
): string | null {
  const found = round
    ? round.fingers && { fingers: round.fingers }
    : latestConsensus(plan.rounds ?? [], itemId)
  if (!found) return null
  const voters = found.fingers.reduce((sum, count) => sum + count, 0)
  if (voters === 0) return `${t('consensus.title')}: ${t('consensus.nobody')}`
  const result = { kind: 'consensus' as const, voters, fingers: found.fingers }
  const average = (averageFingers(result) ?? 0).toFixed(1)
  const reached = consensusReached(result)
  return `${t('consensus.title')}: ${t('consensus.summary', { count: voters, average })} ${t(
    reached ? 'consensus.reached' : 'consensus.notReached',
  )}`
}
