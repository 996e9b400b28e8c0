/**
 * The board's records as key → value over one Y.Array of `{ key, val }` entries: y-utility's
 * YKeyValue layout and rules (the entry furthest right wins; the others of its key are deleted;
 * `change` events like Y.Map's), kept with an index instead of rescans. YKeyValue copies the whole
 * array on every transaction (`toArray`) and finds an entry to delete by walking the array from
 * the start: on a 2,000-note board every keystroke and every relayed update paid for 2,000
 * entries. Here each key's current entry is known by the id of its slot, deleted directly, and a
 * transaction looks only at the entries it added (and, to order them, at the array's tail).
 * Documents written with YKeyValue read the same, and both tidy duplicates to the same result.
 */
import { Observable } from 'lib0/observable'
import * as Y from 'yjs'

export interface KeyValueEntry<T> {
  key: string
  val: T
}

export type KeyValueChange<T> =
  | { action: 'add'; newValue: T }
  | { action: 'update'; oldValue: T; newValue: T }
  | { action: 'delete'; oldValue: T }

/** An entry of the array and the id of its slot (stable when Yjs splits the item holding it). */
interface Slot<T> {
  entry: KeyValueEntry<T>
  id: Y.ID
}

export class KeyValue<T> extends Observable<'change'> {
  readonly yarray: Y.Array<KeyValueEntry<T>>
  readonly doc: Y.Doc
  /** Each key's current entry: the very objects the array holds. */
  readonly map = new Map<string, KeyValueEntry<T>>()
  /** Where each key's current entry sits. */
  #ids = new Map<string, Y.ID>()

  constructor(yarray: Y.Array<KeyValueEntry<T>>) {
    super()
    this.yarray = yarray
    this.doc = yarray.doc as Y.Doc
    const duplicates: Y.ID[] = []
    for (const { entry, id } of slotsOf(yarray)) {
      const earlier = this.#ids.get(entry.key)
      if (earlier) duplicates.push(earlier) // left of this one: it loses
      this.map.set(entry.key, entry)
      this.#ids.set(entry.key, id)
    }
    if (duplicates.length > 0) this.#deleteSlots(duplicates)
    yarray.observe(this.#observe)
  }

  get(key: string): T | undefined {
    return this.map.get(key)?.val
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  set(key: string, val: T): void {
    this.doc.transact((transaction) => {
      const id = this.#ids.get(key)
      if (id) deleteSlot(transaction, this.yarray, id)
      this.yarray.push([{ key, val }])
    })
  }

  delete(key: string): void {
    const id = this.#ids.get(key)
    if (id) this.#deleteSlots([id])
  }

  #deleteSlots(ids: readonly Y.ID[]): void {
    this.doc.transact((transaction) => {
      for (const id of ids) deleteSlot(transaction, this.yarray, id)
    })
  }

  #observe = (event: Y.YArrayEvent<KeyValueEntry<T>>, transaction: Y.Transaction): void => {
    const changes = new Map<string, KeyValueChange<T>>()
    for (const item of event.changes.deleted) {
      for (const entry of item.content.getContent() as unknown[]) {
        if (!isEntry<T>(entry) || this.map.get(entry.key) !== entry) continue
        this.map.delete(entry.key)
        this.#ids.delete(entry.key)
        changes.set(entry.key, { action: 'delete', oldValue: entry.val })
      }
    }
    // The entries this transaction added, by key: each key's rightmost live entry wins.
    const added = new Map<string, Slot<T>[]>()
    let anyAdded: Y.Item | null = null
    for (const item of event.changes.added) {
      if (item.deleted || !item.countable) continue
      anyAdded = item
      const entries = item.content.getContent() as unknown[]
      for (const [offset, entry] of entries.entries()) {
        if (!isEntry<T>(entry)) continue
        const slot = { entry, id: Y.createID(item.id.client, item.id.clock + offset) }
        const list = added.get(entry.key)
        if (list) list.push(slot)
        else added.set(entry.key, [slot])
      }
    }
    if (anyAdded) {
      const winners = rightmostOf<T>(anyAdded, new Set(added.keys()))
      const losers: Y.ID[] = []
      for (const [key, slots] of added) {
        const winner = winners.get(key)
        const current = this.map.get(key)
        const currentId = this.#ids.get(key)
        for (const slot of slots) if (slot.entry !== winner?.entry) losers.push(slot.id)
        if (!winner || winner.entry === current) continue // an older entry stays the value
        if (current && currentId) losers.push(currentId)
        this.map.set(key, winner.entry)
        this.#ids.set(key, winner.id)
        const deleted = changes.get(key)
        if (current) {
          changes.set(key, { action: 'update', oldValue: current.val, newValue: winner.entry.val })
        } else if (deleted?.action === 'delete') {
          changes.set(key, {
            action: 'update',
            oldValue: deleted.oldValue,
            newValue: winner.entry.val,
          })
        } else {
          changes.set(key, { action: 'add', newValue: winner.entry.val })
        }
      }
      if (losers.length > 0) this.#deleteSlots(losers)
    }
    if (changes.size > 0) this.emit('change', [changes, transaction])
  }
}

/** Every live entry of the array, left to right, with its slot's id. */
function* slotsOf<T>(yarray: Y.Array<KeyValueEntry<T>>): Generator<Slot<T>> {
  for (let item = yarray._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const entries = item.content.getContent() as unknown[]
    for (const [offset, entry] of entries.entries()) {
      if (isEntry<T>(entry)) {
        yield { entry, id: Y.createID(item.id.client, item.id.clock + offset) }
      }
    }
  }
}

/**
 * For each of `keys`, its live entry furthest right: read from the array's end leftwards, only
 * until every key was seen (entries are appended, so that is usually just the tail).
 */
function rightmostOf<T>(inArray: Y.Item, keys: ReadonlySet<string>): Map<string, Slot<T>> {
  const found = new Map<string, Slot<T>>()
  let item: Y.Item | null = inArray
  while (item.right !== null) item = item.right
  for (; item !== null && found.size < keys.size; item = item.left) {
    if (item.deleted || !item.countable) continue
    const entries = item.content.getContent() as unknown[]
    for (let offset = entries.length - 1; offset >= 0; offset--) {
      const entry = entries[offset]
      if (!isEntry<T>(entry) || !keys.has(entry.key) || found.has(entry.key)) continue
      found.set(entry.key, { entry, id: Y.createID(item.id.client, item.id.clock + offset) })
    }
  }
  return found
}

/** Deletes the one entry at `id` (splitting the item that holds it), if it is still there. */
function deleteSlot<T>(
  transaction: Y.Transaction,
  yarray: Y.Array<KeyValueEntry<T>>,
  id: Y.ID,
): void {
  if (id.clock >= Y.getState(transaction.doc.store, id.client)) return
  const item = Y.getItemCleanStart(transaction, id) as Y.Item | Y.GC
  if (!(item instanceof Y.Item) || item.deleted || item.parent !== yarray) return
  if (item.length > 1) Y.getItemCleanStart(transaction, Y.createID(id.client, id.clock + 1))
  item.delete(transaction)
  // Y.Array caches index → item positions for local edits; a direct delete shifts them.
  if (yarray._searchMarker) yarray._searchMarker.length = 0
}

function isEntry<T>(value: unknown): value is KeyValueEntry<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { key?: unknown }).key === 'string'
  )
}
