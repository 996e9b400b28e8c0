import { describe, expect, it } from 'vitest'
import { nextCardPosition } from './addCard.ts'

const size = { w: 300, h: 400 }

describe('nextCardPosition', () => {
  it('centres the card in the view when the spot is free', () => {
    expect(nextCardPosition({ x: 1000, y: 1000 }, size, [])).toEqual({ x: 850, y: 800 })
  })

  it('steps aside from a card already there, without overlapping any', () => {
    const taken = [{ x: 850, y: 800, w: 300, h: 400 }]
    const spot = nextCardPosition({ x: 1000, y: 1000 }, size, taken)
    expect(spot).not.toEqual({ x: 850, y: 800 })
    const overlaps = taken.some(
      (box) =>
        spot.x < box.x + box.w &&
        box.x < spot.x + size.w &&
        spot.y < box.y + box.h &&
        box.y < spot.y + size.h,
    )
    expect(overlaps).toBe(false)
  })
})
