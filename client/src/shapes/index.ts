/**
 * Our custom tldraw shapes. Register them with every tldraw store of a board
 * (`createTLStore({ shapeUtils: [...defaultShapeUtils, ...cardShapeUtils] })`) so the client
 * writes with the same schema as `createBoardSchema()` in `shared`.
 */
import './cards.css'
import { ActionIssueCardShapeUtil } from './ActionIssueCardShapeUtil.tsx'
import { IntersectionCardShapeUtil } from './IntersectionCardShapeUtil.tsx'
import { OrganizationCardShapeUtil } from './OrganizationCardShapeUtil.tsx'

export { addCardInView, type CardType } from './addCard.ts'
export type {
  ActionIssueCardShape,
  IntersectionCardShape,
  OrganizationCardShape,
} from './shapeTypes.ts'
export { ActionIssueCardShapeUtil, IntersectionCardShapeUtil, OrganizationCardShapeUtil }

export const cardShapeUtils = [
  OrganizationCardShapeUtil,
  IntersectionCardShapeUtil,
  ActionIssueCardShapeUtil,
] as const
