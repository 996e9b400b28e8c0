import { describe, expect, it } from 'vitest'
import { NOTE_SIZE, nextNotePosition } from './noteActions.ts'

describe('placing a note added from the keyboard', () => {
  const center = { x: 500, y: 400 }

  it('centres the note in the view', () => {
    expect(nextNotePosition(center, [])).toEqual({ x: 500 - NOTE_SIZE / 2, y: 400 - NOTE_SIZE / 2 })
  })

  it('steps aside from notes already there instead of stacking them', () => {
    const placed: { x: number; y: number }[] = []
    for (let i = 0; i < 3; i++) placed.push(nextNotePosition(center, placed))
    expect(placed).toEqual([
      { x: 400, y: 300 },
      { x: 432, y: 332 },
      { x: 464, y: 364 },
    ])
  })

  it('ignores notes elsewhere on the page', () => {
    expect(nextNotePosition(center, [{ x: 0, y: 0 }])).toEqual({ x: 400, y: 300 })
  })
})
