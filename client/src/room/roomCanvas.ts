/**
 * What running the room does on the canvas: notes stamped with their author when created here,
 * others' notes hidden during a private brainstorm, and locked stages' frames and prompts kept
 * still. The server enforces authorship and locks too (see shared recordRules.ts); this side
 * stops the change before it is made, so nobody sees a jump back.
 */
import {
  AUTHOR_META_KEY,
  type Brainstorm,
  isHiddenFrom,
  templateStageOf,
  WHOLE_BOARD,
} from '@common-ground/shared/facilitation'
import { STAGE_META_KEY, type StageId, stageFrameId } from '@common-ground/shared/plan'
import { type Editor, react, type TLShape, type TLShapeId } from 'tldraw'
import type { FacilitationMirror } from '../session/facilitationMirror.ts'

type Visibility = 'visible' | 'hidden' | 'inherit'

/** For <Tldraw getShapeVisibility>: reads signals, so tldraw recomputes when they change. */
export function shapeVisibility(
  state: Pick<FacilitationMirror, 'brainstorm'>,
  participantId: string,
): (shape: TLShape, editor: Editor) => Visibility {
  return (shape, editor) => {
    if (shape.type !== 'note') return 'inherit'
    const brainstorm = state.brainstorm.get()
    if (!brainstorm?.hidden) return 'inherit'
    const inStage = brainstorm.stage === WHOLE_BOARD || isInStage(editor, shape, brainstorm)
    return isHiddenFrom(shape, participantId, brainstorm, inStage) ? 'hidden' : 'inherit'
  }
}

/**
 * A note belongs to a stage when it sits in the stage's frame: as its child (dropped in) or with
 * its centre inside the frame (added by the button, which places notes on the page).
 */
function isInStage(editor: Editor, shape: TLShape, brainstorm: Brainstorm): boolean {
  const frameId = stageFrameId(brainstorm.stage as StageId) as TLShapeId
  let parent = editor.getShape(shape.parentId as TLShapeId)
  while (parent) {
    if (parent.id === frameId || parent.meta[STAGE_META_KEY] === brainstorm.stage) return true
    parent = editor.getShape(parent.parentId as TLShapeId)
  }
  const frame = editor.getShapePageBounds(frameId)
  const note = editor.getShapePageBounds(shape.id)
  return Boolean(frame && note && frame.containsPoint(note.center))
}

export function installRoomGuards(
  editor: Editor,
  state: FacilitationMirror,
  participantId: string,
): () => void {
  const isLockedTemplate = (shape: TLShape) => {
    const stage = templateStageOf(shape.id, shape)
    return stage !== null && state.locked.get().has(stage)
  }
  const cleanups = [
    // Every note made here, including pasted and duplicated ones, is this person's.
    editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) =>
      source === 'user' && shape.type === 'note'
        ? { ...shape, meta: { ...shape.meta, [AUTHOR_META_KEY]: participantId } }
        : shape,
    ),
    // A locked stage's frame and prompt stay as they are (the facilitator unlocks to change them).
    editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
      source === 'user' && isLockedTemplate(prev) ? prev : next,
    ),
    editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
      source === 'user' && isLockedTemplate(shape) ? false : undefined,
    ),
    // Hidden notes and locked template shapes cannot be picked by select-all or a brush.
    react('keep hidden and locked shapes unselected', () => {
      const selected = editor.getSelectedShapeIds()
      const kept = selected.filter((id) => {
        const shape = editor.getShape(id)
        return shape && !editor.isShapeHidden(shape) && !isLockedTemplate(shape)
      })
      if (kept.length !== selected.length) editor.setSelectedShapes(kept)
    }),
  ]
  return () => {
    for (const cleanup of cleanups) cleanup()
  }
}

/** How many notes are hidden from this person now (said beside the canvas). */
export function hiddenNoteCount(editor: Editor): number {
  let count = 0
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type === 'note' && editor.isShapeHidden(shape)) count++
  }
  return count
}
