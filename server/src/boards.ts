/**
 * Creating a board: one row, the seeded document (metadata, tldraw schema, document record,
 * first page) as its first update and its three link keys, in one transaction. Only
 * `POST /api/boards` creates boards: a connection to an unknown board id is refused with
 * `BOARD_NOT_FOUND` before any state is created.
 */
import {
  type BoardTemplate,
  CLOSE,
  type LinkedBoard,
  newBoardId,
} from '@common-ground/shared/board'
import { type SeedPlanOptions, seedBoardFromPlan } from '@common-ground/shared/export'
import type { Locale } from '@common-ground/shared/i18n'
import { type PartnershipPlan, seedBoard } from '@common-ground/shared/plan'
import * as Y from 'yjs'
import { newLinkTokens } from './access/LinkStore.ts'
import { LimitError } from './limits.ts'
import type { BoardLinkTokens, BoardRecord, BoardStore, CreateLimits } from './store/BoardStore.ts'
import type { SyncHooks } from './sync/hooks.ts'
import { newDoc } from './yDoc.ts'

export const DEFAULT_TITLE = 'Untitled board'

/** How a sync connection to an unknown board id is closed (permanent: clients stop retrying). */
export const BOARD_NOT_FOUND = { code: CLOSE.boardNotFound, reason: 'board not found' } as const

/** Thrown where a board that should exist does not; the sync endpoint closes with its code. */
export class BoardNotFoundError extends LimitError {
  override name = 'BoardNotFoundError'
  constructor() {
    super(BOARD_NOT_FOUND)
  }
}

/**
 * Runs first at every sync connection: an unknown board id is refused (4404) before the access
 * rules or the rooms see it, so nothing is loaded or created for it.
 */
export function boardExistsHooks(store: Pick<BoardStore, 'getBoard'>): SyncHooks {
  return {
    async onConnect(connection) {
      return (await store.getBoard(connection.boardId)) ? undefined : { ...BOARD_NOT_FOUND }
    },
  }
}

/**
 * The seeded document of a new board, as one Yjs update. `locale` is the language of the
 * template's stage titles and prompts (English by default).
 */
export function seedUpdate(
  board: BoardRecord,
  locale?: Locale,
  plan?: PartnershipPlan,
  extra: Pick<SeedPlanOptions, 'entries' | 'previousRetreat'> = {},
): Uint8Array {
  // A throwaway doc, so the YKeyValue that seeding opens never sits on a room's doc.
  const doc = newDoc()
  const init = { createdAt: board.createdAt, ...(locale ? { locale } : {}) }
  // An imported plan (already checked by `checkImportedPlan`) seeds the whole board; so does the
  // next retreat's, with its evaluation entries and the link to the board it continues.
  if (plan) seedBoardFromPlan(doc, plan, { ...init, ...extra })
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
  const copy = newDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  seedBoard(copy, { title: board.title, createdAt: board.createdAt, template: board.template })
  const update = Y.encodeStateAsUpdate(copy, before)
  copy.destroy()
  return update
}

/**
 * A new board under a fresh random id, with its seeded document and its links (the three and the
 * calendar's), all stored in one transaction (so no crash leaves a board without links). Rejects
 * with `StorageFullError` when the store has no room for it, `BoardLimitError` when it holds
 * `limits.maxBoards` boards already.
 */
export async function createBoard(
  store: BoardStore,
  init: {
    title: string
    template: BoardTemplate
    locale?: Locale
    plan?: PartnershipPlan
    /** With `plan`: more plan entries (checked) and the board this one continues. */
    entries?: ReadonlyMap<string, unknown>
    previousRetreat?: LinkedBoard
  },
  limits?: CreateLimits,
): Promise<{ board: BoardRecord; tokens: Required<BoardLinkTokens> }> {
  const { locale, plan, entries, previousRetreat, ...fields } = init
  const extra = { ...(entries ? { entries } : {}), ...(previousRetreat ? { previousRetreat } : {}) }
  for (;;) {
    const board: BoardRecord = { id: newBoardId(), ...fields, createdAt: Date.now() }
    const tokens = newLinkTokens()
    // `false` only when the random id is taken (2^-96 odds): draw another, never share a board.
    if (await store.createBoard(board, seedUpdate(board, locale, plan, extra), tokens, limits)) {
      return { board, tokens }
    }
  }
}
