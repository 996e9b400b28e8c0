/**
 * Stage 5 on the canvas: one card per issue of the action plan, inside the Action plan stage
 * frame. The card is a view: its props name only the issue (and its size); what it shows is read
 * from the derived plan (`PartnershipPlan.actionPlan`), so the card and the plan panel never
 * disagree and two people's edits merge in the plan map, one key per field.
 *
 * Every client that may edit keeps the cards in step with the plan (`placeActionCards`). The
 * card of an issue has a fixed id (`actionCardId`), so two clients that see the same promotion
 * write the same record under the same key and the board keeps one card.
 */
import { createShapePropsMigrationSequence, type TLShape } from '@tldraw/tlschema'
import { shapeIdValidator } from './actionPlan.ts'
import { cardSizeProps } from './organization.ts'

export const ACTION_ISSUE_CARD = 'cg-action-issue'

export interface ActionIssueCardProps {
  w: number
  h: number
  /** The issue note's shape id, as in `action/issues/<issue>`. */
  issue: string
}

declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    [ACTION_ISSUE_CARD]: ActionIssueCardProps
  }
}

export type ActionIssueCardShape = TLShape<typeof ACTION_ISSUE_CARD>

export const actionIssueCardProps = { ...cardSizeProps, issue: shapeIdValidator }

/** Props migrations of the action card; version 0 is the first (see organization.ts). */
export const actionIssueCardMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** Room for a title, a few commitments and five or six steps; the grid fits 5 × 2 in the frame. */
export const ACTION_CARD_SIZE = { w: 400, h: 480 } as const
/** Space between two cards, and between the cards and the frame's edge. */
export const ACTION_CARD_GAP = 24
export const ACTION_CARD_PADDING = 40

export function defaultActionIssueCardProps(): ActionIssueCardProps {
  return { ...ACTION_CARD_SIZE, issue: 'shape:issue' }
}

/**
 * The card of an issue: `shape:action-<the note's id without "shape:">`. Note ids are at most 64
 * characters of `[A-Za-z0-9_-]`, so the card's id is a valid shape id too.
 */
export function actionCardId(issue: string): `shape:${string}` {
  return `shape:action-${issue.startsWith('shape:') ? issue.slice('shape:'.length) : issue}`
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface ActionCardPlacement {
  id: `shape:${string}`
  issue: string
  /** In the frame's coordinates (the card is the frame's child). */
  x: number
  y: number
}

export interface ActionCardsInput {
  /** Issue ids of the action plan, in rank order. */
  issues: readonly string[]
  /** Action cards on the board: shape id → the issue its props name. */
  cards: ReadonlyMap<string, string>
  /**
   * The Action plan frame's size and the top of the area cards may use (below its prompt), or
   * null when the board has no such frame (then no card is created).
   */
  frame: { w: number; h: number; top: number } | null
  /** What already sits in the frame, in its coordinates (existing cards included). */
  taken: readonly Box[]
}

export interface ActionCardsChange {
  /** New cards, in rank order. */
  create: ActionCardPlacement[]
  /** Ids of cards whose issue left the plan, and copies of a card (a pasted one). */
  remove: string[]
}

/** Safety stop for a frame crowded by other things: 1,000 slots is far more than any plan. */
const MAX_SLOTS = 1000

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * What keeps the cards in step with the action plan: a card for each issue that has none, in the
 * first free slot of a grid (left to right, top to bottom, below the prompt) taken in rank order,
 * and away with cards of issues no longer in the plan. Cards someone moved stay where they are.
 * Pure and deterministic: two clients with the same board compute the same cards at the same
 * places. Rows past the frame's bottom continue the grid (a plan rarely has ten issues).
 */
export function placeActionCards(input: ActionCardsInput): ActionCardsChange {
  const wanted = new Set(input.issues)
  const remove: string[] = []
  const present = new Set<string>()
  for (const [id, issue] of input.cards) {
    if (wanted.has(issue) && id === actionCardId(issue)) present.add(issue)
    else remove.push(id)
  }
  const create: ActionCardPlacement[] = []
  const frame = input.frame
  if (!frame) return { create, remove }
  const { w, h } = ACTION_CARD_SIZE
  const columns = Math.max(
    1,
    Math.floor((frame.w - 2 * ACTION_CARD_PADDING + ACTION_CARD_GAP) / (w + ACTION_CARD_GAP)),
  )
  const taken = [...input.taken]
  let slot = 0
  for (const issue of input.issues) {
    if (present.has(issue)) continue
    present.add(issue)
    for (; slot < MAX_SLOTS; slot++) {
      const box = {
        x: ACTION_CARD_PADDING + (slot % columns) * (w + ACTION_CARD_GAP),
        y: frame.top + Math.floor(slot / columns) * (h + ACTION_CARD_GAP),
        w,
        h,
      }
      if (taken.some((other) => overlaps(box, other))) continue
      taken.push(box)
      create.push({ id: actionCardId(issue), issue, x: box.x, y: box.y })
      break
    }
  }
  return { create, remove }
}
