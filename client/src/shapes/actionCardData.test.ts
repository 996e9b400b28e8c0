import { openBoardDoc } from '@common-ground/shared/board'
import { organizationCard } from '@common-ground/shared/fixtures'
import { derivePlan, seedBoard, setActionIssue } from '@common-ground/shared/plan'
import type { Editor } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { actionCardData, publishActionCardData } from './actionCardData.ts'

function board() {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Eastside', createdAt: 1, template: 'retreat', locale: 'en' })
  const org = organizationCard('housing', { name: 'Eastside Housing Authority' })
  openBoardDoc(doc).records.set(org.id, org)
  setActionIssue(doc, 'shape:a', { title: 'Safe housing', rank: 1, sessionId: null })
  setActionIssue(doc, 'shape:b', { title: 'Evening childcare', rank: 2, sessionId: null })
  return doc
}

describe('action card data', () => {
  it('is one store per editor, empty until a plan is published', () => {
    const editor = {} as Editor
    expect(actionCardData(editor)).toBe(actionCardData(editor))
    expect(actionCardData({} as Editor)).not.toBe(actionCardData(editor))
    expect(actionCardData(editor).get().items.size).toBe(0)
  })

  it('keeps an unchanged item (and the names) as they were, so only changed cards render', () => {
    const editor = {} as Editor
    const doc = board()
    publishActionCardData(editor, derivePlan(doc))
    const first = actionCardData(editor).get()
    expect(first.items.get('shape:a')?.title).toBe('Safe housing')
    expect(first.organizations.get('shape:housing')).toBe('Eastside Housing Authority')

    setActionIssue(doc, 'shape:b', { title: 'Evening childcare', rank: 3, sessionId: null })
    publishActionCardData(editor, derivePlan(doc))
    const second = actionCardData(editor).get()
    expect(second.items.get('shape:a')).toBe(first.items.get('shape:a'))
    expect(second.items.get('shape:b')).not.toBe(first.items.get('shape:b'))
    expect(second.items.get('shape:b')?.rank).toBe(3)
    expect(second.organizations).toBe(first.organizations)

    setActionIssue(doc, 'shape:a', { title: 'Safe housing', rank: 1, sessionId: null })
    doc.getMap('plan').delete('action/issues/shape:b')
    publishActionCardData(editor, derivePlan(doc))
    expect([...actionCardData(editor).get().items.keys()]).toEqual(['shape:a'])
  })
})
