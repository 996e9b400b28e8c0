/**
 * Reads an incoming update in full — its structs and its delete set — and says what it would
 * change, before the room's document is touched. The room applies the update only when the
 * hooks accept every write; nothing a refused update carries is ever integrated, stored or sent.
 *
 * Why read by hand instead of applying and reverting: applying runs Yjs's integration, which
 * commits structs before it fails on a truncated delete set and cannot take a deletion back
 * without writing the deleted values again (a 7-byte delete over 200 records became 90 KB of
 * re-written records). Reading first costs one pass over the update plus the items its delete
 * set reaches.
 *
 * What a client may send: only plain JSON in entries of the board's own top-level types; new
 * structs (items, GC and skip ranges) only under client ids its device owns (see ClientOwners);
 * nothing that builds on changes the server never received.
 */
import {
  BOARD_MAPS,
  type BoardDoc,
  type BoardWrite,
  notPlainJson,
  RECORDS,
} from '@common-ground/shared/board'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

// biome-ignore lint/suspicious/noExplicitAny: Yjs types are parameterised by their event type
type YType = Y.AbstractType<any>
type Struct = Y.Item | Y.GC | Y.Skip
/** Yjs's DeleteSet, which its typings do not export. */
type DeleteSet = { clients: Map<number, Array<{ clock: number; len: number }>> }

/** Yjs clocks past this are not something a real client reaches; they only serve attacks. */
const MAX_CLOCK = 2 ** 32

/** The board's top-level types: entries anywhere else are refused. */
const ROOTS: ReadonlySet<string> = new Set([RECORDS, ...BOARD_MAPS])

/** The update cannot be read, or cannot be applied as it stands: nothing of it is. */
export class UnreadableUpdate extends Error {
  override name = 'UnreadableUpdate'
  readonly kind: 'malformed' | 'unknown-dependency' | 'foreign-client'
  constructor(kind: UnreadableUpdate['kind'], message: string) {
    super(message)
    this.kind = kind
  }
}

/** What an update would do, read before it is applied. */
export interface IncomingUpdate {
  /** Entries it would change, in the order of the update; one per entry and kind of change. */
  writes: BoardWrite[]
  /** Client ids it adds structs under (to be claimed for the sender's device). */
  clients: number[]
  /** Whether applying it would change the document at all. */
  changes: boolean
  /**
   * The update with every new struct kept as an empty range and no deletions: what the room
   * applies instead when the update is refused, so the sender's later changes (numbered after
   * the refused ones) still fit. Costs a few bytes per struct of the refused update.
   */
  skeleton(): Uint8Array
}

interface Place {
  /** The top-level type, or null when the struct ends up as a GC range (its parent is gone). */
  root: string | null
  parentSub: string | null
  /** Why an entry here can never be accepted (a nested type, an unknown top-level type…). */
  unsupported?: string
}

/** A new struct of the update: the part of it past what the document already has. */
interface Fresh {
  struct: Struct
  /** How many of its clock units the document already has (Yjs skips them). */
  offset: number
  place?: Place
}

/**
 * Reads `update` against `doc` (unchanged by this). `records` is the board's YKeyValue over the
 * same doc. `mayUse(client)` says whether the sender may add structs under a client id (claiming
 * it if nobody has it). Throws UnreadableUpdate.
 */
