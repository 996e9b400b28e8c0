import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { averageFingers, consensusReached, tallyFingers } from './consensus.ts'
import { roundResultValidator } from './round.ts'

describe('tallyFingers', () => {
  it('counts people per number of fingers', () => {
    const result = tallyFingers([5, 4, 4, 3, 0])
    expect(result).toEqual({ kind: 'consensus', voters: 5, fingers: [1, 0, 0, 1, 2, 1] })
    expect(averageFingers(result)).toBe(3.2)
    expect(consensusReached(result)).toBe(false)
  })

  it('counts nothing outside 0–5 or not whole', () => {
    expect(tallyFingers([6, -1, 2.5, Number.NaN, 2])).toEqual({
      kind: 'consensus',
      voters: 1,
      fingers: [0, 0, 1, 0, 0, 0],
    })
  })

  it('says nothing when nobody answered', () => {
    const empty = tallyFingers([])
    expect(averageFingers(empty)).toBeNull()
    expect(consensusReached(empty)).toBeNull()
  })

  it('reads consensus when nobody shows 0 or 1', () => {
    expect(consensusReached(tallyFingers([2, 3, 5]))).toBe(true)
    expect(consensusReached(tallyFingers([1, 5, 5]))).toBe(false)
  })

  it('keeps every answer: counts sum to voters, average within 0–5, valid, order-free', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), (answers) => {
        const result = tallyFingers(answers)
        expect(roundResultValidator.validate(result)).toEqual(result)
        expect(result.voters).toBe(answers.length)
        expect(result.fingers.reduce((a, b) => a + b, 0)).toBe(answers.length)
        for (let v = 0; v <= 5; v++)
          expect(result.fingers[v]).toBe(answers.filter((a) => a === v).length)
        expect(tallyFingers([...answers].reverse())).toEqual(result)
        const average = averageFingers(result)
        if (answers.length > 0) {
          expect(average).toBeGreaterThanOrEqual(0)
          expect(average).toBeLessThanOrEqual(5)
        }
      }),
    )
  })
})
