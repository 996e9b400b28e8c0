import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { voteSession } from '../plan/fixtures.ts'
import type { Ballot } from './ballot.ts'
import { BallotBox, castDot, readDotRequest, turnoutOf } from './ballotBox.ts'
import type { VoteSession } from './session.ts'
import { tally } from './tally.ts'

const pid = (name: string) => `p${name.padEnd(22, '_')}`
const base: VoteSession = voteSession()
const reason = (result: ReturnType<typeof castDot>) => (result.ok ? 'ok' : result.reason)
const empty: Ballot = { dots: {} }

describe('castDot: the rules the server applies to each dot', () => {
  it('adds and takes back dots within the budget and the per-note cap', () => {
    const one = castDot(base, empty, { itemId: 'shape:a', delta: 1 }, 0)
    expect(one.ok && one.ballot).toEqual({ dots: { 'shape:a': 1 } })
    const none = castDot(base, { dots: { 'shape:a': 1 } }, { itemId: 'shape:a', delta: -1 }, 0)
    expect(none.ok && none.ballot).toEqual({ dots: {} })
    const full: Ballot = { dots: { 'shape:a': base.maxDotsPerItem } }
    expect(reason(castDot(base, full, { itemId: 'shape:a', delta: 1 }, 0))).toBe('itemCapReached')
    const spent: Ballot = { dots: { 'shape:a': 3, 'shape:b': 2 } }
    expect(reason(castDot(base, spent, { itemId: 'shape:c', delta: 1 }, 0))).toBe('budgetSpent')
    expect(reason(castDot(base, empty, { itemId: 'shape:x', delta: 1 }, 0))).toBe('notInVote')
  })

  it('takes no dot once the vote is closed or its countdown is over', () => {
    const closed = { ...base, status: 'closed' as const }
    expect(reason(castDot(closed, empty, { itemId: 'shape:a', delta: 1 }, 0))).toBe('notOpen')
    const timed = { ...base, endsAt: 5000 }
    expect(reason(castDot(timed, empty, { itemId: 'shape:a', delta: 1 }, 5001))).toBe('timeUp')
    expect(reason(castDot(timed, empty, { itemId: 'shape:a', delta: 1 }, 4999))).toBe('ok')
  })

  it('keeps the voter’s name in a named vote only', () => {
    const anonymous = castDot(base, empty, { itemId: 'shape:a', delta: 1 }, 0, 'Ana')
    expect(anonymous.ok && anonymous.ballot).toEqual({ dots: { 'shape:a': 1 } })
    const named = castDot(
      { ...base, anonymous: false },
      empty,
      { itemId: 'shape:a', delta: 1 },
      0,
      'Ana',
    )
    expect(named.ok && named.ballot).toEqual({ dots: { 'shape:a': 1 }, name: 'Ana' })
  })

  it('reads only well-formed requests', () => {
    expect(readDotRequest('{"sessionId":"v1","itemId":"shape:a","delta":1}')).toEqual({
      sessionId: 'v1',
      itemId: 'shape:a',
      delta: 1,
    })
    for (const bad of [
      '{"sessionId":"v1","itemId":"shape:a","delta":2}',
      '{"sessionId":"../x","itemId":"shape:a","delta":1}',
      '{"sessionId":"v1","itemId":"shape:a","delta":1,"participantId":"pX"}',
      '[1]',
      'not json',
      `{"sessionId":"v1","itemId":"${'a'.repeat(2000)}","delta":1}`,
    ])
      expect(readDotRequest(bad)).toBeNull()
  })
})

describe('what others learn while a vote runs', () => {
  it('a hidden vote tells only how many voted; a visible one the dots per note', () => {
    const ballots: Ballot[] = [{ dots: { 'shape:a': 2 } }, { dots: { 'shape:b': 1 } }]
    expect(turnoutOf(base, ballots)).toEqual({ sessionId: 'v1', voters: 2 })
    const visible = { ...base, hiddenUntilReveal: false }
    expect(turnoutOf(visible, ballots)).toEqual({
      sessionId: 'v1',
      voters: 2,
      dots: { 'shape:a': 2, 'shape:b': 1, 'shape:c': 0 },
    })
  })
})

// Any sequence of dots from a handful of people: which note, more or less, when.
const casts = fc.array(
  fc.record({
    voter: fc.integer({ min: 0, max: 5 }),
    item: fc.constantFrom('shape:a', 'shape:b', 'shape:c', 'shape:x'),
    delta: fc.constantFrom(1 as const, -1 as const),
  }),
  { maxLength: 60 },
)

describe('the ballot box counts as shared tally() does', () => {
  it('for any sequence of dots, its outcome equals tally() over the ballots it accepted', () => {
    fc.assert(
      fc.property(casts, fc.boolean(), (sequence, anonymous) => {
        const session = { ...base, anonymous }
        const box = new BallotBox()
        // The model: each voter's ballot, changed only when the rules allow it.
        const model = new Map<number, Ballot>()
        for (const { voter, item, delta } of sequence) {
          const before = model.get(voter) ?? empty
          const expected = castDot(session, before, { itemId: item, delta }, 0, `V${voter}`)
          const got = box.cast(session, pid(`v${voter}`), { itemId: item, delta }, 0, `V${voter}`)
          expect(got.ok).toBe(expected.ok)
          if (expected.ok) model.set(voter, expected.ballot)
        }
        const counted = tally(session, model.values())
        const outcome = box.outcome(session)
        expect(outcome.voters).toBe(counted.voters)
        for (const item of counted.items) expect(outcome.dots[item.itemId]).toBe(item.dots)
        expect(outcome.names === undefined).toBe(anonymous)
      }),
    )
  })

  it('an anonymous outcome is the same whoever cast which ballot', () => {
    fc.assert(
      fc.property(casts, fc.integer({ min: 1, max: 5 }), (sequence, shift) => {
        const run = (rename: (voter: number) => number) => {
          const box = new BallotBox()
          for (const { voter, item, delta } of sequence)
            box.cast(base, pid(`v${rename(voter)}`), { itemId: item, delta }, 0, `V${voter}`)
          return box.outcome(base)
        }
        const outcome = run((voter) => voter)
        expect(run((voter) => (voter + shift) % 6)).toEqual(outcome)
        expect(JSON.stringify(outcome)).not.toMatch(/"V\d"|pv\d_{20}/)
      }),
    )
  })
})
