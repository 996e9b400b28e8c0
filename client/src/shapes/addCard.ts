/**
 * Adding a card without a pointer (a toolbar button, a keyboard shortcut): the card lands at the
 * centre of the view, stepping aside from cards already there, and opens for editing. Inside a
 * stage frame, tldraw parents it to the frame.
 */
import {
  defaultIntersectionCardProps,
  defaultOrganizationCardProps,
  INTERSECTION_CARD,
  ORGANIZATION_CARD,
} from '@common-ground/shared'
import { type BoxModel, createShapeId, type Editor, type TLShapeId, type VecLike } from 'tldraw'

export type CardType = typeof ORGANIZATION_CARD | typeof INTERSECTION_CARD

const GAP = 24
const MAX_RING = 6

const sizeOf = (type: CardType) =>
  type === ORGANIZATION_CARD ? defaultOrganizationCardProps() : defaultIntersectionCardProps()

/**
 * Top-left corner for a card of `size`: centred on `center` if that spot is free, otherwise the
 * nearest free slot of a grid around it (nearest ring first, then reading order).
 */
export function nextCardPosition(
  center: VecLike,
  size: { w: number; h: number },
  taken: readonly BoxModel[],
): VecLike {
  const origin = { x: center.x - size.w / 2, y: center.y - size.h / 2 }
  const free = (x: number, y: number) =>
    taken.every(
      (box) =>
        x + size.w + GAP <= box.x ||
        box.x + box.w + GAP <= x ||
        y + size.h + GAP <= box.y ||
        box.y + box.h + GAP <= y,
    )
  for (let ring = 0; ring <= MAX_RING; ring++) {
    for (let row = -ring; row <= ring; row++) {
      for (let column = -ring; column <= ring; column++) {
        if (Math.max(Math.abs(row), Math.abs(column)) !== ring) continue
        const x = origin.x + column * (size.w + GAP)
        const y = origin.y + row * (size.h + GAP)
        if (free(x, y)) return { x, y }
      }
    }
  }
  return origin
}

export function addCardInView(editor: Editor, type: CardType): TLShapeId {
  const size = sizeOf(type)
  const taken: BoxModel[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== ORGANIZATION_CARD && shape.type !== INTERSECTION_CARD) continue
    const bounds = editor.getShapePageBounds(shape)
    if (bounds) taken.push(bounds)
  }
  const { x, y } = nextCardPosition(editor.getViewportPageBounds().center, size, taken)
  const id = createShapeId()
  editor.markHistoryStoppingPoint(`add ${type}`)
  editor.createShape({ id, type, x, y })
  editor.select(id)
  editor.setEditingShape(id)
  return id
}
