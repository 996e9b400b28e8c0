/**
 * What this person may see of a vote's count, from what reaches this browser: while it runs, the
 * server's turnout (how many voted; counts per note, and names in a named vote, only when the
 * results are visible); once revealed, the outcome the server wrote into the document. Ballots
 * never reach the browser, so nothing here counts them.
 */
import {
  type RankedItem,
  rank,
  resolvedRanking,
  resultsVisible,
  sessionTally,
  type Turnout,
  type VoteSession,
  type VoteState,
} from '@common-ground/shared/vote'

export interface VoteView {
  /** How many have voted; null while the server counts a revealed vote. */
  voters: number | null
  /** Dots per note, when everyone may see them (null: hidden, or still counting). */
  counts: ReadonlyMap<string, number> | null
  /** Who put dots on each note ("Ana, Ben"): named votes only, when the counts are visible. */
  names: ReadonlyMap<string, string> | null
  /** The ranking (runoffs applied once revealed); empty while hidden or counting. */
  ranking: RankedItem[]
  /** Revealed, but the server's outcome has not arrived yet: say "counting…", never zeros. */
  counting: boolean
}

/**
 * Whether a revealed vote is still without its outcome. (A board from before the ballot box may
 * still hold its ballots in the document for a moment; those count as before.)
 */
export function isCounting(state: VoteState, session: VoteSession): boolean {
  return (
    session.status === 'revealed' &&
    !state.outcomes.has(session.id) &&
    !state.ballots.has(session.id)
  )
}

function namesOf(
  session: VoteSession,
  names: Record<string, string[]> | undefined,
): ReadonlyMap<string, string> | null {
  if (session.anonymous || !names) return null
  const byItem = new Map<string, string>()
  for (const itemId of session.itemIds) {
    const list = names[itemId]
    if (Array.isArray(list) && list.length > 0) byItem.set(itemId, [...list].sort().join(', '))
  }
  return byItem
}

export function voteView(
  state: VoteState,
  session: VoteSession,
  turnout: Turnout | null,
): VoteView {
  if (session.status === 'revealed') {
    if (isCounting(state, session))
      return { voters: null, counts: null, names: null, ranking: [], counting: true }
    const counted = sessionTally(state, session)
    return {
      voters: counted.voters,
      counts: new Map(counted.items.map((item) => [item.itemId, item.dots])),
      names: namesOf(session, state.outcomes.get(session.id)?.names),
      ranking: resolvedRanking(state, session),
      counting: false,
    }
  }
  const voters = turnout?.voters ?? 0
  if (!resultsVisible(session))
    return { voters, counts: null, names: null, ranking: [], counting: false }
  const items = session.itemIds.map((itemId) => {
    const dots = turnout?.dots?.[itemId]
    return { itemId, dots: typeof dots === 'number' && dots > 0 ? dots : 0, voters: 0 }
  })
  return {
    voters,
    counts: new Map(items.map((item) => [item.itemId, item.dots])),
    names: namesOf(session, turnout?.names),
    ranking: rank({
      sessionId: session.id,
      items,
      voters,
      dots: items.reduce((sum, item) => sum + item.dots, 0),
    }),
    counting: false,
  }
}