export function readIncomingUpdate(
  doc: Y.Doc,
  records: BoardDoc['records'],
  update: Uint8Array,
  mayUse: (client: number) => boolean,
): IncomingUpdate {
  let decoded: { structs: Struct[]; ds: DeleteSet }
  try {
    decoded = Y.decodeUpdate(update) as { structs: Struct[]; ds: DeleteSet }
  } catch (error) {
    throw new UnreadableUpdate('malformed', `the update does not decode: ${message(error)}`)
  }
  const store = doc.store
  const rootNames = new Map<YType, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)

  // 1. The structs past the document's state, client by client, with no gaps.
  const fresh = new Map<number, Fresh[]>()
  const expected = new Map<number, number>()
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    const end = clock + struct.length
    if (!Number.isSafeInteger(end) || end > MAX_CLOCK || struct.length < 0) {
      throw new UnreadableUpdate('malformed', `clock ${clock}+${struct.length} is out of range`)
    }
    let next = expected.get(client)
    if (next === undefined) {
      next = Y.getState(store, client)
      expected.set(client, next)
    }
    if (end <= next) continue // already here: Yjs skips it
    if (struct instanceof Y.Skip) {
      // A gap the sender declares: nothing after it can be applied now.
      if (!mayUse(client)) throw foreign(client)
      continue
    }
    if (clock > next) {
      throw new UnreadableUpdate(
        'unknown-dependency',
        `client ${client} continues at ${clock}, the board has it up to ${next}`,
      )
    }
    if (!mayUse(client)) throw foreign(client)
    const list = fresh.get(client) ?? []
    if (list.length === 0) fresh.set(client, list)
    list.push({ struct, offset: next - clock })
    expected.set(client, end)
  }

  const freshAt = (client: number, clock: number): Fresh | undefined => {
    const list = fresh.get(client)
    if (!list) return undefined
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const entry = list[mid] as Fresh
      const start = entry.struct.id.clock + entry.offset
      if (clock < start) hi = mid - 1
      else if (clock >= entry.struct.id.clock + entry.struct.length) lo = mid + 1
      else return entry
    }
    return undefined
  }

  /** Where an ID the update refers to lives: the document, this update, or nowhere known. */
  const placeOfId = (id: Y.ID, referrer: Y.ID): Place | Fresh => {
    if (id.client === referrer.client && id.clock >= referrer.clock) {
      throw new UnreadableUpdate('malformed', 'a struct refers to itself or to what follows it')
    }
    if (id.clock < Y.getState(store, id.client)) {
      const structs = store.clients.get(id.client) as Struct[]
      const found = structs[Y.findIndexSS(structs, id.clock)]
      if (!(found instanceof Y.Item)) return { root: null, parentSub: null }
      const parent = found.parent as YType | null
      const root = parent ? rootNames.get(parent) : undefined
      if (root === undefined) {
        return { root: '(nested)', parentSub: null, unsupported: 'nested types are not allowed' }
      }
      return { root, parentSub: found.parentSub }
    }
    const inUpdate = freshAt(id.client, id.clock)
    if (!inUpdate) {
      throw new UnreadableUpdate(
        'unknown-dependency',
        `the update builds on ${id.client}:${id.clock}, which the board does not have`,
      )
    }
    return inUpdate
  }

  /** Resolves the place of every fresh item, following origins iteratively (no recursion). */
  const placeOf = (start: Fresh): Place => {
    const chain: Fresh[] = []
    const seen = new Set<Fresh>()
    let current: Fresh = start
    let resolved: Place | undefined
    while (resolved === undefined) {
      if (current.place) {
        resolved = current.place
        break
      }
      const struct = current.struct
      if (!(struct instanceof Y.Item)) {
        resolved = { root: null, parentSub: null }
        chain.push(current)
        break
      }
      chain.push(current)
      seen.add(current)
      const origin =
        current.offset > 0
          ? Y.createID(struct.id.client, struct.id.clock + current.offset - 1)
          : struct.origin
      const ref = origin ?? struct.rightOrigin
      if (ref) {
        const found = placeOfId(ref, struct.id)
        if ('struct' in found) {
          if (seen.has(found))
            throw new UnreadableUpdate('malformed', 'structs refer to each other in a circle')
          current = found
          continue
        }
        resolved = found
        break
      }
      const parent = struct.parent as unknown
      if (typeof parent === 'string') {
        resolved = ROOTS.has(parent)
          ? { root: parent, parentSub: struct.parentSub }
          : {
              root: parent.slice(0, 40),
              parentSub: struct.parentSub,
              unsupported: 'not a part of the board',
            }
      } else if (parent instanceof Y.ID) {
        placeOfId(parent, struct.id) // must exist, or Yjs would hold the update back
        resolved = {
          root: '(nested)',
          parentSub: null,
          unsupported: 'nested types are not allowed',
        }
      } else {
        throw new UnreadableUpdate('malformed', 'an item without a place')
      }
    }
    // An item placed after a GC range is garbage-collected by Yjs as well.
    for (const entry of chain) {
      entry.place =
        entry.struct instanceof Y.Item ? { ...resolved } : { root: null, parentSub: null }
    }
    return resolved
  }

  // 2. What the new items write.
  const writes: BoardWrite[] = []
  const mapWrites = new Map<string, BoardWrite>()
  const recordWrites = new Map<string, BoardWrite>()
  const mapKey = (root: string, key: string) => `${root}\u0000${key}`
  const liveValue = (root: string, key: string): unknown => {
    const item = (doc.share.get(root) as YType | undefined)?._map.get(key)
    return item && !item.deleted ? item.content.getContent().at(-1) : undefined
  }
  const unsupportedWrite = (root: string, key: string, why: string) => {
    writes.push({ root, key, before: undefined, after: undefined, unsupported: why })
  }
  let changes = false
  /** The last map item this update sets per key, and the last record entry per record key. */
  const itemsByKey = new Map<string, Y.Item>()
  const lastEntry = new Map<string, unknown>()

  for (const list of fresh.values()) {
    for (const entry of list) {
      changes = true
      const struct = entry.struct
      if (!(struct instanceof Y.Item)) continue
      const place = placeOf(entry)
      if (place.root === null) {
        // Placed next to a GC range, which in a board is only ever a refused change (top-level
        // types are never deleted): Yjs would drop it silently; say so instead.
        if (!(struct.content instanceof Y.ContentDeleted)) {
          unsupportedWrite('(refused)', '', 'it builds on a change the board refused')
        }
        continue
      }
      const key = place.parentSub ?? ''
      if (place.unsupported) {
        unsupportedWrite(place.root, key, place.unsupported)
        continue
      }
      const content = struct.content
      const deleted = content instanceof Y.ContentDeleted
      if (!deleted && !(content instanceof Y.ContentAny)) {
        unsupportedWrite(place.root, key, `${content.constructor.name} is not allowed`)
        continue
      }
      const values = deleted ? [] : (content as Y.ContentAny).getContent().slice(entry.offset)
      for (const value of values) {
        const why = notPlainJson(value)
        if (why) {
          unsupportedWrite(place.root, key, why)
          break
        }
      }
      if (place.root === RECORDS) {
        if (place.parentSub !== null) {
          unsupportedWrite(RECORDS, key, 'records are a list')
          continue
        }
        for (const value of values) {
          if (!isEntry(value)) {
            unsupportedWrite(RECORDS, '', 'a record entry without a key')
            continue
          }
          const write: BoardWrite = {
            root: RECORDS,
            key: value.key,
            before: records.map.get(value.key)?.val,
            after: value.val,
          }
          lastEntry.set(value.key, value)
          const earlier = recordWrites.get(value.key)
          if (earlier) {
            earlier.after = value.val // the entry pushed last is the record's value
          } else {
            recordWrites.set(value.key, write)
            writes.push(write)
          }
        }
        continue
      }
      if (place.parentSub === null) {
        unsupportedWrite(place.root, '', 'lists are not allowed here')
        continue
      }
      if (!deleted && values.length !== 1) {
        unsupportedWrite(place.root, key, 'a map entry holds one value')
        continue
      }
      // A map item placed after the key's value replaces it; a deleted one (sent as such) removes
      // it, which is a write like any other.
      const id = mapKey(place.root, key)
      itemsByKey.set(id, struct)
      const after = deleted ? undefined : values[0]
      const earlier = mapWrites.get(id)
      if (earlier) earlier.after = after
      else {
        const write = { root: place.root, key, before: liveValue(place.root, key), after }
        mapWrites.set(id, write)
        writes.push(write)
      }
    }
  }

  // 3. What the delete set removes: only entries that are their key's value count. A deleted
  // duplicate of a record (YKeyValue tidying up after concurrent writes) changes nothing.
  for (const [client, ranges] of decoded.ds.clients) {
    const state = Y.getState(store, client)
    const known = expected.get(client) ?? state
    const structs = store.clients.get(client) as Struct[] | undefined
    for (const range of ranges) {
      const start = range.clock
      const end = range.clock + range.len
      if (!Number.isSafeInteger(end) || range.len <= 0) {
        throw new UnreadableUpdate('malformed', 'a delete range out of range')
      }
      if (end > known) {
        throw new UnreadableUpdate(
          'unknown-dependency',
          `the update deletes ${client}:${start}-${end}, which the board does not have`,
        )
      }
      // Items of the document in the range.
      if (structs && start < state) {
        for (let i = Y.findIndexSS(structs, start); i < structs.length; i++) {
          const struct = structs[i] as Struct
          if (struct.id.clock >= end) break
          if (!(struct instanceof Y.Item) || struct.deleted) continue
          const parent = struct.parent as YType | null
          const root = parent ? rootNames.get(parent) : undefined
          if (root === undefined) continue // nested content cannot exist in a board
          changes = true
          if (struct.parentSub !== null) {
            if ((parent as YType)._map.get(struct.parentSub) !== struct) continue
            const id = mapKey(root, struct.parentSub)
            const write = mapWrites.get(id)
            if (write) continue // set again by this update: reviewed as that set
            const removal = {
              root,
              key: struct.parentSub,
              before: struct.content.getContent().at(-1),
              after: undefined,
            }
            mapWrites.set(id, removal)
            writes.push(removal)
            continue
          }
          if (root !== RECORDS) continue
          const values = struct.content.getContent()
          const from = Math.max(0, start - struct.id.clock)
          const to = Math.min(values.length, end - struct.id.clock)
          for (let k = from; k < to; k++) {
            const value = values[k]
            if (!isEntry(value) || records.map.get(value.key) !== value) continue
            if (recordWrites.has(value.key)) continue
            const removal = { root, key: value.key, before: value.val, after: undefined }
            recordWrites.set(value.key, removal)
            writes.push(removal)
          }
        }
      }
      // Items of this update deleted at birth: a map key or a record set and then deleted in the
      // same update ends up deleted, and is reviewed as a deletion.
      const list = fresh.get(client)
      if (end > state && list) {
        for (let i = firstFreshAt(list, Math.max(start, state)); i < list.length; i++) {
          const entry = list[i] as Fresh
          const struct = entry.struct
          if (struct.id.clock >= end) break
          const place = entry.place
          if (!(struct instanceof Y.Item) || !place?.root || place.unsupported) continue
          if (place.parentSub !== null) {
            const id = mapKey(place.root, place.parentSub)
            const write = mapWrites.get(id)
            if (write && itemsByKey.get(id) === struct) write.after = undefined
            continue
          }
          if (place.root !== RECORDS || !(struct.content instanceof Y.ContentAny)) continue
          const values = struct.content.getContent()
          const from = Math.max(entry.offset, start - struct.id.clock)
          const to = Math.min(values.length, end - struct.id.clock)
          for (let k = from; k < to; k++) {
            const value = values[k]
            if (!isEntry(value) || lastEntry.get(value.key) !== value) continue
            const write = recordWrites.get(value.key)
            if (write) write.after = undefined
          }
        }
      }
    }
  }

  return {
    writes,
    clients: [...fresh.keys()],
    changes,
    skeleton: () => encodeSkeleton(fresh),
  }
}

