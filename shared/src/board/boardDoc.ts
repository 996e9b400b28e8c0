/**
 * The layout of one board's Y.Doc (every type in docs/data-model.md). Both the client's
 * binding and the server's rooms open documents through these helpers, so neither side spells a
 * top-level type name on its own.
 */
import { PageRecordType, type TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { KeyValue } from './keyValue.ts'

/** `doc.getArray(RECORDS)` as key → value (YKeyValue's layout, see keyValue.ts): tldraw records keyed by id. */
export const RECORDS = 'records'
/** `doc.getMap(META)`: board metadata and the tldraw schema the records were written with. */
export const META = 'meta'

/** Bumped when the shape of our own plan data (outside tldraw records) changes. */
export const PLAN_SCHEMA_VERSION = 2

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
  records: KeyValue<TLRecord>
  meta: Y.Map<unknown>
}

const openDocs = new WeakMap<Y.Doc, BoardDoc>()

/**
 * The board view of a doc. One per doc: each KeyValue observes the array and tidies it in
 * transactions of its own, so a second instance on the same doc would only add work.
 */
export function openBoardDoc(doc: Y.Doc): BoardDoc {
  let board = openDocs.get(doc)
  if (!board) {
    board = { doc, records: new KeyValue<TLRecord>(doc.getArray(RECORDS)), meta: doc.getMap(META) }
    openDocs.set(doc, board)
  }
  return board
}

/** The board view of a doc if one was opened, without opening one (readers stay side-effect free). */
export function peekBoardDoc(doc: Y.Doc): BoardDoc | undefined {
  return openDocs.get(doc)
}

/**
 * Every tldraw record of a doc, keyed by id, without touching the doc: a reader on the server must
 * not open a YKeyValue on a room's doc (it tidies duplicates in transactions of its own). When
 * the same key appears twice in the array (concurrent writes), the later entry wins, as in
 * YKeyValue.
 */
export function readRecords(doc: Y.Doc): Map<string, TLRecord> {
  const records = new Map<string, TLRecord>()
  const open = peekBoardDoc(doc)
  if (open) {
    for (const [key, entry] of open.records.map) records.set(key, entry.val)
    return records
  }
  for (const entry of doc.getArray<{ key: string; val: TLRecord }>(RECORDS).toArray()) {
    records.set(entry.key, entry.val)
  }
  return records
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

/** Trims and bounds a user-supplied title; `null` when nothing usable is left. */
export function normalizeTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null
  const title = raw.replace(/\s+/g, ' ').trim()
  if (title.length === 0 || title.length > MAX_TITLE_LENGTH) return null
  return title
}
