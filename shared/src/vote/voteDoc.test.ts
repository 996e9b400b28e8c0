import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BoardBallots } from './boardBallots.ts'
import { issueRanking, startRunoff, voteHistory } from './results.ts'
import {
  changeVote,
  closeVote,
  dotsLeft,
  readVoteState,
  revealVote,
  startVote,
  VoteError,
  voteSessionsBefore,
} from './voteDoc.ts'
import { VOTES } from './voteKeys.ts'

const items = ['shape:a', 'shape:b', 'shape:c']
// Participant ids of the form access.ts derives (`p` and 22 characters).
const pid = (name: string) => `p${name.padEnd(22, '_')}`
const pA = pid('A')
const pB = pid('B')
const p1 = pid('1')
const p2 = pid('2')
const p3 = pid('3')

/** Ballots of each doc, cast the way the server casts them (its ballot box, not the doc). */
const boxes = new WeakMap<Y.Doc, BoardBallots>()
const ballotsOf = (doc: Y.Doc) => {
  const known = boxes.get(doc)
  if (known) return known
  const ballots = new BoardBallots(doc)
  boxes.set(doc, ballots)
  return ballots
}
interface DotInput {
  sessionId: string
  participantId: string
  itemId: string
  name?: string
  now?: number
}
function castOne(doc: Y.Doc, input: DotInput, delta: 1 | -1) {
  const { sessionId, participantId, itemId } = input
  const result = ballotsOf(doc).cast(
    participantId,
    { sessionId, itemId, delta },
    input.now,
    input.name,
  )
  if (!result.ok) throw new VoteError(result)
  return result.ballot
}
const placeDot = (doc: Y.Doc, input: DotInput) => castOne(doc, input, 1)
const removeDot = (doc: Y.Doc, input: DotInput) => castOne(doc, input, -1)
const readBallot = (doc: Y.Doc, sessionId: string, participantId: string) =>
  ballotsOf(doc).box.ballot(sessionId, participantId)
/** The facilitator reveals; the server writes the outcome at once. */
function reveal(doc: Y.Doc, sessionId: string, now: number) {
  const session = revealVote(doc, sessionId, now)
  ballotsOf(doc).recordRevealed()
  return session
}

function reasonOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof VoteError) return error.reason
    throw error
  }
  return 'ok'
}

describe('vote writes', () => {
  it('start, place, remove, close and reveal: the doc holds sessions and outcomes, no ballot', () => {
    const doc = new Y.Doc()
    const session = startVote(doc, { id: 'v1', title: 'First', itemIds: items, now: 10 })
    expect(session).toMatchObject({
      dotsPerParticipant: 5,
      maxDotsPerItem: 3,
      anonymous: true,
      hiddenUntilReveal: true,
      status: 'open',
    })
    placeDot(doc, { sessionId: 'v1', participantId: pA, itemId: 'shape:b' })
    placeDot(doc, { sessionId: 'v1', participantId: pA, itemId: 'shape:b' })
    placeDot(doc, { sessionId: 'v1', participantId: pB, itemId: 'shape:c' })
    removeDot(doc, { sessionId: 'v1', participantId: pB, itemId: 'shape:c' })
    expect(doc.getMap(VOTES).toJSON()).toEqual({ 'session/v1': session })
    expect(dotsLeft(session, readBallot(doc, 'v1', pA))).toBe(3)
    closeVote(doc, 'v1', 20)
    expect(
      reasonOf(() => placeDot(doc, { sessionId: 'v1', participantId: pA, itemId: 'shape:a' })),
    ).toBe('notOpen')
    const revealed = reveal(doc, 'v1', 30)
    expect(revealed).toMatchObject({ status: 'revealed', closedAt: 20, revealedAt: 30 })
    // Anonymous: the outcome counts dots per note and voters, and names nobody.
    expect(doc.getMap(VOTES).get('outcome/v1')).toEqual({
      dots: { 'shape:a': 0, 'shape:b': 2, 'shape:c': 0 },
      voters: 1,
    })
    expect(JSON.stringify(doc.getMap(VOTES).toJSON())).not.toContain(pA)
  })

  it('refuses a dot over the cap, over the budget, outside the vote or after the countdown', () => {
    const doc = new Y.Doc()
    startVote(doc, {
      id: 'v1',
      title: 'x',
      itemIds: items,
      now: 0,
      dotsPerParticipant: 2,
      maxDotsPerItem: 1,
      endsAt: 100,
    })
    const dot = (itemId: string, now?: number) =>
      reasonOf(() => placeDot(doc, { sessionId: 'v1', participantId: pA, itemId, now }))
    expect(dot('shape:a')).toBe('ok')
    expect(dot('shape:a')).toBe('itemCapReached')
    expect(dot('shape:x')).toBe('notInVote')
    expect(dot('shape:b', 101)).toBe('timeUp')
    expect(dot('shape:b', 99)).toBe('ok')
    expect(dot('shape:c')).toBe('budgetSpent')
    // Raising the budget while open gives everyone more dots; lowering is refused.
    changeVote(doc, 'v1', { dotsPerParticipant: 3 })
    expect(dot('shape:c')).toBe('ok')
    expect(reasonOf(() => changeVote(doc, 'v1', { dotsPerParticipant: 2 }))).toBe('budgetLowered')
    expect(
      reasonOf(() =>
        startVote(doc, { title: 'x', itemIds: items, now: 0, dotsPerParticipant: 21 }),
      ),
    ).toBe('invalid')
  })

  it('keeps a name only in a named vote', () => {
    const doc = new Y.Doc()
    startVote(doc, { id: 'anon', title: 'x', itemIds: items, now: 0 })
    startVote(doc, { id: 'named', title: 'x', itemIds: items, now: 0, anonymous: false })
    expect(
      placeDot(doc, { sessionId: 'anon', participantId: pA, itemId: 'shape:a', name: 'Ana' }),
    ).toEqual({ dots: { 'shape:a': 1 } })
    expect(
      placeDot(doc, { sessionId: 'named', participantId: pA, itemId: 'shape:a', name: 'Ana' }),
    ).toEqual({ dots: { 'shape:a': 1 }, name: 'Ana' })
  })
})

