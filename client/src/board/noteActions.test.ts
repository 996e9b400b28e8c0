import { describe, expect, it } from 'vitest'
import { NOTE_GAP, NOTE_SIZE, nextNotePosition } from './noteActions.ts'

const SLOT = NOTE_SIZE + NOTE_GAP

describe('placing a note added from the keyboard', () => {
  const center = { x: 500, y: 400 }
  const origin = { x: 400, y: 300 }

  it('centres the note in the view', () => {
    expect(nextNotePosition(center, [])).toEqual(origin)
  })

  it('puts each further note in a free slot beside the others, never on top of one', () => {
    const placed: { x: number; y: number }[] = []
    for (let i = 0; i < 9; i++) placed.push(nextNotePosition(center, placed))
    const slots = placed.map((p) => [(p.x - origin.x) / SLOT, (p.y - origin.y) / SLOT])
    // The first ring around the centre, in reading order.
    expect(slots).toEqual([
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

  it('treats a note that only partly covers the centre as taken', () => {
    const position = nextNotePosition(center, [{ x: origin.x + 50, y: origin.y + 50 }])
    expect(position).not.toEqual(origin)
  })

  it('ignores notes elsewhere on the page', () => {
    expect(nextNotePosition(center, [{ x: 5000, y: 5000 }])).toEqual(origin)
  })
})
