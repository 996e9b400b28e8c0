import type { TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openBoardDoc } from '../board/boardDoc.ts'
import { BoardRules, type BoardWrite } from '../board/writeRules.ts'
import {
  ACTION_CARD_GAP,
  ACTION_CARD_PADDING,
  ACTION_CARD_SIZE,
  ACTION_ISSUE_CARD,
  type ActionCardsInput,
  actionCardId,
  actionIssueCardProps,
  defaultActionIssueCardProps,
  placeActionCards,
} from './actionCard.ts'
import { setActionIssue } from './actionPlanEdits.ts'
import { createBoardSchema } from './boardSchema.ts'
import { derivePlan } from './derivePlan.ts'
import { note } from './fixtures.ts'
import { seedBoard } from './seedBoard.ts'
import { stageFrameId } from './template.ts'

const schema = createBoardSchema()
const propsValidator = T.object(actionIssueCardProps)

function actionCard(issue: string, props: object = {}, parentId = stageFrameId('actionPlan')) {
  return schema.types.shape.create({
    id: actionCardId(issue),
    type: ACTION_ISSUE_CARD,
    parentId,
    index: 'a2',
    x: ACTION_CARD_PADDING,
    y: 140,
    props: { ...defaultActionIssueCardProps(), issue, ...props },
  } as never) as TLShape
}

function retreatBoard(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Eastside', createdAt: 1, template: 'retreat', locale: 'en' })
  return doc
}

describe('the action card shape', () => {
  it('names only its issue and its size', () => {
    const props = { w: 400, h: 480, issue: 'shape:housing' }
    expect(propsValidator.validate(props)).toEqual(props)
    expect(propsValidator.isValid({ ...props, issue: 'housing' })).toBe(false)
    expect(propsValidator.isValid({ ...props, issue: 'shape:../../etc' })).toBe(false)
    expect(propsValidator.isValid({ ...props, w: 20 })).toBe(false)
    expect(propsValidator.isValid({ ...props, h: Number.NaN })).toBe(false)
    // The content is the plan's, never the card's.
    expect(propsValidator.isValid({ ...props, title: 'Housing' })).toBe(false)
  })

  it('has one fixed id per issue, itself a valid shape id', () => {
    expect(actionCardId('shape:housing')).toBe('shape:action-housing')
    expect(actionCardId('shape:housing')).toBe(actionCardId('shape:housing'))
    expect(actionCardId('shape:care')).not.toBe(actionCardId('shape:housing'))
    const long = `shape:${'a'.repeat(64)}`
    expect(() => actionCard(long)).not.toThrow()
  })

  it('is part of the board schema the server reviews with', () => {
    expect(Object.keys(schema.serialize().sequences)).toContain(
      `com.tldraw.shape.${ACTION_ISSUE_CARD}`,
    )
    const doc = retreatBoard()
    const rules = new BoardRules()
    const participant = { role: 'participant', participantId: 'p-ana', personId: null } as const
    const card = actionCard('shape:housing')
    const write = (after: unknown): BoardWrite => ({
      root: 'records',
      key: card.id,
      before: undefined,
      after,
    })
    expect(rules.reviewUpdate([write(card)], participant, doc)).toBe(null)
    const hostile = { ...card, props: { ...card.props, issue: '<script>' } }
    expect(rules.reviewUpdate([write(hostile)], participant, doc)).toMatchObject({
      code: 'invalid',
    })
    const observer = { role: 'observer', participantId: 'p-ola', personId: null } as const
    expect(rules.reviewUpdate([write(card)], observer, doc)).toMatchObject({ code: 'read-only' })
  })

  it('is no issue, organization or intersection of the derived plan', () => {
    const doc = retreatBoard()
    const board = openBoardDoc(doc)
    const housing = note('housing', 'Safe housing', { parentId: stageFrameId('issues'), x: 60 })
    board.records.set(housing.id, housing)
    setActionIssue(doc, housing.id, { title: 'Safe housing', rank: 1, sessionId: null })
    const before = derivePlan(doc)
    // One card where it belongs, one dropped into the Issues stage: neither changes the plan.
    const inPlan = actionCard(housing.id)
    const stray = {
      ...actionCard('shape:other'),
      id: 'shape:stray',
      parentId: stageFrameId('issues'),
    }
    board.records.set(inPlan.id, inPlan)
    board.records.set(stray.id, stray as TLShape)
    const after = derivePlan(doc)
    expect(after).toEqual(before)
    expect(after.issues.map((issue) => issue.id)).toEqual([housing.id])
    expect(after.problems).toEqual([])
  })
})