/**
 * The fresh structs as a V1 update without content or deletions: record entries keep their place
 * as deleted items (the sender's next entries are placed relative to them), map items and the
 * rest become GC ranges (a deleted map item would still remove the key's value).
 */
function encodeSkeleton(fresh: ReadonlyMap<number, Fresh[]>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, fresh.size)
  for (const [client, list] of fresh) {
    const first = list[0] as Fresh
    encoding.writeVarUint(encoder.restEncoder, list.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, first.struct.id.clock + first.offset)
    for (const { struct, offset, place } of list) {
      if (struct instanceof Y.Item && place?.root === RECORDS && !place.unsupported) {
        new Y.Item(
          struct.id,
          null,
          struct.origin,
          null,
          struct.rightOrigin,
          struct.parent,
          null,
          new Y.ContentDeleted(struct.length),
        ).write(encoder, offset)
      } else {
        new Y.GC(struct.id, struct.length).write(encoder, offset)
      }
    }
  }
  encoding.writeVarUint(encoder.restEncoder, 0) // no deletions
  return encoder.toUint8Array()
}

/** The index of the first fresh struct that ends after `clock` (they are in clock order). */
function firstFreshAt(list: readonly Fresh[], clock: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    const struct = (list[mid] as Fresh).struct
    if (struct.id.clock + struct.length <= clock) lo = mid + 1
    else hi = mid
  }
  return lo
}

function isEntry(value: unknown): value is { key: string; val: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { key?: unknown }).key === 'string'
  )
}

function foreign(client: number): UnreadableUpdate {
  return new UnreadableUpdate('foreign-client', `client id ${client} belongs to another device`)
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
