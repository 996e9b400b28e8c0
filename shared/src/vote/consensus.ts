/**
 * Fist to five: the tally of a consensus check (each person 0–5 fingers for one issue) into a
 * count per number of fingers, and what the group reads from it. The marks stay on the server
 * (roundBox.ts); the tally is all the document ever holds.
 */
import { FINGERS_MAX, type RoundResult } from './round.ts'

export type ConsensusResult = Extract<RoundResult, { kind: 'consensus' }>

/** People per number of fingers from everyone's answer (values outside 0–5 are not counted). */
export function tallyFingers(answers: Iterable<number>): ConsensusResult {
  const fingers = Array.from({ length: FINGERS_MAX + 1 }, () => 0)
  let voters = 0
  for (const answer of answers) {
    if (!Number.isInteger(answer) || answer < 0 || answer > FINGERS_MAX) continue
    fingers[answer] = (fingers[answer] ?? 0) + 1
    voters += 1
  }
  return { kind: 'consensus', voters, fingers }
}

/** The average number of fingers (two decimals), or null when nobody answered. */
export function averageFingers(result: ConsensusResult): number | null {
  if (result.voters === 0) return null
  const total = result.fingers.reduce((sum, count, value) => sum + count * value, 0)
  return Math.round((total / result.voters) * 100) / 100
}

/**
 * The common reading of fist to five: anyone at 0 or 1 blocks or has serious doubts (talk
 * first); otherwise everyone can live with it. Null when nobody answered.
 */
export function consensusReached(result: ConsensusResult): boolean | null {
  if (result.voters === 0) return null
  return (result.fingers[0] ?? 0) + (result.fingers[1] ?? 0) === 0
}
