/**
 * Many Node clients voting on one board at once: the set-up the vote integration test and the
 * vote burst bench share, how a voter casts through the server's ballot box (`MESSAGE_BALLOT`)
 * and reads its answers (`ballot` and `turnout` notices), and the ranking a client sees once the
 * server has written a vote's outcome into the board.
 */
import type { Notice } from '@common-ground/shared/board'
import {
  type RankedItem,
  readVoteState,
  resolvedRanking,
  startVote,
  VOTES,
  type VoteOutcome,
  type VoteSession,
  type VoteSettings,
} from '@common-ground/shared/vote'
import { participantOf } from './boards.ts'
import { waitFor, type YClient } from './yclient.ts'

export type BallotNotice = Extract<Notice, { kind: 'ballot' }>
export type TurnoutNotice = Extract<Notice, { kind: 'turnout' }>

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
    settings?: Partial<VoteSettings>
  },
): Promise<VoteBurst> {
  await facilitator.whenSynced()
  const session = startVote(facilitator.doc, {
    id: 'burst',
    title: 'Which issues first?',
    itemIds: options.itemIds,
    now: Date.now(),
    ...options.settings,
  })
  const people = Array.from({ length: options.count }, () => participantOf(boardId))
  const voters = people.map((person) => options.connect(person.params))
  await Promise.all(voters.map((client) => client.whenSynced()))
  await waitFor(
    () => voters.every((client) => readVoteState(client.doc).sessions.has(session.id)),
    { what: 'the session on every client' },
  )
  return { session, people, voters }
}

/** The `ballot` notices `client` received for `sessionId`, oldest first. */
export function ballotNotices(client: Pick<YClient, 'notices'>, sessionId: string): BallotNotice[] {
  return (client.notices as Notice[]).filter(
    (notice): notice is BallotNotice => notice.kind === 'ballot' && notice.sessionId === sessionId,
  )
}

/** The `turnout` notices `client` received for `sessionId`, oldest first. */
export function turnoutNotices(
  client: Pick<YClient, 'notices'>,
  sessionId: string,
): TurnoutNotice[] {
  return (client.notices as Notice[]).filter(
    (notice): notice is TurnoutNotice =>
      notice.kind === 'turnout' && notice.sessionId === sessionId,
  )
}

/**
 * Sends one dot request and resolves the server's answer to it: the next `ballot` notice for
 * the session (the server answers each request with exactly one, in order).
 */
export async function castDot(
  client: YClient,
  request: { sessionId: string; itemId: string; delta: 1 | -1; name?: string },
): Promise<BallotNotice> {
  const seen = ballotNotices(client, request.sessionId).length
  client.sendDot(request)
  return waitFor(() => ballotNotices(client, request.sessionId)[seen], {
    what: `the answer to a dot on ${request.itemId}`,
  })
}

/** The outcome the server wrote into `client`'s copy of the board, once the vote is revealed. */
export function outcomeOf(
  client: Pick<YClient, 'doc'>,
  sessionId: string,
): VoteOutcome | undefined {
  return readVoteState(client.doc).outcomes.get(sessionId)
}

/**
 * The ranking `client` sees for `session`: from the outcome the server wrote at the reveal (as
 * the app reads it, `resolvedRanking`); `null` until the outcome is there.
 */
export function rankingOf(client: Pick<YClient, 'doc'>, session: VoteSession): RankedItem[] | null {
  const state = readVoteState(client.doc)
  if (!state.outcomes.has(session.id)) return null
  const current = state.sessions.get(session.id) ?? session
  return resolvedRanking(state, current)
}

/** Whether any key of `client`'s votes map is a ballot (nothing but the server holds ballots). */
export function holdsBallotKeys(client: Pick<YClient, 'doc'>): boolean {
  return [...client.doc.getMap(VOTES).keys()].some((key) => key.startsWith('ballot/'))
}

/** The ballot one voter's dots make: how many dots on each item. */
export function ballotOf(dots: readonly string[]): { dots: Record<string, number> } {
  const counts: Record<string, number> = {}
  for (const itemId of dots) counts[itemId] = (counts[itemId] ?? 0) + 1
  return { dots: counts }
}
