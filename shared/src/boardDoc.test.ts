import { TLDOCUMENT_ID } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  createBoardSchema,
  FIRST_PAGE_ID,
  normalizeTitle,
  openBoardDoc,
  PLAN_SCHEMA_VERSION,
  readBoardMeta,
  seedBoard,
} from './boardDoc.ts'

const init = {
  title: 'Eastside retreat',
  createdAt: 1_700_000_000_000,
  template: 'retreat' as const,
}

describe('board document layout', () => {
  it('seeds metadata, schema, document and first page', () => {
    const doc = new Y.Doc()
    seedBoard(doc, init)
    const board = openBoardDoc(doc)
    expect(readBoardMeta(doc)).toEqual({ ...init, planSchemaVersion: PLAN_SCHEMA_VERSION })
    expect(board.meta.get('schema')).toEqual(createBoardSchema().serialize())
    expect(board.records.get(TLDOCUMENT_ID)?.typeName).toBe('document')
    expect(board.records.get(FIRST_PAGE_ID)?.typeName).toBe('page')
  })

  it('seeds in one transaction and is idempotent', () => {
    const doc = new Y.Doc()
    let updates = 0
    doc.on('update', () => updates++)
    seedBoard(doc, init)
    expect(updates).toBe(1)
    seedBoard(doc, { ...init, title: 'Another title' })
    expect(updates).toBe(1)
    expect(readBoardMeta(doc).title).toBe(init.title)
  })

  it('two replicas seeded apart converge on one page', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    seedBoard(a, init)
    seedBoard(b, init)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const pages = openBoardDoc(a)
      .records.yarray.toArray()
      .filter((entry) => entry.val.typeName === 'page')
    expect(pages.map((entry) => entry.key)).toEqual([FIRST_PAGE_ID])
    expect(openBoardDoc(b).records.yarray.length).toBe(openBoardDoc(a).records.yarray.length)
  })

  it('opens one board view per doc', () => {
    const doc = new Y.Doc()
    expect(openBoardDoc(doc)).toBe(openBoardDoc(doc))
    expect(openBoardDoc(new Y.Doc())).not.toBe(openBoardDoc(doc))
  })

  it('reads defaults from an empty or odd meta map', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('template', 'nonsense')
    expect(readBoardMeta(doc)).toEqual({
      title: '',
      createdAt: 0,
      template: 'blank',
      planSchemaVersion: PLAN_SCHEMA_VERSION,
    })
  })

  it('normalizes titles and refuses unusable ones', () => {
    expect(normalizeTitle('  Eastside   retreat ')).toBe('Eastside retreat')
    expect(normalizeTitle('')).toBeNull()
    expect(normalizeTitle('   ')).toBeNull()
    expect(normalizeTitle('x'.repeat(201))).toBeNull()
    expect(normalizeTitle(12)).toBeNull()
  })
})
