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
})