describe('placeActionCards', () => {
  const { w, h } = ACTION_CARD_SIZE
  const frame = { w: 2200, h: 1200, top: 140 }
  const slot = (column: number, row: number) => ({
    x: ACTION_CARD_PADDING + column * (w + ACTION_CARD_GAP),
    y: frame.top + row * (h + ACTION_CARD_GAP),
  })
  const input = (over: Partial<ActionCardsInput>): ActionCardsInput => ({
    issues: [],
    cards: new Map(),
    frame,
    taken: [],
    ...over,
  })

  it('lays new cards out in rank order, left to right then down, below the prompt', () => {
    const issues = ['shape:a', 'shape:b', 'shape:c', 'shape:d', 'shape:e', 'shape:f']
    const { create, remove } = placeActionCards(input({ issues }))
    expect(remove).toEqual([])
    expect(create.map((card) => card.issue)).toEqual(issues)
    expect(create.map((card) => card.id)).toEqual(issues.map(actionCardId))
    // 2200 wide: five cards of 400 with 24 between fit inside 40 of padding on each side.
    expect(create.map(({ x, y }) => ({ x, y }))).toEqual([
      slot(0, 0),
      slot(1, 0),
      slot(2, 0),
      slot(3, 0),
      slot(4, 0),
      slot(0, 1),
    ])
    const right = (create[4]?.x ?? 0) + w
    expect(right).toBeLessThanOrEqual(frame.w - ACTION_CARD_PADDING)
  })

  it('steps around what is already in the frame and keeps existing cards where they are', () => {
    const moved = { ...slot(0, 0), w, h }
    const noteInSecondSlot = { x: slot(1, 0).x + 50, y: slot(1, 0).y + 50, w: 200, h: 200 }
    const { create, remove } = placeActionCards(
      input({
        issues: ['shape:a', 'shape:b', 'shape:c'],
        cards: new Map([[actionCardId('shape:b'), 'shape:b']]),
        taken: [moved, noteInSecondSlot],
      }),
    )
    expect(remove).toEqual([])
    expect(create).toEqual([
      { id: actionCardId('shape:a'), issue: 'shape:a', ...slot(2, 0) },
      { id: actionCardId('shape:c'), issue: 'shape:c', ...slot(3, 0) },
    ])
  })

  it('removes cards of issues that left the plan, and pasted copies of a card', () => {
    const cards = new Map([
      [actionCardId('shape:a'), 'shape:a'],
      [actionCardId('shape:gone'), 'shape:gone'],
      ['shape:pastedCopy', 'shape:a'],
      [actionCardId('shape:b'), 'shape:a'],
    ])
    const { create, remove } = placeActionCards(input({ issues: ['shape:a'], cards }))
    expect(create).toEqual([])
    expect(remove.sort()).toEqual(
      [actionCardId('shape:gone'), 'shape:pastedCopy', actionCardId('shape:b')].sort(),
    )
  })

  it('creates nothing without an Action plan frame, but still removes', () => {
    const { create, remove } = placeActionCards(
      input({
        issues: ['shape:a'],
        cards: new Map([[actionCardId('shape:gone'), 'shape:gone']]),
        frame: null,
      }),
    )
    expect(create).toEqual([])
    expect(remove).toEqual([actionCardId('shape:gone')])
  })

  it('uses one column in a narrow frame, and gives the same answer for the same board', () => {
    const narrow = input({ issues: ['shape:a', 'shape:b'], frame: { w: 300, h: 900, top: 100 } })
    const first = placeActionCards(narrow)
    expect(first.create.map(({ x, y }) => ({ x, y }))).toEqual([
      { x: ACTION_CARD_PADDING, y: 100 },
      { x: ACTION_CARD_PADDING, y: 100 + h + ACTION_CARD_GAP },
    ])
    expect(placeActionCards(narrow)).toEqual(first)
  })

  it('lists an issue once even if the plan named it twice', () => {
    const { create } = placeActionCards(input({ issues: ['shape:a', 'shape:a'] }))
    expect(create).toHaveLength(1)
  })
})
