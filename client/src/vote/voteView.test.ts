import { voteSession } from '@common-ground/shared/fixtures'
import type { VoteOutcome, VoteSession, VoteState } from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import { isCounting, voteView } from './voteView.ts'

function stateOf(sessions: VoteSession[], outcomes: [string, VoteOutcome][] = []): VoteState {
  return {
    sessions: new Map(sessions.map((session) => [session.id, session])),
    outcomes: new Map(outcomes),
    ballots: new Map(),
    problems: [],
  }
}

const revealed = (over: Partial<VoteSession> = {}) =>
  voteSession({ status: 'revealed', closedAt: 2000, revealedAt: 2000, ...over })

describe('voteView: what a person sees of the count', () => {
  it('shows only how many voted while the results are hidden', () => {
    const session = voteSession()
    const view = voteView(stateOf([session]), session, {
      sessionId: 'v1',
      voters: 4,
      // Whatever arrives, a hidden vote shows no counts.
      dots: { 'shape:a': 3 },
    })
    expect(view).toEqual({ voters: 4, counts: null, names: null, ranking: [], counting: false })
    expect(voteView(stateOf([session]), session, null).voters).toBe(0)
  })

  it('takes the counts and names of a visible vote from the turnout', () => {
    const session = voteSession({ hiddenUntilReveal: false, anonymous: false })
    const view = voteView(stateOf([session]), session, {
      sessionId: 'v1',
      voters: 2,
      dots: { 'shape:b': 3, 'shape:c': 1 },
      names: { 'shape:b': ['Ben', 'Ana'], 'shape:c': ['Ana'] },
    })
    expect(view.voters).toBe(2)
    expect([...(view.counts ?? [])]).toEqual([
      ['shape:a', 0],
      ['shape:b', 3],
      ['shape:c', 1],
    ])
    expect(view.ranking.map((item) => [item.itemId, item.rank])).toEqual([
      ['shape:b', 1],
      ['shape:c', 2],
      ['shape:a', 3],
    ])
    expect(view.names?.get('shape:b')).toBe('Ana, Ben')
    expect(view.names?.has('shape:a')).toBe(false)
  })

  it('says "counting" for a revealed vote until its outcome arrives, never zeros', () => {
    const session = revealed()
    const state = stateOf([session])
    expect(isCounting(state, session)).toBe(true)
    expect(voteView(state, session, { sessionId: 'v1', voters: 3 })).toEqual({
      voters: null,
      counts: null,
      names: null,
      ranking: [],
      counting: true,
    })
  })

  it('ranks a revealed vote by its outcome, ties as ties, names only in a named vote', () => {
    const outcome: VoteOutcome = {
      dots: { 'shape:a': 2, 'shape:b': 2, 'shape:c': 5 },
      voters: 3,
      names: { 'shape:c': ['Cy', 'Ana'] },
    }
    const named = revealed({ anonymous: false })
    const view = voteView(stateOf([named], [['v1', outcome]]), named, null)
    expect(view.counting).toBe(false)
    expect(view.voters).toBe(3)
    expect(view.ranking.map((item) => [item.itemId, item.rank])).toEqual([
      ['shape:c', 1],
      ['shape:a', 2],
      ['shape:b', 2],
    ])
    expect(view.counts?.get('shape:c')).toBe(5)
    expect(view.names?.get('shape:c')).toBe('Ana, Cy')
    const anonymous = revealed()
    expect(voteView(stateOf([anonymous], [['v1', outcome]]), anonymous, null).names).toBeNull()
  })
})