describe('results, history and runoffs', () => {
  function votedDoc() {
    const doc = new Y.Doc()
    startVote(doc, { id: 'v1', title: 'First', itemIds: items, now: 10 })
    // a: 3, b: 3, c: 1
    for (const [participantId, itemId] of [
      [p1, 'shape:a'],
      [p1, 'shape:a'],
      [p2, 'shape:a'],
      [p2, 'shape:b'],
      [p3, 'shape:b'],
      [p3, 'shape:b'],
      [p3, 'shape:c'],
    ] as const)
      placeDot(doc, { sessionId: 'v1', participantId, itemId })
    return doc
  }
  const text = (id: string) => id.toUpperCase()

  it('hides results and voters from the history until the reveal', () => {
    const doc = votedDoc()
    const [open] = voteHistory(readVoteState(doc), text)
    // The document knows nothing of the ballots until the outcome is written.
    expect(open).toMatchObject({ id: 'v1', status: 'open', voters: 0, results: null })
    expect(issueRanking(readVoteState(doc), text)).toEqual([])
    reveal(doc, 'v1', 50)
    expect(voteHistory(readVoteState(doc), text)[0]?.voters).toBe(3)
    const [revealed] = voteHistory(readVoteState(doc), text)
    expect(revealed?.results).toEqual([
      { itemId: 'shape:a', text: 'SHAPE:A', dots: 3, rank: 1 },
      { itemId: 'shape:b', text: 'SHAPE:B', dots: 3, rank: 1 },
      { itemId: 'shape:c', text: 'SHAPE:C', dots: 1, rank: 3 },
    ])
  })

  it('runs a runoff among the tied items only, and applies it to the ranking once revealed', () => {
    const doc = votedDoc()
    expect(reasonOf(() => startRunoff(doc, 'v1', { now: 60, title: 'Runoff' }))).toBe(
      'badTransition',
    )
    reveal(doc, 'v1', 50)
    const runoff = startRunoff(doc, 'v1', { id: 'r1', now: 60, title: 'Runoff' })
    expect(runoff).toMatchObject({
      itemIds: ['shape:a', 'shape:b'],
      dotsPerParticipant: 1,
      maxDotsPerItem: 1,
      runoffOf: 'v1',
    })
    placeDot(doc, { sessionId: 'r1', participantId: p1, itemId: 'shape:b' })
    placeDot(doc, { sessionId: 'r1', participantId: p2, itemId: 'shape:b' })
    placeDot(doc, { sessionId: 'r1', participantId: p3, itemId: 'shape:a' })
    // Not applied until the runoff is revealed.
    expect(issueRanking(readVoteState(doc), text).map((item) => item.rank)).toEqual([1, 1, 3])
    reveal(doc, 'r1', 70)
    expect(
      issueRanking(readVoteState(doc), text).map((item) => [
        item.id,
        item.rank,
        item.dots,
        item.sessionId,
      ]),
    ).toEqual([
      ['shape:b', 1, 3, 'v1'],
      ['shape:a', 2, 3, 'v1'],
      ['shape:c', 3, 1, 'v1'],
    ])
    expect(reasonOf(() => startRunoff(doc, 'v1', { now: 80, title: 'Again' }))).toBe('notInVote')
  })

  it('reports keys it does not know and sessions that do not validate', () => {
    const doc = new Y.Doc()
    doc.getMap(VOTES).set('junk', 1)
    doc.getMap(VOTES).set('session/v9', { id: 'v9' })
    const state = readVoteState(doc)
    expect(state.sessions.size).toBe(0)
    expect(state.problems.map((problem) => problem.where)).toEqual([
      'votes/junk',
      'votes/session/v9',
    ])
  })
})

describe('voteSessionsBefore', () => {
  it('gives the sessions as they were before an update that changed them', () => {
    const doc = new Y.Doc()
    const v1 = startVote(doc, { id: 'v1', title: 'x', itemIds: items, now: 0 })
    const closed = closeVote(doc, 'v1', 5)
    startVote(doc, { id: 'v2', title: 'y', itemIds: items, now: 6 })
    const before = voteSessionsBefore(doc, [
      { root: VOTES, key: 'session/v1', before: v1 },
      { root: VOTES, key: 'session/v2', before: undefined },
      { root: VOTES, key: `ballot/v1/${pA}`, before: undefined },
      { root: 'plan', key: 'session/v3', before: closed },
    ])
    expect([...before.keys()]).toEqual(['v1'])
    expect(before.get('v1')?.status).toBe('open')
  })
})
