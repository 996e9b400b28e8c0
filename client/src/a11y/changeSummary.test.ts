import { ACTION_ISSUE_CARD, ORGANIZATION_CARD } from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import { kindOf, noteChange, type PendingChanges, summaryMessages } from './changeSummary.ts'

const shape = (type: string) => ({ typeName: 'shape', type })

describe('change summary', () => {
  it('sorts records into what people call them, ignoring records that are not content', () => {
    expect(kindOf(shape('note'))).toBe('notes')
    expect(kindOf(shape(ORGANIZATION_CARD))).toBe('cards')
    expect(kindOf(shape('arrow'))).toBe('links')
    expect(kindOf({ typeName: 'binding', type: 'arrow' })).toBe('links')
    expect(kindOf(shape('geo'))).toBe('shapes')
    expect(kindOf(shape(ACTION_ISSUE_CARD))).toBeNull()
    expect(kindOf({ typeName: 'user' })).toBeNull()
    expect(kindOf({ typeName: 'page' })).toBeNull()
    expect(kindOf(null)).toBeNull()
  })

  it('counts each record once, by its net change, in a stable order, plan answers last', () => {
    const pending: PendingChanges = new Map()
    for (let i = 0; i < 30; i++) noteChange(pending, 'shape:typed', shape('note'), 'changed')
    noteChange(pending, 'shape:a', shape('note'), 'added')
    noteChange(pending, 'shape:a', shape('note'), 'changed') // still "added"
    noteChange(pending, 'shape:b', shape('note'), 'added')
    noteChange(pending, 'shape:gone', shape('note'), 'added')
    noteChange(pending, 'shape:gone', shape('note'), 'removed') // no news
    noteChange(pending, 'shape:org', shape(ORGANIZATION_CARD), 'removed')
    noteChange(pending, 'user:x', { typeName: 'user' }, 'added')
    expect(summaryMessages(pending, 3)).toEqual([
      { key: 'announce.notes.added', count: 2 },
      { key: 'announce.notes.changed', count: 1 },
      { key: 'announce.cards.removed', count: 1 },
      { key: 'announce.planAnswers', count: 3 },
    ])
    expect(summaryMessages(new Map(), 0)).toEqual([])
  })
})
