import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { voteSession } from '../plan/fixtures.ts'
import type { VoteSession } from './session.ts'
import {
  applyRunoff,
  countedDots,
  promotionCut,
  rank,
  runoffItems,
  type Tally,
  tally,
  ties,
} from './tally.ts'

function session(over: Partial<VoteSession> = {}): VoteSession {
  return voteSession({ itemIds: ['shape:a', 'shape:b', 'shape:c', 'shape:d'], ...over })
}

const tallyOf = (dots: Record<string, number>): Tally => ({
  sessionId: 'v1',
  items: Object.entries(dots).map(([itemId, count]) => ({ itemId, dots: count, voters: 0 })),
  voters: 0,
  dots: 0,
})

describe('tally', () => {
  it('adds the dots of every ballot per item, in session order', () => {
    const result = tally(session(), [
      { dots: { 'shape:a': 2, 'shape:c': 1 } },
      { dots: { 'shape:c': 3, 'shape:b': 1 } },
    ])
    expect(result.items).toEqual([
      { itemId: 'shape:a', dots: 2, voters: 1 },
      { itemId: 'shape:b', dots: 1, voters: 1 },
      { itemId: 'shape:c', dots: 4, voters: 2 },
      { itemId: 'shape:d', dots: 0, voters: 0 },
    ])
    expect(result.voters).toBe(2)
    expect(result.dots).toBe(7)
  })

  it('applies its rule to a doctored ballot: foreign items, bad counts, cap, then budget in item order', () => {
    const doctored = {
      dots: {
        'shape:zzz': 20, // not in the session: ignored
        'shape:d': 3, // taken last: only what is left of the budget
        'shape:a': 99, // clipped to the cap (3)
        'shape:b': -4, // negative: ignored
        'shape:c': 1.5, // not whole: ignored
      },
    }
    expect([...countedDots(session(), doctored)]).toEqual([
      ['shape:a', 3],
      ['shape:d', 2],
    ])
    expect(tally(session(), [doctored]).dots).toBe(5)
  })

  it('counts nothing for values that are not ballots, nor for inherited keys', () => {
    const odd = [null, 7, 'dots', [], { dots: null }, { dots: [3, 3] }, { dots: 'x' }]
    expect(tally(session(), odd).dots).toBe(0)
    const proto = session({ itemIds: ['constructor', 'toString', '__proto__'] })
    expect(tally(proto, [{ dots: {} }, JSON.parse('{"dots":{"__proto__":2}}')]).items).toEqual([
      { itemId: 'constructor', dots: 0, voters: 0 },
      { itemId: 'toString', dots: 0, voters: 0 },
      { itemId: '__proto__', dots: 2, voters: 1 },
    ])
  })
})

describe('rank', () => {
  it('ranks by dots, ties share a rank and the next rank skips (1, 1, 3)', () => {
    const ranking = rank(tallyOf({ a: 4, b: 7, c: 4, d: 1, e: 1 }))
    expect(ranking.map((item) => [item.itemId, item.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
      ['e', 4],
    ])
    expect(ties(ranking)).toEqual([
      { rank: 2, dots: 4, itemIds: ['a', 'c'] },
      { rank: 4, dots: 1, itemIds: ['d', 'e'] },
    ])
  })

  it('offers a runoff only among tied items with dots', () => {
    expect(runoffItems(rank(tallyOf({ a: 3, b: 3, c: 1 })))).toEqual(['a', 'b'])
    expect(runoffItems(rank(tallyOf({ a: 3, b: 2, c: 1 })))).toEqual([])
    expect(runoffItems(rank(tallyOf({ a: 3, b: 0, c: 0 })))).toEqual([])
    expect(runoffItems(rank(tallyOf({ a: 3, b: 0, c: 0 })), 2)).toEqual(['b', 'c'])
    expect(runoffItems(rank(tallyOf({ a: 5, b: 3, c: 3, d: 3 })), 1)).toEqual([])
  })

  it('applies a runoff within the places of the tie, leaving everything else', () => {
    const first = rank(tallyOf({ a: 5, b: 3, c: 3, d: 3, e: 1 }))
    const runoff = rank(tallyOf({ b: 1, c: 4, d: 1 }))
    expect(applyRunoff(first, runoff).map((item) => [item.itemId, item.rank])).toEqual([
      ['a', 1],
      ['c', 2],
      ['b', 3],
      ['d', 3],
      ['e', 5],
    ])
    // A runoff over items that were not tied changes nothing.
    const bogus = rank(tallyOf({ a: 1, e: 9 }))
    expect(applyRunoff(first, bogus)).toEqual(first)
  })
})

// Property tests: any ballots, any settings.
const itemIds = ['shape:a', 'shape:b', 'shape:c', 'shape:d', 'shape:e', 'shape:f']
const arbSession = fc
  .record({
    count: fc.integer({ min: 1, max: itemIds.length }),
    dotsPerParticipant: fc.integer({ min: 1, max: 20 }),
    maxDotsPerItem: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ count, ...settings }) => session({ itemIds: itemIds.slice(0, count), ...settings }))
const arbCount = fc.oneof(
  fc.integer({ min: -5, max: 40 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('3', null, true, {}),
)
const arbBallot = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      dots: fc.dictionary(fc.constantFrom(...itemIds, 'shape:x', 'toString'), arbCount),
    }),
  },
  { weight: 1, arbitrary: fc.anything() },
)

