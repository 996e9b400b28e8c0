/**
 * Keeps the action cards in step with the action plan: reads the board's plan when something the
 * cards show or depend on changes (the plan map, an organization card, an action card, the Action plan
 * frame), publishes it for the cards, and — in a browser that may edit — creates the cards of new
 * issues and removes those of issues that left (`placeActionCards` in `shared` decides). Two
 * browsers doing it at once write the same records under the same ids, so the board keeps one
 * card per issue.
 */
import {
  ACTION_CARD_GAP,
  ACTION_CARD_PADDING,
  ACTION_CARD_SIZE,
  ACTION_ISSUE_CARD,
  type Box,
  ORGANIZATION_CARD,
  type PartnershipPlan,
  PLAN,
  placeActionCards,
  STAGE_META_KEY,
  stageFrameId,
  stagePromptId,
} from '@common-ground/shared/plan'
import type { Editor, TLFrameShape, TLShape, TLShapeId } from 'tldraw'
import type * as Y from 'yjs'
import type { BoardModel } from '../session/BoardModel.ts'
import { publishActionCardData } from '../shapes/actionCardData.ts'

/** Cards follow within a fifth of a second; a burst of edits costs one derivation. */
export const FOLLOW_THROTTLE_MS = 200

/** Where the cards start in the frame at the least: under a one- or two-line prompt. */
const CARDS_TOP = 140

type RecordChange = { action: 'add' | 'update' | 'delete'; oldValue?: unknown; newValue?: unknown }

/** Whether a record change can change what a card shows or where cards belong. */
function concernsCards(record: unknown): boolean {
  if (typeof record !== 'object' || record === null) return false
  const { typeName, type, meta } = record as { typeName?: unknown; type?: unknown; meta?: unknown }
  if (typeName !== 'shape') return false
  if (type === ACTION_ISSUE_CARD || type === ORGANIZATION_CARD) return true
  return (
    type === 'frame' &&
    (meta as Record<string, unknown> | undefined)?.[STAGE_META_KEY] === 'actionPlan'
  )
}

export interface ActionCardFollower {
  /** Check again now (e.g. when this browser may start editing). */
  refresh(): void
  stop(): void
}

export function followActionPlan(
  editor: Editor,
  board: Pick<BoardModel, 'connection' | 'plan'>,
  mayWrite: () => boolean,
): ActionCardFollower {
  const { connection } = board
  const doc = connection.doc
  let timer: ReturnType<typeof setTimeout> | null = null
  let stopped = false

  const run = () => {
    timer = null
    if (stopped) return
    const plan = board.plan.get()
    publishActionCardData(editor, plan)
    if (mayWrite()) keepCardsInStep(editor, plan)
  }
  const schedule = () => {
    if (timer === null && !stopped) timer = setTimeout(run, FOLLOW_THROTTLE_MS)
  }
  const onPlan = () => schedule()
  const onRecords = (changes: Map<string, RecordChange>) => {
    for (const change of changes.values()) {
      if (concernsCards(change.newValue) || concernsCards(change.oldValue)) {
        schedule()
        return
      }
    }
  }
  const plan = doc.getMap(PLAN) as Y.Map<unknown>
  plan.observe(onPlan)
  connection.board.records.on('change', onRecords)
  run()

  return {
    refresh: () => {
      if (timer !== null) clearTimeout(timer)
      run()
    },
    stop: () => {
      stopped = true
      if (timer !== null) clearTimeout(timer)
      plan.unobserve(onPlan)
      connection.board.records.off('change', onRecords)
    },
  }
}

/** Creates and removes cards so there is one per issue of the plan (see placeActionCards). */
export function keepCardsInStep(editor: Editor, plan: PartnershipPlan): void {
  const cards = new Map<string, string>()
  for (const record of editor.store.allRecords()) {
    if (record.typeName === 'shape' && record.type === ACTION_ISSUE_CARD) {
      cards.set(record.id, record.props.issue)
    }
  }
  const frame = actionPlanFrame(editor)
  const change = placeActionCards({
    issues: plan.actionPlan.map((item) => item.issue),
    cards,
    frame: frame ? { w: frame.props.w, h: frame.props.h, top: cardsTop(editor, frame) } : null,
    taken: frame ? childBoxes(editor, frame) : [],
  })
  if (change.create.length === 0 && change.remove.length === 0) return
  // Not an undoable step of this person: the cards follow the plan, whoever changed it.
  editor.run(
    () => {
      if (change.remove.length > 0) editor.deleteShapes(change.remove as TLShapeId[])
      if (frame && change.create.length > 0) {
        editor.createShapes(
          change.create.map((card) => ({
            id: card.id as TLShapeId,
            type: ACTION_ISSUE_CARD,
            parentId: frame.id,
            x: card.x,
            y: card.y,
            props: { ...ACTION_CARD_SIZE, issue: card.issue },
          })),
        )
      }
    },
    { history: 'ignore', ignoreShapeLock: true },
  )
}

function actionPlanFrame(editor: Editor): TLFrameShape | null {
  const byId = editor.getShape(stageFrameId('actionPlan') as TLShapeId)
  if (byId?.type === 'frame') return byId as TLFrameShape
  for (const record of editor.store.allRecords()) {
    if (
      record.typeName === 'shape' &&
      record.type === 'frame' &&
      record.meta[STAGE_META_KEY] === 'actionPlan'
    ) {
      return record as TLFrameShape
    }
  }
  return null
}

/** Below the stage's prompt (rounded, so small differences in text measurement agree). */
function cardsTop(editor: Editor, frame: TLFrameShape): number {
  const prompt = editor.getShape(stagePromptId('actionPlan') as TLShapeId)
  if (!prompt || prompt.parentId !== frame.id) return CARDS_TOP
  const bottom = prompt.y + editor.getShapeGeometry(prompt).bounds.maxY + ACTION_CARD_GAP
  return Math.max(CARDS_TOP, Math.ceil(bottom / ACTION_CARD_PADDING) * ACTION_CARD_PADDING)
}

/** What sits in the frame, in its coordinates. */
function childBoxes(editor: Editor, frame: TLFrameShape): Box[] {
  const boxes: Box[] = []
  for (const id of editor.getSortedChildIdsForParent(frame.id)) {
    const child = editor.getShape(id) as TLShape | undefined
    if (!child) continue
    const bounds = editor.getShapeGeometry(child).bounds
    boxes.push({ x: child.x + bounds.x, y: child.y + bounds.y, w: bounds.w, h: bounds.h })
  }
  return boxes
}
