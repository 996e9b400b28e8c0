/**
 * The layout of one board's Y.Doc (see DESIGN.md, "One board = one Y.Doc"). Both the client's
 * binding and the server's rooms open documents through these helpers, so neither side spells a
 * top-level type name on its own.
 */
import {
  createTLSchema,
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  type TLRecord,
} from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import { YKeyValue } from 'y-utility/y-keyvalue'
import type * as Y from 'yjs'

/** `doc.getArray(RECORDS)` wrapped in YKeyValue: tldraw records keyed by id. */
export const RECORDS = 'records'
/** `doc.getMap(META)`: board metadata and the tldraw schema the records were written with. */
export const META = 'meta'

/** Bumped when the shape of our own plan data (outside tldraw records) changes. */
export const PLAN_SCHEMA_VERSION = 1

export const BOARD_TEMPLATES = ['blank', 'retreat'] as const
export type BoardTemplate = (typeof BOARD_TEMPLATES)[number]

export const MAX_TITLE_LENGTH = 200

export interface BoardMeta {
  title: string
  createdAt: number
  template: BoardTemplate
  planSchemaVersion: number
}

/** The one page every board starts with; a fixed id so two first visitors never make two pages. */
export const FIRST_PAGE_ID = PageRecordType.createId('page')

export interface BoardDoc {
  doc: Y.Doc
  records: YKeyValue<TLRecord>
  meta: Y.Map<unknown>
}

const openDocs = new WeakMap<Y.Doc, BoardDoc>()

/**
 * The board view of a doc. One per doc: each YKeyValue observes the array and tidies it in
 * transactions of its own, so a second instance on the same doc would only add work.
 */
export function openBoardDoc(doc: Y.Doc): BoardDoc {
  let board = openDocs.get(doc)
  if (!board) {
    board = { doc, records: new YKeyValue<TLRecord>(doc.getArray(RECORDS)), meta: doc.getMap(META) }
    openDocs.set(doc, board)
  }
  return board
}

export function readBoardMeta(doc: Y.Doc): BoardMeta {
  const meta = doc.getMap<unknown>(META)
  const title = meta.get('title')
  const createdAt = meta.get('createdAt')
  const template = meta.get('template')
  const version = meta.get('planSchemaVersion')
  return {
    title: typeof title === 'string' ? title : '',
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
    template: BOARD_TEMPLATES.includes(template as BoardTemplate)
      ? (template as BoardTemplate)
      : 'blank',
    planSchemaVersion: typeof version === 'number' ? version : PLAN_SCHEMA_VERSION,
  }
}

/** The tldraw schema every board is written with (our custom shapes join it here). */
export function createBoardSchema() {
  return createTLSchema()
}

/**
 * Writes what an empty board needs: metadata, the tldraw schema, the document record and the
 * first page. Idempotent: a board that already has them is left as it is, so seeding a board
 * that was loaded from the store is harmless.
 */
export function seedBoard(doc: Y.Doc, init: Omit<BoardMeta, 'planSchemaVersion'>): void {
  const board = openBoardDoc(doc)
  doc.transact(() => {
    if (!board.meta.has('schema')) board.meta.set('schema', createBoardSchema().serialize())
    if (!board.meta.has('planSchemaVersion'))
      board.meta.set('planSchemaVersion', PLAN_SCHEMA_VERSION)
    if (!board.meta.has('title')) board.meta.set('title', init.title)
    if (!board.meta.has('createdAt')) board.meta.set('createdAt', init.createdAt)
    if (!board.meta.has('template')) board.meta.set('template', init.template)
    if (!board.records.has(TLDOCUMENT_ID)) {
      board.records.set(
        TLDOCUMENT_ID,
        DocumentRecordType.create({ id: TLDOCUMENT_ID, name: init.title }),
      )
    }
    const hasPage = board.records.yarray.toArray().some((entry) => entry.val.typeName === 'page')
    if (!hasPage) {
      board.records.set(
        FIRST_PAGE_ID,
        PageRecordType.create({ id: FIRST_PAGE_ID, name: 'Page 1', index: 'a1' as IndexKey }),
      )
    }
  })
}

/** Trims and bounds a user-supplied title; `null` when nothing usable is left. */
export function normalizeTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const title = raw.replace(/\s+/g, ' ').trim()
  if (title.length === 0 || title.length > MAX_TITLE_LENGTH) return null
  return title
}
