import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FIRST_PAGE_ID, openBoardDoc } from '../board/boardDoc.ts'
import { seedBoard } from './seedBoard.ts'

const pageName = (locale: 'en' | 'es') => {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Eastside', createdAt: 1, template: 'retreat', locale })
  return (openBoardDoc(doc).records.get(FIRST_PAGE_ID) as { name?: string } | undefined)?.name
}

describe('seeding a board', () => {
  it('names the first page in the board’s language', () => {
    expect(pageName('en')).toBe('Page 1')
    expect(pageName('es')).toBe('Página 1')
  })
})
