/**
 * Adding a sticky note without a pointer: keyboard, switch and screen-reader users get the same
 * brainstorm as everyone else.
 */
import type { StageId } from '@common-ground/shared/plan'
import type { Editor, TLShapeId } from 'tldraw'
import { addShapeInView, PLACED_TYPES } from './placement.ts'

export function addNoteInView(editor: Editor, groupStage: StageId | null = null): TLShapeId {
  // Notes sit 20 apart, like a tidy wall of sticky notes.
  return addShapeInView(
    editor,
    {
      type: 'note',
      size: { w: 200, h: 200 },
      gap: 20,
      avoid: PLACED_TYPES,
    },
    groupStage,
  )
}
