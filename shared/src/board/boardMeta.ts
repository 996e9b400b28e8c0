/**
 * `meta` belongs to the server: clients never write it (see writeRules.ts), and when a board
 * loads the server brings it back to what it keeps — the current tldraw schema (migrating the
 * records written under an older one), the plan schema version, and the title, creation time and
 * template of the board's row. This is what repairs a board whose `meta` was damaged before the
 * server owned it (a client once could set `schema.schemaVersion = 99`, and no browser would
 * open the board again).
 */
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { boardSchemaOnce } from '../plan/boardSchema.ts'
import { type BoardRole, canEdit, canFacilitate } from './access.ts'
import { type BoardMeta, openBoardDoc, PLAN_SCHEMA_VERSION } from './boardDoc.ts'
import { isPlainJson } from './json.ts'

/**
 * `meta` key the server sets when a facilitator closes the board after the retreat (an HTTP call):
 * the board becomes read-only for everyone else.
 */
export const CLOSED_FOR_EDITS = 'closedForEdits'

/** The `meta` keys a board has; anything else found there is removed. */
export const META_KEYS: readonly string[] = [
  'schema',
  'planSchemaVersion',
  'title',
  'createdAt',
  'template',
  CLOSED_FOR_EDITS,
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
