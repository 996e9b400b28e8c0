/** The board's stage frames as the agenda sees them, and moving the camera to them. */
import type { Gather } from '@common-ground/shared/facilitation'
import {
  STAGE_IDS,
  STAGE_META_KEY,
  type StageId,
  stageFrameId,
  stagePromptId,
} from '@common-ground/shared/plan'
import { Box, type BoxModel, type Editor, type TLPageId, type TLShapeId } from 'tldraw'

/** The stages whose frame is on the board, in agenda order (reactive inside `useValue`). */
export function stagesOnBoard(editor: Editor): StageId[] {
  return STAGE_IDS.filter(
    (id) => editor.getShape(stageFrameId(id) as TLShapeId)?.meta?.[STAGE_META_KEY] === id,
  )
}

/** The stage whose frame holds the middle of this person's view, if any. */
export function stageInView(editor: Editor | null): StageId | null {
  if (!editor) return null
  const center = editor.getViewportPageBounds().center
  return (
    STAGE_IDS.find((stage) =>
      editor.getShapePageBounds(stageFrameId(stage) as TLShapeId)?.containsPoint(center),
    ) ?? null
  )
}

/** Room kept clear inside a frame's edges, and under its prompt. */
const FRAME_MARGIN = 24

/**
 * Where new notes and cards of a stage go: inside its frame, below its prompt (so the prompt
 * stays readable and a new note is counted in that stage).
 */
export function stageWorkArea(editor: Editor, stage: StageId): BoxModel | null {
  const frame = editor.getShapePageBounds(stageFrameId(stage) as TLShapeId)
  if (!frame) return null
  const prompt = editor.getShapePageBounds(stagePromptId(stage) as TLShapeId)
  const top = prompt && frame.containsPoint(prompt.center) ? prompt.maxY : frame.y
  const y = top + FRAME_MARGIN
  return {
    x: frame.x + FRAME_MARGIN,
    y,
    w: Math.max(0, frame.w - 2 * FRAME_MARGIN),
    h: Math.max(0, frame.maxY - FRAME_MARGIN - y),
  }
}

/** Screen pixels tldraw's page menu (top) and toolbar (bottom) take over the canvas. */
const MENU_TOP_PX = 48
const TOOLBAR_BOTTOM_PX = 64

/**
 * `bounds` grown by what tldraw's page menu and toolbar cover at the zoom that fits it, so a
 * frame's title is not under the page menu nor its bottom under the toolbar.
 */
function clearOfCanvasMenus(editor: Editor, bounds: Box): Box {
  const screen = editor.getViewportScreenBounds()
  const zoom = Math.min(
    (screen.w - 64) / Math.max(bounds.w, 1),
    (screen.h - 64 - MENU_TOP_PX - TOOLBAR_BOTTOM_PX) / Math.max(bounds.h, 1),
  )
  if (!(zoom > 0)) return bounds
  const top = MENU_TOP_PX / zoom
  const bottom = TOOLBAR_BOTTOM_PX / zoom
  return new Box(bounds.x, bounds.y - top, bounds.w, bounds.h + top + bottom)
}

/** The camera moves people see are short; tldraw shortens them further for reduced motion. */
const MOVE = { animation: { duration: 320 } }

/**
 * Where a camera move started by `goToStage` ends, until it has ended or was stopped (the person
 * scrolled, another move began): "Bring everyone here" pressed right after "Next stage" brings
 * everyone to the stage, not to wherever the move happened to be.
 */
const destinations = new WeakMap<Editor, { view: BoxModel; until: number }>()

/** Shows the whole frame of `stage`, on its page. */
export function goToStage(editor: Editor, stage: StageId): void {
  const id = stageFrameId(stage) as TLShapeId
  const frame = editor.getShape(id)
  if (!frame) return
  const pageId = editor.getAncestorPageId(frame)
  if (pageId && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  const bounds = editor.getShapePageBounds(id)
  if (!bounds) return
  const target = clearOfCanvasMenus(editor, bounds)
  // The move's end: taken at once and read, then undone, in one transaction (nothing draws it).
  let view: BoxModel | null = null
  editor.run(() => {
    const camera = editor.getCamera()
    editor.zoomToBounds(target, { inset: 32, immediate: true })
    const { x, y, w, h } = editor.getViewportPageBounds()
    view = { x, y, w, h }
    editor.setCamera(camera, { immediate: true })
  })
  editor.zoomToBounds(target, { ...MOVE, inset: 32 })
  if (!view) return
  const speed = editor.user.getAnimationSpeed()
  const until = performance.now() + (speed > 0 ? MOVE.animation.duration / speed : 0)
  destinations.set(editor, { view, until })
  editor.once('stop-camera-animation', () => destinations.delete(editor))
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
  editor.zoomToBounds(clearOfCanvasMenus(editor, all), { inset: 32, immediate: true })
}

/**
 * `landOnOpen`, and again each time the canvas changes size while the camera is still where the
 * landing put it: the bar above the canvas is laid out after the first view, and takes a second
 * row when others arrive (Follow, the head count), which left the bottom of a fitted template
 * under the toolbar and off screen. Once the camera moves for any other reason (the person, the
 * agenda, following someone) the view is theirs. Returns what stops watching.
 */
export function landAndStayFitted(editor: Editor, currentStage: string | null): () => void {
  landOnOpen(editor, currentStage)
  let landed = editor.getCamera()
  const onResize = () => {
    const camera = editor.getCamera()
    if (camera.x !== landed.x || camera.y !== landed.y || camera.z !== landed.z) {
      editor.off('resize', onResize)
      return
    }
    // A canvas hidden for a while (a phone's side panel has the screen) has nothing to fit.
    const { w, h } = editor.getViewportScreenBounds()
    if (w < 2 || h < 2) return
    landOnOpen(editor, currentStage)
    landed = editor.getCamera()
  }
  editor.on('resize', onResize)
  return () => editor.off('resize', onResize)
}

/** The view the facilitator wants everyone to see: theirs, now, or where it is moving to. */
export function currentView(editor: Editor): { bounds: Gather['bounds']; pageId: string } {
  const moving = destinations.get(editor)
  const { x, y, w, h } =
    moving && performance.now() < moving.until ? moving.view : editor.getViewportPageBounds()
  return { bounds: { x, y, w, h }, pageId: editor.getCurrentPageId() }
}

/** Moves this person's camera to a gather's view (leaving any follow first). */
export function applyGather(editor: Editor, gather: Gather): void {
  if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
  const pageId = gather.pageId as TLPageId
  if (editor.getPage(pageId) && pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  editor.zoomToBounds(gather.bounds, { ...MOVE, inset: 0 })
}
