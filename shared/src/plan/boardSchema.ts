/**
 * The tldraw schema every board is written with: tldraw's default shapes plus our cards, whose
 * props validators and migrations live with each card (organization.ts, intersection.ts,
 * actionCard.ts).
 */
import { createTLSchema, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { ACTION_ISSUE_CARD, actionIssueCardMigrations, actionIssueCardProps } from './actionCard.ts'
import {
  INTERSECTION_CARD,
  intersectionCardMigrations,
  intersectionCardProps,
} from './intersection.ts'
import {
  ORGANIZATION_CARD,
  organizationCardMigrations,
  organizationCardProps,
} from './organization.ts'

/** Our custom shapes: type name → props validators and props migrations. */
export const BOARD_SHAPE_SCHEMAS = {
  [ORGANIZATION_CARD]: { props: organizationCardProps, migrations: organizationCardMigrations },
  [INTERSECTION_CARD]: { props: intersectionCardProps, migrations: intersectionCardMigrations },
  [ACTION_ISSUE_CARD]: { props: actionIssueCardProps, migrations: actionIssueCardMigrations },
}

/**
 * The tldraw schema every board is written with: tldraw's default shapes plus our cards. The
 * client's store (default ShapeUtils plus ours) serializes to exactly this schema.
 */
export function createBoardSchema(): TLSchema {
  return createTLSchema({ shapes: { ...defaultShapeSchemas, ...BOARD_SHAPE_SCHEMAS } })
}

let schema: TLSchema | null = null
/** The board schema, made once (building it is not free). */
export function boardSchemaOnce(): TLSchema {
  schema ??= createBoardSchema()
  return schema
}
