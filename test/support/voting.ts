/**
 * Many Node clients voting on one board at once: the set-up the vote integration test and the
 * vote burst bench share, and how each reads the ranking its client sees.
 */
import {
  rank,
  readVoteState,
  startVote,
  tally,
  VOTES,
  type VoteSession,
} from '@common-ground/shared/vote'
import { participantOf } from './boards.ts'
import { waitFor, type YClient } from './yclient.ts'

export interface VoteBurst {
  session: VoteSession
  /** The voters as the server knows them, in the order of `voters`. */
  people: ReturnType<typeof participantOf>[]
  voters: YClient[]
}

/**
 * Once `facilitator` is synced it starts the vote `burst` over `itemIds`; then `count` people,
 * each on a device of their own, connect through `connect` (with their link's key and device
 * secret as `params`). Returns when every voter is synced and holds the session.
 */
export async function startVoteBurst(
  facilitator: YClient,
  boardId: string,
  options: {
    itemIds: string[]
    count: number
    connect: (params: Record<string, string>) => YClient
  },
): Promise<VoteBurst> {
  await facilitator.whenSynced()
  const session = startVote(facilitator.doc, {
    id: 'burst',
    title: 'Which issues first?',
    itemIds: options.itemIds,
    now: Date.now(),
  })
  const people = Array.from({ length: options.count }, () => participantOf(boardId))
  const voters = people.map((person) => options.connect(person.params))
  await Promise.all(voters.map((client) => client.whenSynced()))
  await waitFor(() => voters.every((client) => client.doc.getMap(VOTES).size > 0), {
    what: 'the session on every client',
  })
  return { session, people, voters }
}

/** The ranking `client` sees for `session`, from the ballots it holds. */
export function rankingOf(client: YClient, session: VoteSession) {
  const ballots = readVoteState(client.doc).ballots.get(session.id)
  return rank(tally(session, ballots?.values() ?? []))
}

/** The ballot one voter's dots make: how many dots on each item. */
export function ballotOf(dots: readonly string[]): { dots: Record<string, number> } {
  const counts: Record<string, number> = {}
  for (const itemId of dots) counts[itemId] = (counts[itemId] ?? 0) + 1
  return { dots: counts }
}
