/** The board's stage frames as the agenda sees them, and moving the camera to them. */
import {
  type Gather,
  STAGE_IDS,
  STAGE_META_KEY,
  type StageId,
  stageFrameId,
} from '@common-ground/shared'
import type { Editor, TLPageId, TLShapeId } from 'tldraw'

/** The stages whose frame is on the board, in agenda order (reactive inside `useValue`). */
export function stagesOnBoard(editor: Editor): StageId[] {
  return STAGE_IDS.filter(
    (id) => editor.getShape(stageFrameId(id) as TLShapeId)?.meta?.[STAGE_META_KEY] === id,
  )
}

/** The camera moves people see are short; tldraw shortens them further for reduced motion. */
const MOVE = { animation: { duration: 320 } }

/** Shows the whole frame of `stage`, on its page. */
export function goToStage(editor: Editor, stage: StageId): void {
  const id = stageFrameId(stage) as TLShapeId
  const frame = editor.getShape(id)
  if (!frame) return
  const pageId = editor.getAncestorPageId(frame)
  if (pageId && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  const bounds = editor.getShapePageBounds(id)
  if (bounds) editor.zoomToBounds(bounds, { ...MOVE, inset: 32 })
}

/**
 * Where someone opening (or reloading) the board lands: the agenda's current stage when there is
 * one, so a late joiner is where the group is; otherwise the whole template, fitted. A blank
 * board keeps tldraw's own start. No animation: this is the first view, not a move.
 */
export function landOnOpen(editor: Editor, currentStage: string | null): void {
  const stages = stagesOnBoard(editor)
  const stage = stages.find((id) => id === currentStage)
  const frames = stage ? [stage] : stages
  const bounds = frames
    .map((id) => editor.getShapePageBounds(stageFrameId(id) as TLShapeId))
    .filter((box) => box !== undefined)
  const [first, ...rest] = bounds
  if (!first) return
  const pageId = editor.getAncestorPageId(
    editor.getShape(stageFrameId(frames[0] as StageId) as TLShapeId),
  )
  if (pageId && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  const all = rest.reduce((union, box) => union.union(box), first.clone())
  editor.zoomToBounds(all, { inset: 32, immediate: true })
}

/** The view the facilitator wants everyone to see: theirs, now. */
export function currentView(editor: Editor): { bounds: Gather['bounds']; pageId: string } {
  const { x, y, w, h } = editor.getViewportPageBounds()
  return { bounds: { x, y, w, h }, pageId: editor.getCurrentPageId() }
}

/** Moves this person's camera to a gather's view (leaving any follow first). */
export function applyGather(editor: Editor, gather: Gather): void {
  if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
  const pageId = gather.pageId as TLPageId
  if (editor.getPage(pageId) && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  editor.zoomToBounds(gather.bounds, { ...MOVE, inset: 0 })
}
