/**
 * Stage 1, "Our organizations": one card per partner on the canvas. The card is a custom tldraw
 * shape; its type name, props validators and props migrations live here so the client's ShapeUtil
 * and the server's schema are built from the same definitions.
 */
import { createShapePropsMigrationSequence, type TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import { type Answer, answerValidator } from './answer.ts'

export const ORGANIZATION_CARD = 'cg-organization'

export const ORGANIZATION_KINDS = [
  'community',
  'public',
  'faith',
  'business',
  'philanthropy',
  'other',
] as const
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number]

/** Most activity rows one card keeps. */
export const MAX_ACTIVITIES = 12

export interface Activity {
  /** What the organization does. */
  activity: string
  /** How it measures how well that goes. */
  measure: string
}

export const activityValidator: T.Validator<Activity> = T.object({
  activity: boundedText(MAX_LINE_LENGTH),
  measure: boundedText(MAX_LINE_LENGTH),
})

/** One partner, as the plan reports it. */
export interface Organization {
  /** The card's shape id. */
  id: string
  name: string
  /** `null` until someone picks one. */
  kind: OrganizationKind | null
  activities: Activity[]
  /** Major funding sources, as the group wrote them. */
  fundingSources: string
  performanceAffectsFunding: Answer | null
  /** What it brings to the partnership. */
  offers: string
  /** What it hopes to get from the others. */
  needs: string
}

export const organizationKindValidator = T.nullable(T.literalEnum(...ORGANIZATION_KINDS))

export const organizationValidator: T.Validator<Organization> = T.object({
  id: T.string,
  name: boundedText(MAX_LINE_LENGTH),
  kind: organizationKindValidator,
  activities: T.arrayOf(activityValidator),
  fundingSources: boundedText(),
  performanceAffectsFunding: answerValidator,
  offers: boundedText(),
  needs: boundedText(),
})

/** The card's props: the organization's fields but the id (the shape's own), and its size. */
export interface OrganizationCardProps extends Omit<Organization, 'id'> {
  w: number
  h: number
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [ORGANIZATION_CARD]: OrganizationCardProps
  }
}

export type OrganizationCardShape = TLShape<typeof ORGANIZATION_CARD>

export const MIN_CARD_WIDTH = 200
export const MIN_CARD_HEIGHT = 160

const cardWidth = T.number.check((value) => {
  if (!(value >= MIN_CARD_WIDTH && value <= 4000))
    throw new T.ValidationError(`Expected a width from ${MIN_CARD_WIDTH} to 4000`)
})
const cardHeight = T.number.check((value) => {
  if (!(value >= MIN_CARD_HEIGHT && value <= 4000))
    throw new T.ValidationError(`Expected a height from ${MIN_CARD_HEIGHT} to 4000`)
})
export const cardSizeProps = { w: cardWidth, h: cardHeight }

export const organizationCardProps = {
  ...cardSizeProps,
  name: boundedText(MAX_LINE_LENGTH),
  kind: organizationKindValidator,
  activities: T.arrayOf(activityValidator).check((rows) => {
    if (rows.length > MAX_ACTIVITIES)
      throw new T.ValidationError(`Expected at most ${MAX_ACTIVITIES} activities`)
  }),
  fundingSources: boundedText(),
  performanceAffectsFunding: answerValidator,
  offers: boundedText(),
  needs: boundedText(),
}

/**
 * Props migrations of the organization card. Version 0 is the first version; when a prop changes,
 * add `createShapePropsMigrationIds(ORGANIZATION_CARD, { … })` and a step here (up and down), and
 * a test that migrates a card of every earlier version.
 */
export const organizationCardMigrations = createShapePropsMigrationSequence({ sequence: [] })

export function defaultOrganizationCardProps(): OrganizationCardProps {
  return {
    w: 320,
    h: 420,
    name: '',
    kind: null,
    activities: [],
    fundingSources: '',
    performanceAffectsFunding: null,
    offers: '',
    needs: '',
  }
}

/** The plan's view of a card. */
export function organizationFromCard(shape: {
  id: string
  props: OrganizationCardProps
}): Organization {
  const { w: _w, h: _h, ...fields } = shape.props
  return { id: shape.id, ...fields, activities: fields.activities.map((row) => ({ ...row })) }
}
