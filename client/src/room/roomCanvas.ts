/**
 * What running the room does on the canvas: notes made here during a hidden brainstorm round
 * kept out of the shared document (room/privateNotes.ts), and locked stages' frames and prompts
 * kept still. The server enforces locks too (see shared recordRules.ts); this side stops the
 * change before it is made, so nobody sees a jump back.
 */
import { templateStageOf } from '@common-ground/shared/facilitation'
import { type Editor, react, type TLShape } from 'tldraw'
import type { FacilitationMirror } from '../session/facilitationMirror.ts'
import type { PrivateNotes } from './privateNotes.ts'

export function installRoomGuards(
  editor: Editor,
  state: FacilitationMirror,
  privateNotes: PrivateNotes,
): () => void {
  const isLockedTemplate = (shape: TLShape) => {
    const stage = templateStageOf(shape.id, shape)
    return stage !== null && state.locked.get().has(stage)
  }
  const cleanups = [
    // A note made here during a hidden round, pasted and duplicated ones too, stays private.
    editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
      if (source === 'user' && shape.type === 'note') privateNotes.claim(shape)
      return shape
    }),
    // A locked stage's frame and prompt stay as they are (the facilitator unlocks to change them).
    editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
      source === 'user' && isLockedTemplate(prev) ? prev : next,
    ),
    editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
      source === 'user' && isLockedTemplate(shape) ? false : undefined,
    ),
    // Locked template shapes cannot be picked by select-all or a brush.
    react('keep locked shapes unselected', () => {
      const selected = editor.getSelectedShapeIds()
      const kept = selected.filter((id) => {
        const shape = editor.getShape(id)
        return shape && !isLockedTemplate(shape)
      })
      if (kept.length !== selected.length) editor.setSelectedShapes(kept)
    }),
  ]
  return () => {
    for (const cleanup of cleanups) cleanup()
  }
}
