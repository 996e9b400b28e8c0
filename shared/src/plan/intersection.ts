/**
 * Stage 2, "Where our efforts intersect": one card per area where partners' work meets. An
 * arrow drawn between an organization card and an intersection card links them; the links form
 * the intersection map.
 */
import { createShapePropsMigrationSequence, type TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import { cardSizeProps } from './organization.ts'

export const INTERSECTION_CARD = 'cg-intersection'

/** How many intersections the retreat suggests finding at least. */
export const SUGGESTED_INTERSECTIONS = 3

export interface Intersection {
  /** The card's shape id. */
  id: string
  title: string
  /** What the ideal collaboration here would involve. */
  ideal: string
  /** What it would lead to. */
  result: string
  /** How we will know it is happening. */
  evidence: string
  /** Ids of the organization cards linked to it, in the plan's organization order. */
  organizations: string[]
}

export const intersectionValidator: T.Validator<Intersection> = T.object({
  id: T.string,
  title: boundedText(MAX_LINE_LENGTH),
  ideal: boundedText(),
  result: boundedText(),
  evidence: boundedText(),
  organizations: T.arrayOf(T.string),
})

/** One edge of the intersection map. */
export interface IntersectionLink {
  organization: string
  intersection: string
}

export const intersectionLinkValidator: T.Validator<IntersectionLink> = T.object({
  organization: T.string,
  intersection: T.string,
})

export interface IntersectionCardProps {
  w: number
  h: number
  title: string
  ideal: string
  result: string
  evidence: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [INTERSECTION_CARD]: IntersectionCardProps
  }
}

export type IntersectionCardShape = TLShape<typeof INTERSECTION_CARD>

export const intersectionCardProps = {
  ...cardSizeProps,
  title: boundedText(MAX_LINE_LENGTH),
  ideal: boundedText(),
  result: boundedText(),
  evidence: boundedText(),
}

/** Props migrations of the intersection card; version 0 is the first (see organization.ts). */
export const intersectionCardMigrations = createShapePropsMigrationSequence({ sequence: [] })

export function defaultIntersectionCardProps(): IntersectionCardProps {
  return { w: 300, h: 340, title: '', ideal: '', result: '', evidence: '' }
}

export function intersectionFromCard(
  shape: { id: string; props: IntersectionCardProps },
  organizations: string[],
): Intersection {
  const { w: _w, h: _h, ...fields } = shape.props
  return { id: shape.id, ...fields, organizations }
}
