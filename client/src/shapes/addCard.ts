/**
 * Adding a card without a pointer (a toolbar button, a keyboard shortcut): the card lands at the
 * centre of the view, stepping aside from cards already there, and opens for editing. Inside a
 * stage frame, tldraw parents it to the frame.
 */
import {
  defaultIntersectionCardProps,
  defaultOrganizationCardProps,
  type INTERSECTION_CARD,
  ORGANIZATION_CARD,
  type StageId,
} from '@common-ground/shared/plan'
import type { Editor, TLShapeId } from 'tldraw'
import { addShapeInView, PLACED_TYPES } from '../board/placement.ts'

export type CardType = typeof ORGANIZATION_CARD | typeof INTERSECTION_CARD

const GAP = 24

const sizeOf = (type: CardType) =>
  type === ORGANIZATION_CARD ? defaultOrganizationCardProps() : defaultIntersectionCardProps()

export function addCardInView(
  editor: Editor,
  type: CardType,
  groupStage: StageId | null = null,
): TLShapeId {
  return addShapeInView(
    editor,
    { type, size: sizeOf(type), gap: GAP, avoid: PLACED_TYPES },
    groupStage,
  )
}
