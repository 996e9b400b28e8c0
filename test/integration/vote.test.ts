/**
 * Dot voting over the wire: 60 Node Yjs clients cast their dots through the server's ballot box
 * at the same moment; once the facilitator reveals, every client holds the same outcome, so the
 * app's `resolvedRanking` gives every client the same ranking, the one the known ballots call for.
 */
import { isDeepStrictEqual } from 'node:util'
import {
  closeVote,
  rank,
  readVoteState,
  revealVote,
  tally,
  type VoteOutcome,
} from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import {
  ballotNotices,
  ballotOf,
  holdsBallotKeys,
  outcomeOf,
  rankingOf,
  startVoteBurst,
  turnoutNotices,
} from '../support/voting.ts'
import { waitFor } from '../support/yclient.ts'

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
  it('gives every client the same outcome and ranking after a concurrent burst of dots', async () => {
    const { id } = await createBoard(running.server, { title: 'Vote burst', template: 'retreat' })
    const facilitator = running.client(id)
    const { session, voters } = await startVoteBurst(facilitator, id, {
      itemIds: ITEMS,
      count: VOTERS,
      connect: (params) => running.client(id, { params }),
    })

    // Everyone votes at once: each dot is its own request to the server, as in the browser.
    await Promise.all(
      voters.map(async (client, v) => {
        for (const itemId of dotsOf(v)) {
          client.sendDot({ sessionId: session.id, itemId, delta: 1 })
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
        }
      }),
    )

    // What the ballots call for, computed without any network.
    const ballots = voters.map((_, v) => ballotOf(dotsOf(v)))
    const expected = rank(tally(session, ballots))
    expect(expected.reduce((sum, item) => sum + item.dots, 0)).toBe(VOTERS * 5)
    // Ties in the expected ranking share a rank (the data makes some).
    expect(new Set(expected.map((item) => item.rank)).size).toBeLessThan(ITEMS.length)

    // Each voter is answered with its own ballot after every dot (the last answer holds all
    // five); none was refused.
    await waitFor(
      () =>
        voters.every((client, v) =>
          isDeepStrictEqual(ballotNotices(client, session.id).at(-1)?.dots, ballots[v]?.dots),
        ),
      { what: 'an answer to every dot', timeoutMs: 20_000 },
    )
    for (const client of voters) {
      const answers = ballotNotices(client, session.id)
      expect(answers.filter((answer) => answer.refused !== undefined)).toEqual([])
    }
    // Converged before the reveal: everyone is told that all 60 voted, and nothing more.
    const all = [facilitator, ...voters]
    await waitFor(
      () => all.every((client) => turnoutNotices(client, session.id).at(-1)?.voters === VOTERS),
      { what: 'the whole turnout on every client', timeoutMs: 20_000 },
    )
    for (const client of all) {
      expect(turnoutNotices(client, session.id).at(-1)).toEqual({
        kind: 'turnout',
        sessionId: session.id,
        voters: VOTERS,
      })
      expect(holdsBallotKeys(client)).toBe(false)
      expect(rankingOf(client, session)).toBeNull()
    }

    // Close and reveal: the server writes the outcome, and every client holds the same one.
    closeVote(facilitator.doc, session.id, Date.now())
    revealVote(facilitator.doc, session.id, Date.now())
    await waitFor(() => all.every((client) => outcomeOf(client, session.id)), {
      what: 'the outcome on every client',
      timeoutMs: 20_000,
    })
    const counted = tally(session, ballots)
    const outcome: VoteOutcome = {
      dots: Object.fromEntries(counted.items.map((item) => [item.itemId, item.dots])),
      voters: VOTERS,
    }
    for (const client of all) {
      expect(readVoteState(client.doc).sessions.get(session.id)?.status).toBe('revealed')
      expect(outcomeOf(client, session.id)).toEqual(outcome)
      expect(rankingOf(client, session)).toEqual(expected)
      expect(holdsBallotKeys(client)).toBe(false)
    }
  })
})
