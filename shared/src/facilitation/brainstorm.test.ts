import { describe, expect, it } from 'vitest'
import { note } from '../plan/fixtures.ts'
import { stageFrameId } from '../plan/template.ts'
import {
  type Brainstorm,
  hideNotes,
  isInRound,
  type PlacedShape,
  readBrainstorm,
  revealNotes,
  WHOLE_BOARD,
} from './brainstorm.ts'

const issuesFrame: PlacedShape = {
  id: stageFrameId('issues'),
  type: 'frame',
  parentId: 'page:page',
  x: 1000,
  y: 0,
  props: { w: 800, h: 600 },
}
const group: PlacedShape = {
  id: 'shape:group',
  type: 'group',
  parentId: issuesFrame.id,
  x: 10,
  y: 10,
}
const board = new Map([issuesFrame, group].map((shape) => [shape.id, shape]))
const shapeOf = (id: string) => board.get(id)
const placed = (parentId: string, x: number, y: number): PlacedShape => ({
  ...note('n', 'idea'),
  parentId,
  x,
  y,
})

describe('private brainstorm', () => {
  it('numbers each round; the reveal keeps the number', () => {
    const round = hideNotes(null, 'issues')
    expect(round).toEqual({ hidden: true, stage: 'issues', serial: 1 })
    const revealed = revealNotes(round)
    expect(revealed).toEqual({ hidden: false, stage: 'issues', serial: 1 })
    expect(hideNotes(revealed, WHOLE_BOARD)).toEqual({ hidden: true, stage: '', serial: 2 })
  })

  it('counts a note in the round when it lies in the stage frame, however it got there', () => {
    const round = hideNotes(null, 'issues')
    // Dropped into the frame, or into a group inside it.
    expect(isInRound(placed(issuesFrame.id, 5, 5), round, shapeOf)).toBe(true)
    expect(isInRound(placed(group.id, 5, 5), round, shapeOf)).toBe(true)
    // On the page with its centre inside the frame (the Add button places notes so).
    expect(isInRound(placed('page:page', 1200, 100), round, shapeOf)).toBe(true)
    expect(isInRound(placed('page:page', 1750, 100), round, shapeOf)).toBe(false)
    expect(isInRound(placed('page:page', 100, 100), round, shapeOf)).toBe(false)
    // Another stage's round does not take it; a whole-board round takes everything.
    expect(isInRound(placed(issuesFrame.id, 5, 5), hideNotes(null, 'vote'), shapeOf)).toBe(false)
    const wholeBoard: Brainstorm = { hidden: true, stage: WHOLE_BOARD, serial: 3 }
    expect(isInRound(placed('page:page', 100, 100), wholeBoard, shapeOf)).toBe(true)
  })

  it('does not loop on a parent cycle', () => {
    const looped = new Map<string, PlacedShape>([
      ['shape:a', { id: 'shape:a', type: 'group', parentId: 'shape:b', x: 0, y: 0 }],
      ['shape:b', { id: 'shape:b', type: 'group', parentId: 'shape:a', x: 0, y: 0 }],
    ])
    const round = hideNotes(null, 'issues')
    expect(isInRound(placed('shape:a', 0, 0), round, (id) => looped.get(id))).toBe(false)
  })

  it('reads only well-formed states', () => {
    expect(readBrainstorm({ hidden: false, stage: 'vote', serial: 2 })).toEqual({
      hidden: false,
      stage: 'vote',
      serial: 2,
    })
    expect(readBrainstorm({ hidden: true })).toBe(null)
    expect(readBrainstorm(undefined)).toBe(null)
  })
})
