import { INTERSECTION_CARD, ORGANIZATION_CARD, RETREAT_TEMPLATE } from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import { nextFreeSlot, stageForNewShape } from './placement.ts'

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

describe('the stage a shape added without a pointer goes into', () => {
  // The retreat template's frames, as seeded.
  const frames = new Map(
    RETREAT_TEMPLATE.stages.map(({ id, x, y, w, h }) => [id, { x, y, w, h }] as const),
  )
  // The whole board in a 16:10 view, its centre in the vote frame (2600–4000 × 1200–2400).
  const wholeBoard = { x: -200, y: -650, w: 8200, h: 5100 }
  // The vote stage zoomed to fill the view's height.
  const voteStage = { x: 2300, y: 1150, w: 2000, h: 1300 }

  it('puts a note with the issues when the whole board is in view', () => {
    expect(stageForNewShape('note', null, wholeBoard, frames)).toBe('issues')
  })

  it('puts each card in its own stage when the whole board is in view', () => {
    expect(stageForNewShape(ORGANIZATION_CARD, null, wholeBoard, frames)).toBe('organizations')
    expect(stageForNewShape(INTERSECTION_CARD, null, wholeBoard, frames)).toBe('intersections')
  })

  it('follows the agenda: the current stage while its frame is in view', () => {
    expect(stageForNewShape('note', 'vote', wholeBoard, frames)).toBe('vote')
    // The group's stage off screen: this person is looking elsewhere.
    const readiness = { x: -100, y: -50, w: 1600, h: 1100 }
    expect(stageForNewShape('note', 'roles', readiness, frames)).toBe('readiness')
  })

  it('puts it in the stage this person zoomed to, whatever its type', () => {
    expect(stageForNewShape('note', null, voteStage, frames)).toBe('vote')
    expect(stageForNewShape(ORGANIZATION_CARD, null, voteStage, frames)).toBe('vote')
    // A phone held upright: the frame takes the view's width, not its height.
    const phone = { x: 1550, y: -2400, w: 2700, h: 5800 }
    expect(stageForNewShape('note', null, phone, frames)).toBe('organizations')
  })

  it('falls back to the stage at the centre, or none', () => {
    // A shape with no stage of its own, with the whole board in view.
    expect(stageForNewShape('geo', null, wholeBoard, frames)).toBe('vote')
    // The bottom row from afar, the issues frame just out of view: the stage at the centre.
    const bottomRow = { x: 500, y: 2450, w: 6000, h: 2200 }
    expect(stageForNewShape('note', null, bottomRow, frames)).toBe('evaluation')
    // Below every frame, the issues out of view: none.
    expect(stageForNewShape('note', null, { ...bottomRow, y: 3000 }, frames)).toBeNull()
    // A blank board: no frames at all.
    expect(stageForNewShape('note', null, wholeBoard, new Map())).toBeNull()
  })
})
