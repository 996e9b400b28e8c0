/**
 * `meta` belongs to the server: clients never write it (see writeRules.ts), and when a board
 * loads the server brings it back to what it keeps — the current tldraw schema (migrating the
 * records written under an older one), the plan schema version, and the title, creation time and
 * template of the board's row. This is what repairs a board whose `meta` was damaged before the
 * server owned it (a client once could set `schema.schemaVersion = 99`, and no browser would
 * open the board again).
 */
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import type * as Y from 'yjs'
import { boardSchemaOnce } from '../plan/boardSchema.ts'
import { type BoardRole, canEdit, canFacilitate } from './access.ts'
import {
  type BoardMeta,
  MAX_TITLE_LENGTH,
  META,
  openBoardDoc,
  PLAN_SCHEMA_VERSION,
} from './boardDoc.ts'
import { isBoardId } from './boardId.ts'
import { isPlainJson } from './json.ts'

/**
 * `meta` key the server sets when a facilitator closes the board after the retreat (an HTTP call):
 * the board becomes read-only for everyone else.
 */
export const CLOSED_FOR_EDITS = 'closedForEdits'

/**
 * `meta` keys the server sets when a facilitator starts the next retreat from a board
 * (`POST /api/boards/:id/next-retreat`): the new board names the one it came from, the old one
 * the board that continues it. Only the id, title and creation time: opening the other board
 * still takes one of its own links.
 */
export const PREVIOUS_RETREAT = 'previousRetreat'
export const NEXT_RETREAT = 'nextRetreat'
export const RETREAT_LINKS = [PREVIOUS_RETREAT, NEXT_RETREAT] as const
export type RetreatLinkKey = (typeof RETREAT_LINKS)[number]

/** Another board of the same partnership, as `meta` names it. */
export interface LinkedBoard {
  id: string
  title: string
  createdAt: number
}

export const linkedBoardValidator: T.Validator<LinkedBoard> = T.object({
  id: T.string.check((value) => {
    if (!isBoardId(value)) throw new T.ValidationError('Expected a board id')
  }),
  title: T.string.check((value) => {
    if (value.length < 1 || value.length > MAX_TITLE_LENGTH)
      throw new T.ValidationError(`Expected a title of 1 to ${MAX_TITLE_LENGTH} characters`)
  }),
  createdAt: T.nonZeroInteger,
})

/** The `meta` keys a board has; anything else found there is removed. */
export const META_KEYS: readonly string[] = [
  'schema',
  'planSchemaVersion',
  'title',
  'createdAt',
  'template',
  CLOSED_FOR_EDITS,
  ...RETREAT_LINKS,
]

type StoredSchema = Parameters<TLSchema['migrateStoreSnapshot']>[0]['schema']

export interface MetaRepair {
  /** The keys rewritten or removed. */
  repaired: string[]
  /** Records rewritten by a tldraw schema migration. */
  migratedRecords: number
  /** Set when the stored schema could not be migrated from (it was replaced all the same). */
  migrationError?: string
}

/**
 * Repairs `meta` in one transaction of `doc` (origin `origin`), as the server does on load.
 * `expected` is the board's row. Changes nothing when `meta` is as it should be.
 */
