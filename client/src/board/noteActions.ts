/**
 * Adding a sticky note without a pointer: keyboard, switch and screen-reader users get the same
 * brainstorm as everyone else. The note lands at the centre of the view (stepping aside from
 * notes already there) and opens for typing.
 */
import { createShapeId, type Editor, type TLShapeId, type VecLike } from 'tldraw'

export const NOTE_SIZE = 200
const STEP = 32
const MAX_STEPS = 24

/** Top-left corner for a new note centred on `center`, clear of notes already placed there. */
export function nextNotePosition(center: VecLike, notes: readonly VecLike[]): VecLike {
  let x = center.x - NOTE_SIZE / 2
  let y = center.y - NOTE_SIZE / 2
  for (let i = 0; i < MAX_STEPS; i++) {
    const taken = notes.some((note) => Math.abs(note.x - x) < 8 && Math.abs(note.y - y) < 8)
    if (!taken) break
    x += STEP
    y += STEP
  }
  return { x, y }
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
