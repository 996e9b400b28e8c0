/**
 * Where a shape added without a pointer (a button, the keyboard) lands: centred in the view if
 * that spot is free, otherwise in the nearest free slot of a grid around it (nearest ring first,
 * then reading order), so nothing new hides what is already there. It goes inside a stage's
 * frame, below its prompt, while there is room (which stage: `stageForNewShape`).
 */
import {
  ACTION_ISSUE_CARD,
  homeStageOf,
  INTERSECTION_CARD,
  ORGANIZATION_CARD,
  STAGE_IDS,
  type StageId,
  stageFrameId,
} from '@common-ground/shared/plan'
import {
  type BoxModel,
  createShapeId,
  type Editor,
  type TLShape,
  type TLShapeId,
  type VecLike,
} from 'tldraw'
import { stageWorkArea } from '../room/stages.ts'

const MAX_RING = 6

/** What a newly added note or card steps aside from (not frames: things go inside those). */
export const PLACED_TYPES: readonly string[] = [
  'note',
  ORGANIZATION_CARD,
  INTERSECTION_CARD,
  ACTION_ISSUE_CARD,
]

export function nextFreeSlot(
  center: VecLike,
  size: { w: number; h: number },
  taken: readonly BoxModel[],
  gap: number,
  /** Keep the shape wholly inside this area (a stage frame below its prompt) while it fits. */
  within?: BoxModel,
): VecLike {
  if (within && within.w >= size.w && within.h >= size.h) {
    // Start from the slot of the area nearest the centre, on a grid aligned with the area's
    // top-left corner so that as many shapes fit as the area holds.
    const snap = (value: number, from: number, step: number, last: number) =>
      from + clamp(Math.round((value - from) / step), 0, Math.floor(last / step)) * step
    const start = {
      x: snap(center.x - size.w / 2, within.x, size.w + gap, within.w - size.w) + size.w / 2,
      y: snap(center.y - size.h / 2, within.y, size.h + gap, within.h - size.h) + size.h / 2,
    }
    const inside = (x: number, y: number) =>
      x >= within.x &&
      y >= within.y &&
      x + size.w <= within.x + within.w &&
      y + size.h <= within.y + within.h
    const slot = searchRings(start, size, taken, gap, inside)
    if (slot) return slot
  }
  return (
    searchRings(center, size, taken, gap, () => true) ?? {
      x: center.x - size.w / 2,
      y: center.y - size.h / 2,
    }
  )
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

function searchRings(
  center: VecLike,
  size: { w: number; h: number },
  taken: readonly BoxModel[],
  gap: number,
  allowed: (x: number, y: number) => boolean,
): VecLike | null {
  const origin = { x: center.x - size.w / 2, y: center.y - size.h / 2 }
  const free = (x: number, y: number) =>
    taken.every(
      (box) =>
        x + size.w + gap <= box.x ||
        box.x + box.w + gap <= x ||
        y + size.h + gap <= box.y ||
        box.y + box.h + gap <= y,
    )
  for (let ring = 0; ring <= MAX_RING; ring++) {
    for (let row = -ring; row <= ring; row++) {
      for (let column = -ring; column <= ring; column++) {
        if (Math.max(Math.abs(row), Math.abs(column)) !== ring) continue
        const x = origin.x + column * (size.w + gap)
        const y = origin.y + row * (size.h + gap)
        if (allowed(x, y) && free(x, y)) return { x, y }
      }
    }
  }
  return null
}

/** Someone is looking at a stage when its frame takes this share of the view's width or height. */
const LOOKING_AT_SHARE = 0.5

/**
 * The stage a shape added without a pointer goes into, if any:
 * 1. the agenda's current stage, when its frame is in view: the group works there;
 * 2. the stage this person is looking at: the one at the view's centre, when its frame takes at
 *    least half of the view's width or height (zoomed to it, not to the whole board);
 * 3. the shape's own stage (`homeStageOf`: notes with the issues), when its frame is in view, so
 *    a note added with the whole board in view is an issue candidate, not a stray in whichever
 *    frame is in the middle;
 * 4. else the stage at the view's centre.
 */
export function stageForNewShape(
  type: string,
  groupStage: StageId | null,
  view: BoxModel,
  frames: ReadonlyMap<StageId, BoxModel>,
): StageId | null {
  const inView = (stage: StageId | null): stage is StageId => {
    const frame = stage && frames.get(stage)
    return !!frame && overlaps(frame, view)
  }
  if (inView(groupStage)) return groupStage
  const center = { x: view.x + view.w / 2, y: view.y + view.h / 2 }
  const [atCenter = null, centerFrame] =
    [...frames].find(([, frame]) => contains(frame, center)) ?? []
  if (centerFrame) {
    const visibleW =
      Math.min(view.x + view.w, centerFrame.x + centerFrame.w) - Math.max(view.x, centerFrame.x)
    const visibleH =
      Math.min(view.y + view.h, centerFrame.y + centerFrame.h) - Math.max(view.y, centerFrame.y)
    if (visibleW >= LOOKING_AT_SHARE * view.w || visibleH >= LOOKING_AT_SHARE * view.h)
      return atCenter
  }
  const home = homeStageOf(type)
  if (inView(home)) return home
  return atCenter
}

function overlaps(a: BoxModel, b: BoxModel): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

function contains(box: BoxModel, point: VecLike): boolean {
  return (
    point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h
  )
}

/** The stage frames on the current page, by stage. */
function stageFrames(editor: Editor): Map<StageId, BoxModel> {
  const frames = new Map<StageId, BoxModel>()
  for (const stage of STAGE_IDS) {
    const bounds = editor.getShapePageBounds(stageFrameId(stage) as TLShapeId)
    if (bounds) frames.set(stage, bounds)
  }
  return frames
}

/**
 * Creates a shape of `type` in the view, clear of the shapes of the `avoid` types, selects it
 * and opens it for editing (text for a note, fields for a card).
 */
export function addShapeInView(
  editor: Editor,
  shape: {
    type: TLShape['type']
    size: { w: number; h: number }
    gap: number
    avoid: readonly string[]
  },
  /** The agenda's current stage: where the group works, when its frame is in view. */
  groupStage: StageId | null = null,
): TLShapeId {
  const taken: BoxModel[] = []
  for (const existing of editor.getCurrentPageShapes()) {
    if (!shape.avoid.includes(existing.type)) continue
    const bounds = editor.getShapePageBounds(existing)
    if (bounds) taken.push(bounds)
  }
  const view = editor.getViewportPageBounds()
  const center = view.center
  const stage = stageForNewShape(shape.type, groupStage, view, stageFrames(editor))
  const area = stage ? stageWorkArea(editor, stage) : null
  const { x, y } = nextFreeSlot(center, shape.size, taken, shape.gap, area ?? undefined)
  const id = createShapeId()
  editor.markHistoryStoppingPoint(`add ${shape.type}`)
  editor.createShape({ id, type: shape.type, x, y })
  editor.select(id)
  // On a small screen the free slot may be out of view: bring it in (no animation if the person
  // prefers reduced motion; tldraw's animation speed follows that).
  editor.zoomToSelectionIfOffscreen(16, { animation: { duration: 200 } })
  editor.setEditingShape(id)
  return id
}
