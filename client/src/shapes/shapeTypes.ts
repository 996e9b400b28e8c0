/**
 * Our card shapes, registered with tldraw's types as seen from the client. `shared` augments the
 * same interface, but the client's type checker reads tldraw's ESM declarations while `shared`'s
 * sources resolve to the CommonJS ones there: both need the cards, or their records differ.
 */
import type {
  ACTION_ISSUE_CARD,
  ActionIssueCardProps,
  INTERSECTION_CARD,
  IntersectionCardProps,
  ORGANIZATION_CARD,
  OrganizationCardProps,
} from '@common-ground/shared/plan'
import type { TLShape } from 'tldraw'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [ORGANIZATION_CARD]: OrganizationCardProps
    [INTERSECTION_CARD]: IntersectionCardProps
    [ACTION_ISSUE_CARD]: ActionIssueCardProps
  }
}

export type OrganizationCardShape = TLShape<typeof ORGANIZATION_CARD>
export type IntersectionCardShape = TLShape<typeof INTERSECTION_CARD>
export type ActionIssueCardShape = TLShape<typeof ACTION_ISSUE_CARD>
