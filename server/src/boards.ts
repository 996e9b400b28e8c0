/**
 * Creating a board: one row plus the seeded document (metadata, tldraw schema, document record,
 * first page) stored as its first update, in one transaction. Used by `POST /api/boards` and by
 * a first connection to an unknown board id.
 */
import {
  type BoardTemplate,
  type Locale,
  newBoardId,
  type PartnershipPlan,
  seedBoard,
  seedBoardFromPlan,
} from '@common-ground/shared'
import * as Y from 'yjs'
import type { BoardRecord, BoardStore } from './store/BoardStore.ts'

export const DEFAULT_TITLE = 'Untitled board'

/**
 * The seeded document of a new board, as one Yjs update. `locale` is the language of the
 * template's stage titles and prompts (English by default).
 */
export function seedUpdate(
  board: BoardRecord,
  locale?: Locale,
  plan?: PartnershipPlan,
): Uint8Array {
  // A throwaway doc, so the YKeyValue that seeding opens never sits on a room's doc.
  const doc = new Y.Doc()
  const init = { createdAt: board.createdAt, ...(locale ? { locale } : {}) }
  // An imported plan (already checked by `checkImportedPlan`) seeds the whole board.
  if (plan) seedBoardFromPlan(doc, plan, init)
  else seedBoard(doc, { title: board.title, template: board.template, ...init })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/**
 * What a loaded document still lacks to be a board (none when it was seeded before), as an
 * update to apply to it. Repairs a board whose seed never reached the store.
 */
export function missingSeed(doc: Y.Doc, board: BoardRecord): Uint8Array | null {
  if (doc.getMap('meta').has('schema')) return null
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  seedBoard(copy, { title: board.title, createdAt: board.createdAt, template: board.template })
  const update = Y.encodeStateAsUpdate(copy, before)
  copy.destroy()
  return update
}

/** A new board under a fresh random id. */
export async function createBoard(
  store: BoardStore,
  init: { title: string; template: BoardTemplate; locale?: Locale; plan?: PartnershipPlan },
): Promise<BoardRecord> {
  const { locale, plan, ...fields } = init
  for (;;) {
    const board: BoardRecord = { id: newBoardId(), ...fields, createdAt: Date.now() }
    // `false` only when the random id is taken (2^-96 odds): draw another, never share a board.
    if (await store.createBoard(board, seedUpdate(board, locale, plan))) return board
  }
}

/** The board's row, creating it as DESIGN.md says: on the first valid connection. */
export async function getOrCreateBoard(store: BoardStore, id: string): Promise<BoardRecord> {
  const existing = await store.getBoard(id)
  if (existing) return existing
  const board: BoardRecord = { id, title: DEFAULT_TITLE, template: 'blank', createdAt: Date.now() }
  if (await store.createBoard(board, seedUpdate(board))) return board
  // Someone else created it meanwhile (e.g. another server process): theirs wins.
  const winner = await store.getBoard(id)
  if (!winner) throw new Error(`board ${id} could not be created`)
  return winner
}
