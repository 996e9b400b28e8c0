/**
 * Keeps a tldraw store and a board's Y.Doc in step (docs/architecture.md, "The client binding"):
 * - local user edits (document scope) become one Yjs transaction per store change;
 * - remote Yjs changes enter the store through `mergeRemoteChanges`, so they are tagged
 *   'remote' and never reach this user's undo stack.
 * No React and no DOM here: the binding is tested in plain Node.
 */
import type { BoardDoc } from '@common-ground/shared/board'
import type { SerializedSchema, TLRecord, TLStore } from 'tldraw'
import type * as Y from 'yjs'

/** Marks the Yjs transactions that carry this client's own store changes. */
export const LOCAL_ORIGIN = Symbol('common-ground/tldraw-store')

export class BoardSchemaError extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(`This board was saved by a newer or incompatible version of the app (${reason}).`)
    this.name = 'BoardSchemaError'
    this.reason = reason
  }
}

type RecordChange = { action: 'add' | 'update' | 'delete' }

/**
 * Records this browser keeps out of the shared document (my notes in a hidden brainstorm round,
 * room/privateNotes.ts): their changes go to `put`/`remove` instead.
 */
export interface PrivateLayer {
  keeps(id: string): boolean
  put(record: TLRecord): void
  remove(id: string): void
}

/**
 * Loads the board's records into the store, migrating them from the schema they were written
 * with. When this client's schema is newer, the migrated records are written back in one
 * transaction (the server migrates boards when it loads them, so this is rare).
 */
export function loadBoardIntoStore(store: TLStore, board: BoardDoc): void {
  const ours = store.schema.serialize()
  const theirs = (board.meta.get('schema') as SerializedSchema | undefined) ?? ours
  const stored: Record<string, TLRecord> = {}
  for (const entry of board.records.yarray.toArray()) stored[entry.key] = entry.val

  const result = store.schema.migrateStoreSnapshot({ store: stored, schema: theirs })
  if (result.type === 'error') throw new BoardSchemaError(result.reason)
  const migrated = result.value

  const migrations = store.schema.getMigrationsSince(theirs)
  if (migrations.ok && migrations.value.length > 0) {
    board.doc.transact(() => {
      for (const [id, record] of Object.entries(migrated)) {
        if (JSON.stringify(stored[id]) !== JSON.stringify(record)) board.records.set(id, record)
      }
      for (const id of Object.keys(stored)) if (!(id in migrated)) board.records.delete(id)
      // `meta.schema` is the server's to write (it migrates boards when it loads them).
    }, LOCAL_ORIGIN)
  }

  store.mergeRemoteChanges(() => {
    const stale = store
      .allRecords()
      .filter(
        (record) => store.scopedTypes.document.has(record.typeName) && !(record.id in migrated),
      )
      .map((record) => record.id)
    if (stale.length > 0) store.remove(stale)
    store.put(Object.values(migrated))
  })
}

/** Starts two-way sync between store and doc; returns the function that stops it. */
export function bindStoreToBoard(
  store: TLStore,
  board: BoardDoc,
  onRemoteError: (error: unknown) => void = (error) => console.error(error),
  /**
   * Whether local changes go to the board. A read-only viewer's tldraw still writes a record or
   * two of its own (its user record); those stay in this browser instead of being refused.
   */
  mayWrite: () => boolean = () => true,
  privately: PrivateLayer | null = null,
): () => void {
  const stopListening = store.listen(
    ({ changes }) => {
      if (!mayWrite()) return
      const kept = (id: string) => privately?.keeps(id) === true
      board.doc.transact(() => {
        const puts = [
          ...Object.values(changes.added),
          ...Object.values(changes.updated).map(([, record]) => record),
        ]
        for (const record of puts) {
          if (kept(record.id)) privately?.put(record)
          else board.records.set(record.id, record)
        }
        for (const record of Object.values(changes.removed)) {
          if (kept(record.id)) privately?.remove(record.id)
          else board.records.delete(record.id)
        }
      }, LOCAL_ORIGIN)
    },
    { source: 'user', scope: 'document' },
  )

  const onDocChange = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
    if (transaction.origin === LOCAL_ORIGIN) return
    const toPut: TLRecord[] = []
    const toRemove: TLRecord['id'][] = []
    for (const [id, change] of changes) {
      if (change.action === 'delete') {
        toRemove.push(id as TLRecord['id'])
      } else {
        const record = board.records.get(id)
        if (record) toPut.push(record)
      }
    }
    try {
      store.mergeRemoteChanges(() => {
        const present = toRemove.filter((id) => store.has(id))
        if (present.length > 0) store.remove(present)
        if (toPut.length > 0) store.put(toPut)
      })
    } catch (error) {
      // A record that fails tldraw's validation must not take the whole canvas down.
      onRemoteError(error)
    }
  }
  board.records.on('change', onDocChange)

  return () => {
    stopListening()
    board.records.off('change', onDocChange)
  }
}
