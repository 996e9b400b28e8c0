/**
 * Dot voting over the wire: 60 Node Yjs clients place their dots at the same moment, and every
 * client ends with the same ballots, so `rank(tally(...))` gives every client the same ranking,
 * the one the known ballots call for.
 */
import {
  ballotKey,
  closeVote,
  placeDot,
  rank,
  readVoteState,
  revealVote,
  tally,
  VOTES,
} from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { ballotOf, rankingOf, startVoteBurst } from '../support/voting.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()

const VOTERS = 60
const ITEMS = Array.from({ length: 8 }, (_, i) => `shape:issue-${i}`)

/** Voter v's five dots: deterministic, uneven, at most 3 on one item (the cap), ties likely. */
function dotsOf(v: number): string[] {
  const dots: string[] = []
  for (let k = 0; dots.length < 5; k++) {
    const itemId = ITEMS[(v % 5) * (k === 0 ? 1 : 0) + ((v * 7 + k * 3) % 8) * (k === 0 ? 0 : 1)]
    if (itemId && dots.filter((placed) => placed === itemId).length < 3) dots.push(itemId)
  }
  return dots
}

describe('dot voting with 60 clients', () => {
  it('gives every client the same ranking after a concurrent burst of dots', async () => {
    const { id } = await createBoard(running.server, { title: 'Vote burst', template: 'retreat' })
    const facilitator = running.client(id)
    const { session, people, voters } = await startVoteBurst(facilitator, id, {
      itemIds: ITEMS,
      count: VOTERS,
      connect: (params) => running.client(id, { params }),
    })

    // Everyone votes at once: each dot is its own small transaction, as in the browser.
    await Promise.all(
      voters.map(async (client, v) => {
        for (const itemId of dotsOf(v)) {
          placeDot(client.doc, {
            sessionId: session.id,
            participantId: (people[v] as (typeof people)[number]).participantId,
            itemId,
          })
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
        }
      }),
    )

    // What the ballots call for, computed without any network.
    const expected = rank(
      tally(
        session,
        voters.map((_, v) => ballotOf(dotsOf(v))),
      ),
    )
    expect(expected.reduce((sum, item) => sum + item.dots, 0)).toBe(VOTERS * 5)
    const all = [facilitator, ...voters]
    // Converged: every client holds all 300 dots, so every ranking comes from the same ballots.
    const dotsSeen = (client: YClient) =>
      tally(session, readVoteState(client.doc).ballots.get(session.id)?.values() ?? []).dots
    await waitFor(() => all.every((client) => dotsSeen(client) === VOTERS * 5), {
      what: 'every dot on every client',
      timeoutMs: 20_000,
    })
    for (const client of all) expect(rankingOf(client, session)).toEqual(expected)
    // Ties in the expected ranking share a rank (the data makes some).
    expect(new Set(expected.map((item) => item.rank)).size).toBeLessThan(ITEMS.length)

    // Close and reveal: every client sees the same final state.
    closeVote(facilitator.doc, session.id, Date.now())
    revealVote(facilitator.doc, session.id, Date.now())
    await waitFor(
      () =>
        all.every(
          (client) => readVoteState(client.doc).sessions.get(session.id)?.status === 'revealed',
        ),
      { what: 'the reveal on every client' },
    )
    const stored = facilitator.doc
      .getMap(VOTES)
      .get(ballotKey(session.id, (people[0] as (typeof people)[number]).participantId))
    expect(stored).toEqual({
      dots: Object.fromEntries(
        dotsOf(0).reduce(
          (counts, itemId) => counts.set(itemId, (counts.get(itemId) ?? 0) + 1),
          new Map<string, number>(),
        ),
      ),
    })
  })
})