export function repairBoardMeta(
  doc: Y.Doc,
  expected: Omit<BoardMeta, 'planSchemaVersion'>,
  origin: unknown = null,
): MetaRepair {
  const board = openBoardDoc(doc)
  const meta = board.meta
  const result: MetaRepair = { repaired: [], migratedRecords: 0 }
  const schema = boardSchemaOnce()
  const current = schema.serialize()
  doc.transact(() => {
    const stored = meta.get('schema')
    if (!isPlainJson(stored) || JSON.stringify(stored) !== JSON.stringify(current)) {
      if (stored !== undefined && isPlainJson(stored)) {
        const records: Record<string, TLRecord> = {}
        for (const entry of board.records.yarray.toArray()) records[entry.key] = entry.val
        try {
          const migrated = schema.migrateStoreSnapshot({
            store: records,
            schema: stored as StoredSchema,
          })
          if (migrated.type === 'success') {
            const value = migrated.value as Record<string, TLRecord>
            for (const [id, record] of Object.entries(value)) {
              if (JSON.stringify(records[id]) !== JSON.stringify(record)) {
                board.records.set(id, record)
                result.migratedRecords += 1
              }
            }
          } else {
            result.migrationError = String(migrated.reason)
          }
        } catch (error) {
          result.migrationError = error instanceof Error ? error.message : String(error)
        }
      }
      meta.set('schema', current)
      result.repaired.push('schema')
    }
    const version = meta.get('planSchemaVersion')
    if (
      !Number.isSafeInteger(version) ||
      (version as number) < 1 ||
      (version as number) > PLAN_SCHEMA_VERSION
    ) {
      meta.set('planSchemaVersion', PLAN_SCHEMA_VERSION)
      result.repaired.push('planSchemaVersion')
    }
    for (const key of ['title', 'createdAt', 'template'] as const) {
      if (meta.get(key) !== expected[key]) {
        meta.set(key, expected[key])
        result.repaired.push(key)
      }
    }
    const closed = meta.get(CLOSED_FOR_EDITS)
    if (closed !== undefined && typeof closed !== 'boolean') {
      meta.delete(CLOSED_FOR_EDITS)
      result.repaired.push(CLOSED_FOR_EDITS)
    }
    for (const key of RETREAT_LINKS) {
      const link = meta.get(key)
      if (link !== undefined && !linkedBoardValidator.isValid(link)) {
        meta.delete(key)
        result.repaired.push(key)
      }
    }
    for (const key of [...meta.keys()]) {
      if (!META_KEYS.includes(key)) {
        meta.delete(key)
        result.repaired.push(key)
      }
    }
  }, origin)
  return result
}

/** Closes the board to edits after the retreat, or opens it again: the server's command. */
export function setBoardClosed(doc: Y.Doc, closed: boolean, origin: unknown = null): void {
  const meta = openBoardDoc(doc).meta
  doc.transact(() => {
    if (closed) meta.set(CLOSED_FOR_EDITS, true)
    else meta.delete(CLOSED_FOR_EDITS)
  }, origin)
}

/** Whether the board is closed to edits (everyone but facilitators reads it only). */
export function isBoardClosed(doc: Y.Doc): boolean {
  return openBoardDoc(doc).meta.get(CLOSED_FOR_EDITS) === true
}

/**
 * Whether someone with `role` may change the board at all: observers never do, and once a
 * facilitator closes the board only facilitators do. The server's rules say the same (read-only,
 * board-closed); the app asks this to disable what would be refused.
 */
export function mayChangeBoard(role: BoardRole, closed: boolean): boolean {
  return canEdit(role) && (!closed || canFacilitate(role))
}

/**
 * Names the board this one continues (`previousRetreat`) or is continued by (`nextRetreat`): the
 * server's command, like closing. Throws a `T.ValidationError` for a malformed link.
 */
export function setLinkedBoard(
  doc: Y.Doc,
  key: RetreatLinkKey,
  link: LinkedBoard,
  origin: unknown = null,
): void {
  const value = linkedBoardValidator.validate(link)
  doc.transact(() => doc.getMap(META).set(key, { ...value }), origin)
}

/** The boards before and after this one, when there are (a malformed link reads as none). */
export function readLinkedBoards(doc: Y.Doc): {
  previous: LinkedBoard | null
  next: LinkedBoard | null
} {
  const meta = doc.getMap(META)
  const read = (key: RetreatLinkKey) => {
    const value = meta.get(key)
    return linkedBoardValidator.isValid(value) ? value : null
  }
  return { previous: read(PREVIOUS_RETREAT), next: read(NEXT_RETREAT) }
}
