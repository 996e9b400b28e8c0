/**
 * What one incoming update did to a board, read inside the transaction that applied it, and how
 * to take it back inside that same transaction.
 *
 * Why revert instead of dropping: Yjs updates are causal. If the server ignored an update, every
 * later update of that client would wait forever for it. Applying it and deleting its effects in
 * the same transaction keeps the history whole, and because Yjs garbage-collects the deleted
 * content before it encodes the transaction, nobody else ever receives the refused values.
 *
 * Boards hold plain JSON only: `records` is a YKeyValue array of `{ key, val }` entries, the
 * other top-level types are maps of JSON values. Anything else (nested types, text, subdocs) is
 * reported as `unsupported` so the rules refuse it, which is also what makes a full revert
 * possible with public Yjs operations.
 */
import type { BoardDoc, BoardWrite } from '@common-ground/shared'
import { RECORDS } from '@common-ground/shared'
import * as Y from 'yjs'

type Entry = { key: string; val: unknown }
// biome-ignore lint/suspicious/noExplicitAny: Yjs types are parameterised by their event type
type YType = Y.AbstractType<any>

export interface UpdateEffects {
  writes: BoardWrite[]
  /** Items the update added that are still alive. */
  inserted: Y.Item[]
  /** Entries that were the live value of their key before the update and that it deleted. */
  removed: Array<{
    parent: YType
    key: string
    entry: unknown
    isRecord: boolean
  }>
}

/**
 * Lists the writes of `transaction` so far. `records` must be the board's YKeyValue: inside a
 * transaction its map still holds the values from before it (its observer runs afterwards).
 */
export function effectsOf(transaction: Y.Transaction, records: BoardDoc['records']): UpdateEffects {
  const doc = transaction.doc
  const rootNames = new Map<YType, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)
  const effects: UpdateEffects = { writes: [], inserted: [], removed: [] }
  const recordsWritten = new Set<string>()

  const place = (item: Y.Item): { root: string; unsupported?: string } => {
    const parent = item.parent as YType | null
    const root = parent ? rootNames.get(parent) : undefined
    if (!parent || root === undefined)
      return { root: '(nested)', unsupported: 'nested types are not allowed' }
    const content = item.content
    if (!(content instanceof Y.ContentAny)) {
      return { root, unsupported: `${content.constructor.name} is not allowed` }
    }
    return { root }
  }

  // What the update added: every struct past the state each client had before.
  for (const [client, structs] of doc.store.clients) {
    const before = transaction.beforeState.get(client) ?? 0
    const last = structs[structs.length - 1]
    if (!last || last.id.clock + last.length <= before) continue
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]
      if (!(struct instanceof Y.Item) || struct.id.clock < before || struct.deleted) continue
      effects.inserted.push(struct)
      const { root, unsupported } = place(struct)
      if (unsupported) {
        effects.writes.push({
          root,
          key: struct.parentSub ?? '',
          before: undefined,
          after: undefined,
          unsupported,
        })
        continue
      }
      const values = (struct.content as Y.ContentAny).getContent()
      if (struct.parentSub !== null && root !== RECORDS) {
        const key = struct.parentSub
        effects.writes.push({ root, key, before: undefined, after: values[values.length - 1] })
      } else if (struct.parentSub === null && root === RECORDS) {
        for (const value of values) {
          if (!isEntry(value)) {
            effects.writes.push({
              root,
              key: '',
              before: undefined,
              after: undefined,
              unsupported: 'a record entry without a key',
            })
            continue
          }
          recordsWritten.add(value.key)
          effects.writes.push({
            root,
            key: value.key,
            before: records.map.get(value.key)?.val,
            after: value.val,
          })
        }
      } else {
        const unsupported = root === RECORDS ? 'records are a list' : 'lists are not allowed here'
        effects.writes.push({ root, key: '', before: undefined, after: undefined, unsupported })
      }
    }
  }

  // What the update removed. Only entries that existed before count; a deleted duplicate of a
  // record (YKeyValue tidying up after concurrent writes) is not a change of the record.
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item)) return
    if (struct.id.clock >= (transaction.beforeState.get(struct.id.client) ?? 0)) return
    const { root, unsupported } = place(struct)
    const parent = struct.parent as YType
    if (unsupported) {
      effects.writes.push({
        root,
        key: struct.parentSub ?? '',
        before: undefined,
        after: undefined,
        unsupported,
      })
      return
    }
    const values = (struct.content as Y.ContentAny).getContent()
    if (struct.parentSub !== null) {
      const key = struct.parentSub
      const entry = values[values.length - 1]
      effects.removed.push({ parent, key, entry, isRecord: false })
      const written = effects.writes.find((w) => w.root === root && w.key === key)
      if (written) written.before = entry
      else effects.writes.push({ root, key, before: entry, after: undefined })
      return
    }
    for (const value of values) {
      if (!isEntry(value) || records.map.get(value.key) !== value) continue
      effects.removed.push({ parent, key: value.key, entry: value, isRecord: true })
      if (!recordsWritten.has(value.key)) {
        effects.writes.push({ root, key: value.key, before: value.val, after: undefined })
      }
    }
  })

  // A map key set twice by one update: only its final value counts.
  for (const write of effects.writes) {
    if (write.root === RECORDS || write.unsupported || write.after === undefined) continue
    const parent = doc.share.get(write.root)
    const live = parent?._map.get(write.key)
    write.after = live && !live.deleted ? (live.content.getContent().at(-1) as unknown) : undefined
  }
  return effects
}

/**
 * Takes the update back, in the transaction that applied it: deletes what it added and puts
 * back, as new entries with the same values, what it removed.
 */
export function revertEffects(transaction: Y.Transaction, effects: UpdateEffects): void {
  for (const item of effects.inserted) if (!item.deleted) item.delete(transaction)
  for (const { parent, key, entry, isRecord } of effects.removed) {
    if (isRecord) {
      // Appended entries win in YKeyValue, so the old value is the record's value again.
      ;(parent as Y.Array<unknown>).push([entry])
    } else if (
      parent instanceof Y.Map &&
      (!parent._map.get(key) || parent._map.get(key)?.deleted)
    ) {
      parent.set(key, entry)
    }
  }
}

function isEntry(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && typeof (value as Entry).key === 'string'
}
