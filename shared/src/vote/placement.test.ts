import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { aggregatePlacements, type Placement, quadrantOf, rankPlacements } from './placement.ts'
import { roundResultValidator } from './round.ts'

const round = { itemIds: ['shape:a', 'shape:b', 'shape:c'] }
const arbPlacement = fc.record({
  impact: fc.integer({ min: 0, max: 10 }),
  effort: fc.integer({ min: 0, max: 10 }),
})
const arbBallot = fc.dictionary(
  fc.constantFrom('shape:a', 'shape:b', 'shape:c', 'shape:x'),
  arbPlacement,
)

describe('aggregatePlacements', () => {
  it('gives the average and the spread (population standard deviation) per axis', () => {
    const result = aggregatePlacements(round, [
      { 'shape:a': { impact: 8, effort: 2 }, 'shape:b': { impact: 3, effort: 3 } },
      { 'shape:a': { impact: 6, effort: 4 } },
      { 'shape:a': { impact: 10, effort: 0 }, 'shape:z': { impact: 1, effort: 1 } },
    ])
    expect(result).toEqual({
      kind: 'placement',
      voters: 3,
      items: {
        'shape:a': {
          count: 3,
          impact: { mean: 8, spread: 1.63 },
          effort: { mean: 2, spread: 1.63 },
        },
        'shape:b': { count: 1, impact: { mean: 3, spread: 0 }, effort: { mean: 3, spread: 0 } },
      },
    })
  })

  it('counts nobody whose placements are all outside the round', () => {
    expect(aggregatePlacements(round, [{ 'shape:x': { impact: 1, effort: 1 } }, {}])).toEqual({
      kind: 'placement',
      voters: 0,
      items: {},
    })
  })

  it('is valid, independent of order, bounded by the scale, and counts every placement', () => {
    fc.assert(
      fc.property(fc.array(arbBallot, { maxLength: 30 }), (ballots) => {
        const result = aggregatePlacements(round, ballots)
        expect(roundResultValidator.validate(result)).toEqual(result)
        expect(aggregatePlacements(round, [...ballots].reverse())).toEqual(result)
        for (const itemId of round.itemIds) {
          const given = ballots.flatMap((b) => (b[itemId] ? [b[itemId] as Placement] : []))
          const item = result.items[itemId]
          if (given.length === 0) {
            expect(item).toBeUndefined()
            continue
          }
          expect(item?.count).toBe(given.length)
          const impacts = given.map((p) => p.impact)
          expect(item?.impact.mean).toBeGreaterThanOrEqual(Math.min(...impacts) - 0.005)
          expect(item?.impact.mean).toBeLessThanOrEqual(Math.max(...impacts) + 0.005)
          expect(item?.impact.spread).toBeLessThanOrEqual(5)
          if (new Set(impacts).size === 1) expect(item?.impact.spread).toBe(0)
        }
        const voters = ballots.filter((b) => round.itemIds.some((id) => b[id])).length
        expect(result.voters).toBe(voters)
      }),
    )
  })
})

describe('rankPlacements', () => {
  const result = aggregatePlacements(round, [
    {
      'shape:a': { impact: 6, effort: 2 },
      'shape:b': { impact: 9, effort: 8 },
      'shape:c': { impact: 6, effort: 6 },
    },
  ])

  it('ranks by impact minus effort', () => {
    expect(
      rankPlacements(round, result, 'impactMinusEffort').map((r) => [r.itemId, r.rank, r.score]),
    ).toEqual([
      ['shape:a', 1, 4],
      ['shape:b', 2, 1],
      ['shape:c', 3, 0],
    ])
  })

  it('ranks by impact, the least effort breaking ties', () => {
    expect(
      rankPlacements(round, result, 'impactThenEffort').map((r) => [r.itemId, r.rank]),
    ).toEqual([
      ['shape:b', 1],
      ['shape:a', 2],
      ['shape:c', 3],
    ])
  })

  it('shows equal scores as ties and leaves unplaced issues out', () => {
    const tied = aggregatePlacements(round, [
      { 'shape:a': { impact: 5, effort: 1 }, 'shape:b': { impact: 7, effort: 3 } },
    ])
    expect(rankPlacements(round, tied, 'impactMinusEffort').map((r) => [r.itemId, r.rank])).toEqual(
      [
        ['shape:a', 1],
        ['shape:b', 1],
      ],
    )
  })

  it('ranks every placed issue, best first, ranks never better than the position allows', () => {
    fc.assert(
      fc.property(
        fc.array(arbBallot, { maxLength: 20 }),
        fc.constantFrom('impactMinusEffort', 'impactThenEffort' as const),
        (ballots, rule) => {
          const aggregate = aggregatePlacements(round, ballots)
          const ranked = rankPlacements(round, aggregate, rule)
          expect(ranked.map((r) => r.itemId).sort()).toEqual(Object.keys(aggregate.items).sort())
          ranked.forEach((row, i) => {
            expect(row.rank).toBeLessThanOrEqual(i + 1)
            if (i > 0) expect(row.score).toBeLessThanOrEqual((ranked[i - 1] as typeof row).score)
          })
        },
      ),
    )
  })
})

describe('quadrantOf', () => {
  it('names the four quadrants of the 2×2', () => {
    expect(quadrantOf({ impact: 8, effort: 2 })).toBe('quickWin')
    expect(quadrantOf({ impact: 8, effort: 8 })).toBe('bigBet')
    expect(quadrantOf({ impact: 2, effort: 2 })).toBe('fillIn')
    expect(quadrantOf({ impact: 2, effort: 8 })).toBe('thankless')
  })
})
