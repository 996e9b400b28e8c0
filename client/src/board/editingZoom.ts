/**
 * Writing into a note or card on a phone without pinching first: when one starts being edited
 * and its type would be too small to read on screen (a stage seen whole on a phone draws a card's
 * 14 px fields about 2 px tall), the camera zooms in on it until the type is 16 px, its top near
 * the top of the view (above an on-screen keyboard), briefly animated; with reduced motion it
 * jumps (tldraw's animation speed follows that setting). At a desk the view stays where the
 * person put it, except for a card whose fields would be under 10 px (one added with a stage
 * seen whole on a laptop: 14 px fields at 6 px): then it zooms until they are 14 px.
 */
import { INTERSECTION_CARD, ORGANIZATION_CARD } from '@common-ground/shared/plan'
import {
  type BoxModel,
  type Editor,
  getDisplayValues,
  type NoteShapeUtil,
  type TLNoteShape,
  type TLShape,
  type TLShapeId,
} from 'tldraw'
import { CARD_FIELD_FONT_SIZE } from '../shapes/CardFrame.tsx'

/** Type at least this big on screen (CSS px) is readable while typing, without zooming. */
export const READABLE_TYPE_PX = 16

/** What "readable" means: zoom when type is under `below` px on screen, until it is `to` px. */
export interface Readable {
  below: number
  to: number
}

/** On a phone, held at arm's length and typed on with a thumb. */
export const ON_A_PHONE: Readable = { below: READABLE_TYPE_PX, to: READABLE_TYPE_PX }
/** At a desk, nearer the screen, where moving someone's view needs a better reason. */
export const AT_A_DESK: Readable = { below: 10, to: 14 }
/** Screens at most this wide or tall count as small (a phone, in either direction). */
const SMALL_SCREEN_PX = 700
/** Room left between the shape and the view's sides, in screen px. */
const MARGIN_PX = 12
/** Room above it: tldraw's page menu sits over the canvas's top left corner. */
const TOP_MARGIN_PX = 48
const ANIMATION_MS = 240

export interface Camera {
  x: number
  y: number
  z: number
}

/**
 * The camera that shows `bounds` (page units) with type of `typeSize` page units at `readable.to`
 * px on a view of `view` screen px, or null when it is readable already at `zoom`. Centred
 * across when it fits, else its left edge in view; its top near the view's top, below tldraw's
 * page menu.
 */
export function readableCamera(
  bounds: BoxModel,
  typeSize: number,
  zoom: number,
  view: { w: number; h: number },
  readable: Readable = ON_A_PHONE,
): Camera | null {
  if (typeSize <= 0 || zoom * typeSize >= readable.below) return null
  // A hair over, so rounding never leaves it at 15.99 px.
  const z = (readable.to * 1.02) / typeSize
  const width = bounds.w * z
  const left = width <= view.w ? (view.w - width) / 2 : MARGIN_PX
  return { x: left / z - bounds.x, y: TOP_MARGIN_PX / z - bounds.y, z }
}

/** The size of the type typed into `shape`, in page units; null for shapes we leave alone. */
export function typeSizeOf(editor: Editor, shape: TLShape): number | null {
  if (shape.type === ORGANIZATION_CARD || shape.type === INTERSECTION_CARD) {
    return CARD_FIELD_FONT_SIZE
  }
  if (shape.type === 'note') {
    const note = shape as TLNoteShape
    const util = editor.getShapeUtil(note) as NoteShapeUtil
    const { labelFontSize } = getDisplayValues(util, note)
    return labelFontSize * (note.props.fontSizeAdjustment ?? 1) * note.props.scale
  }
  return null
}

function touchOrSmall(editor: Editor): boolean {
  const view = editor.getViewportScreenBounds()
  return (
    editor.getInstanceState().isCoarsePointer ||
    window.matchMedia?.('(pointer: coarse)').matches ||
    Math.min(window.innerWidth, window.innerHeight) <= SMALL_SCREEN_PX ||
    view.w <= SMALL_SCREEN_PX
  )
}

function zoomToEdit(editor: Editor, id: TLShapeId): void {
  const shape = editor.getShape(id)
  const bounds = shape && editor.getShapePageBounds(shape)
  const typeSize = shape && typeSizeOf(editor, shape)
  if (!bounds || !typeSize) return
  const view = editor.getViewportScreenBounds()
  // At a desk, notes are left alone: their type scales with the view, a card's 14 px fields
  // are what became unreadable.
  const card = shape.type === ORGANIZATION_CARD || shape.type === INTERSECTION_CARD
  const readable = touchOrSmall(editor) ? ON_A_PHONE : card ? AT_A_DESK : null
  if (!readable) return
  const camera = readableCamera(bounds, typeSize, editor.getZoomLevel(), view, readable)
  if (camera) editor.setCamera(camera, { animation: { duration: ANIMATION_MS } })
}

/** Zooms in on each note or card as it starts being edited, when needed; returns the undo. */
export function zoomWhenEditing(editor: Editor): () => void {
  return editor.sideEffects.registerAfterChangeHandler('instance_page_state', (before, after) => {
    const id = after.editingShapeId
    if (id && id !== before.editingShapeId && after.pageId === editor.getCurrentPageId()) {
      zoomToEdit(editor, id)
    }
  })
}
