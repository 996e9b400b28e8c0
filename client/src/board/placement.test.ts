import { describe, expect, it } from 'vitest'
import { nextFreeSlot } from './placement.ts'

const note = { w: 200, h: 200 }
const GAP = 20
const SLOT = note.w + GAP
const center = { x: 500, y: 400 }
const origin = { x: 400, y: 300 }
const overlaps = (a: { x: number; y: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + note.w && a.y < b.y + b.h && b.y < a.y + note.h

describe('placing a shape added without a pointer', () => {
  it('centres it in the view when the spot is free', () => {
    expect(nextFreeSlot(center, note, [], GAP)).toEqual(origin)
  })

  it('fills the ring around the centre in reading order, never on top of another', () => {
    const taken: { x: number; y: number; w: number; h: number }[] = []
    for (let i = 0; i < 9; i++) taken.push({ ...nextFreeSlot(center, note, taken, GAP), ...note })
    expect(taken.map((p) => [(p.x - origin.x) / SLOT, (p.y - origin.y) / SLOT])).toEqual([
      [0, 0],
      [-1, -1],
      [0, -1],
      [1, -1],
      [-1, 0],
      [1, 0],
      [-1, 1],
      [0, 1],
      [1, 1],
    ])
  })

  it('steps aside from a larger shape that partly covers the centre', () => {
    const card = { x: 450, y: 250, w: 300, h: 400 }
    const spot = nextFreeSlot(center, note, [card], GAP)
    expect(spot).not.toEqual(origin)
    expect(overlaps(spot, card)).toBe(false)
  })

  it('ignores shapes elsewhere on the page', () => {
    expect(nextFreeSlot(center, note, [{ x: 5000, y: 5000, ...note }], GAP)).toEqual(origin)
  })

  describe('inside a stage frame', () => {
    // A stage frame seen from its top edge: the view's centre is just under the prompt.
    const area = { x: 100, y: 200, w: 1000, h: 700 }
    const inside = (spot: { x: number; y: number }) =>
      spot.x >= area.x &&
      spot.y >= area.y &&
      spot.x + note.w <= area.x + area.w &&
      spot.y + note.h <= area.y + area.h

    it('keeps a note wholly inside the area when the view centre is near its edge', () => {
      const spot = nextFreeSlot({ x: 150, y: 210 }, note, [], GAP, area)
      expect(inside(spot)).toBe(true)
      expect(spot).toEqual({ x: 100, y: 200 })
    })

    it('fills the area without overlapping, and only leaves it when it is full', () => {
      const taken: { x: number; y: number; w: number; h: number }[] = []
      // 4 columns × 3 rows of 200 + 20 fit in 1000 × 700.
      for (let i = 0; i < 12; i++) {
        const spot = nextFreeSlot({ x: 600, y: 550 }, note, taken, GAP, area)
        expect(inside(spot), `note ${i + 1}`).toBe(true)
        for (const other of taken) expect(overlaps(spot, other), `note ${i + 1}`).toBe(false)
        taken.push({ ...spot, ...note })
      }
      const overflow = nextFreeSlot({ x: 600, y: 550 }, note, taken, GAP, area)
      expect(inside(overflow)).toBe(false)
      for (const other of taken) expect(overlaps(overflow, other)).toBe(false)
    })

    it('ignores an area too small for the shape', () => {
      const tiny = { x: 450, y: 350, w: 100, h: 100 }
      expect(nextFreeSlot(center, note, [], GAP, tiny)).toEqual(origin)
    })
  })
})
