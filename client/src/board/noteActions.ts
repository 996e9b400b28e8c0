/**
 * Adding a sticky note without a pointer: keyboard, switch and screen-reader users get the same
 * brainstorm as everyone else. The note lands at the centre of the view (stepping aside from
 * notes already there) and opens for typing.
 */
import { createShapeId, type Editor, type TLShapeId, type VecLike } from 'tldraw'

export const NOTE_SIZE = 200
/** Room between notes placed side by side, like a tidy wall of sticky notes. */
export const NOTE_GAP = 20
const SLOT = NOTE_SIZE + NOTE_GAP
const MAX_RING = 6

/**
 * Top-left corner for a new note: the centre of the view if free, otherwise the nearest free
 * slot of a grid around it (nearest ring first, then reading order), so no note hides another.
 */
export function nextNotePosition(center: VecLike, notes: readonly VecLike[]): VecLike {
  const origin = { x: center.x - NOTE_SIZE / 2, y: center.y - NOTE_SIZE / 2 }
  const free = (x: number, y: number) =>
    notes.every((note) => Math.abs(note.x - x) >= SLOT - 1 || Math.abs(note.y - y) >= SLOT - 1)
  for (let ring = 0; ring <= MAX_RING; ring++) {
    for (let row = -ring; row <= ring; row++) {
      for (let column = -ring; column <= ring; column++) {
        if (Math.max(Math.abs(row), Math.abs(column)) !== ring) continue
        const x = origin.x + column * SLOT
        const y = origin.y + row * SLOT
        if (free(x, y)) return { x, y }
      }
    }
  }
  return origin
}

export function addNoteInView(editor: Editor): TLShapeId {
  const notes = editor.getCurrentPageShapes().filter((shape) => shape.type === 'note')
  const { x, y } = nextNotePosition(editor.getViewportPageBounds().center, notes)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('add note')
  editor.createShape({ id, type: 'note', x, y })
  editor.select(id)
  editor.setEditingShape(id)
  return id
}