describe('tally and rank, for any ballots', () => {
  it('do not depend on the order of the ballots', () => {
    fc.assert(
      fc.property(
        arbSession,
        fc.array(arbBallot, { maxLength: 20 }),
        fc.nat(),
        (s, ballots, seed) => {
          const shuffled = [...ballots]
          let x = seed
          for (let i = shuffled.length - 1; i > 0; i--) {
            x = (x * 1103515245 + 12345) % 2 ** 31
            const j = x % (i + 1)
            ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
          }
          expect(tally(s, shuffled)).toEqual(tally(s, ballots))
          expect(rank(tally(s, shuffled))).toEqual(rank(tally(s, ballots)))
        },
      ),
    )
  })

  it('never count more than the budget per ballot, nor more than the cap per item', () => {
    fc.assert(
      fc.property(arbSession, arbBallot, (s, ballot) => {
        const counted = countedDots(s, ballot)
        let total = 0
        for (const [itemId, count] of counted) {
          expect(s.itemIds).toContain(itemId)
          expect(Number.isInteger(count)).toBe(true)
          expect(count).toBeGreaterThanOrEqual(1)
          expect(count).toBeLessThanOrEqual(s.maxDotsPerItem)
          total += count
        }
        expect(total).toBeLessThanOrEqual(s.dotsPerParticipant)
        const result = tally(s, [ballot, ballot, ballot])
        expect(result.dots).toBe(3 * total)
        expect(result.dots).toBeLessThanOrEqual(3 * s.dotsPerParticipant)
      }),
    )
  })

  it('give tied items the same rank, and rank n to the item after n-1 better ones', () => {
    fc.assert(
      fc.property(arbSession, fc.array(arbBallot, { maxLength: 12 }), (s, ballots) => {
        const ranking = rank(tally(s, ballots))
        expect(ranking.map((item) => item.itemId).sort()).toEqual([...s.itemIds].sort())
        for (const item of ranking) {
          const better = ranking.filter((other) => other.dots > item.dots).length
          expect(item.rank).toBe(better + 1)
        }
        for (let i = 1; i < ranking.length; i++) {
          const [prev, next] = [ranking[i - 1], ranking[i]]
          if (!prev || !next) throw new Error('unreachable')
          expect(prev.dots).toBeGreaterThanOrEqual(next.dots)
          expect(prev.rank === next.rank).toBe(prev.dots === next.dots)
        }
      }),
    )
  })

  it('offer runoffs only among items that share a rank', () => {
    fc.assert(
      fc.property(
        arbSession,
        fc.array(arbBallot, { maxLength: 12 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        (s, ballots, atRank) => {
          const ranking = rank(tally(s, ballots))
          const items = runoffItems(ranking, atRank)
          if (items.length === 0) return
          expect(items.length).toBeGreaterThanOrEqual(2)
          const ranks = new Set(
            ranking.filter((item) => items.includes(item.itemId)).map((item) => item.rank),
          )
          expect(ranks.size).toBe(1)
          const shared = [...ranks][0]
          expect(ranking.filter((item) => item.rank === shared).map((item) => item.itemId)).toEqual(
            items,
          )
        },
      ),
    )
  })
})

describe('promotionCut', () => {
  const ranked = (dots: number[]) =>
    rank(tallyOf(Object.fromEntries(dots.map((count, index) => [`shape:${index}`, count]))))

  it('takes the top items when the cut falls between two ranks', () => {
    const cut = promotionCut(ranked([5, 4, 3, 2]), 2)
    expect(cut.sure.map((item) => item.itemId)).toEqual(['shape:0', 'shape:1'])
    expect(cut.tied).toEqual([])
  })

  it('shows a tie at the cut instead of breaking it', () => {
    // Third place is shared 2–2: "promote 3" cannot take one of them silently.
    const cut = promotionCut(ranked([5, 4, 2, 2, 1]), 3)
    expect(cut.sure.map((item) => item.itemId)).toEqual(['shape:0', 'shape:1'])
    expect(cut.tied.map((item) => item.itemId).sort()).toEqual(['shape:2', 'shape:3'])
    expect(cut.openPlaces).toBe(1)
    expect(cut.tiedRank).toBe(3)
  })

  it('needs no choice when the whole tied group fits', () => {
    const cut = promotionCut(ranked([5, 2, 2, 1]), 3)
    expect(cut.tied).toEqual([])
    expect(cut.sure).toHaveLength(3)
  })

  it('never takes more than there is, nor less than nothing', () => {
    expect(promotionCut(ranked([1, 1]), 10).sure).toHaveLength(2)
    expect(promotionCut(ranked([1, 1]), 0).sure).toHaveLength(0)
  })

  it('for any ranking, sure plus the open places is what was asked, and no tie is split', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(6), { maxLength: 12 }), fc.nat(14), (dots, count) => {
        const ranking = ranked(dots)
        const cut = promotionCut(ranking, count)
        const wanted = Math.min(count, ranking.length)
        expect(cut.sure.length + cut.openPlaces).toBe(wanted)
        const sureRanks = new Set(cut.sure.map((item) => item.rank))
        // Every rank in `sure` is there whole.
        for (const item of ranking) {
          if (sureRanks.has(item.rank)) expect(cut.sure).toContainEqual(item)
        }
      }),
    )
  })
})
