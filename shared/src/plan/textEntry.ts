/**
 * Watching one plain-string entry of a Y.Map (a plan field) so that two people typing in it at
 * once lose nothing (issue 15, with textMerge.ts).
 *
 * A map key keeps only the last writer's value, and the board holds plain strings only (no
 * Y.Text: docs/security.md). So for each value received, the watch also gives the base of a
 * three-way merge with what this person has there, from the history Yjs keeps of the entry (each
 * map item records the item it was written over, its `origin`). A value this person wrote that
 * lost the key to a concurrent one is reported once as `lost`, so the field merges it back in:
 * whoever wrote the value that was displaced is the one who brings its text back, so nothing is
 * lost and nothing is added twice.
 */
import * as Y from 'yjs'
import { type MergedText, mergeTextKeeping } from './textMerge.ts'

/** A new value of a watched entry. */
export interface TextEntryChange {
  /** What the entry holds now. */
  value: string
  /** The value its writer saw there and replaced: the base to merge against. */
  base: string
  /** Written on this page (by this person), not received. */
  local: boolean
  /**
   * This person's last value that `value` was not written after: it lost the key to a
   * concurrent write, and its changes are to be merged back in. Reported once.
   */
  lost: string | null
}

/**
 * What a field holds after `change` arrives, given `mine`: what this person has there that the
 * board may not (text typed and not yet written or acknowledged, or their value that lost); null
 * when they have nothing of their own there and the field just follows the board. `write` says
 * whether the result still has to be written (it holds something the board's value lacks).
 */
export function mergeIntoField(
  change: TextEntryChange,
  mine: string | null,
  carets: readonly number[] = [],
): (MergedText & { write: boolean }) | null {
  if (change.local || mine === null) return null
  const merged = mergeTextKeeping(change.base, mine, change.value, carets)
  return { ...merged, write: merged.text !== change.value }
}

/** How many past values of one entry are remembered (a field's recent edits). */
const REMEMBERED = 256
/** How far back through the values an entry held its history is followed. */
const MAX_CHAIN = 1000

const idKey = (id: Y.ID) => `${id.client}:${id.clock}`

interface Held {
  id: string
  value: string
}

export class TextEntryWatch {
  readonly #map: Y.Map<unknown>
  readonly #key: string
  /** Values the entry held while watched, by the id of the item that held each. */
  readonly #seen = new Map<string, string>()
  readonly #listeners = new Set<(change: TextEntryChange) => void>()
  #current: Y.Item | null
  #value: string
  /** The last value received from others (or found at the start): what this person's own
   * changes since are changes of. */
  #received: string
  /** This person's writes since they last received a value, oldest first. */
  #own: Held[] = []

  constructor(map: Y.Map<unknown>, key: string) {
    this.#map = map
    this.#key = key
    const item = this.#item()
    this.#current = item ?? null
    this.#value = textOf(item)
    this.#received = this.#value
    if (item) this.#remember(idKey(item.id), this.#value)
    map.observe(this.#onChange)
  }

  /** What the entry holds now ('' when it holds no string). */
  get value(): string {
    return this.#value
  }

  /** Whether this person wrote since they last received a value (a write that may yet lose). */
  get unconfirmed(): boolean {
    return this.#own.length > 0
  }

  /** Calls `listener` with each new value of the entry; returns what stops it. */
  subscribe(listener: (change: TextEntryChange) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  destroy(): void {
    this.#map.unobserve(this.#onChange)
    this.#listeners.clear()
  }

  #item(): Y.Item | undefined {
    const item = this.#map._map.get(this.#key)
    return item && !item.deleted ? item : undefined
  }

  #onChange = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    if (!event.keysChanged.has(this.#key)) return
    const item = this.#item()
    if (!item) {
      // Holding nothing now: its step was removed, or this person's value was deleted by one
      // written at the same moment that won the key but has not arrived whole yet (Yjs applies
      // an update's deletions at once and may hold back a value until what it follows arrives).
      // What this person wrote stays theirs, so the value that arrives next brings it back.
      this.#value = ''
      return
    }
    // A concurrent value that lost to the one here changes nothing.
    if (item === this.#current) return
    const id = idKey(item.id)
    const value = textOf(item)
    let change: TextEntryChange
    if (transaction.local) {
      this.#own.push({ id, value })
      if (this.#own.length > REMEMBERED) this.#own.shift()
      change = { value, base: this.#received, local: true, lost: null }
    } else {
      change = { value, local: false, ...this.#baseOf(item) }
      this.#own = []
      this.#received = value
    }
    this.#current = item
    this.#value = value
    this.#remember(id, value)
    for (const listener of [...this.#listeners]) listener(change)
  }

  /**
   * The base of a merge of what this person has with the value of `item`, received:
   * - written after one of this person's writes since they last received a value: that write
   *   (and a later write of theirs lost);
   * - else, with writes of theirs since, it won the key over their last write, which is lost:
   *   the latest value both were written after;
   * - else what they last received. (If the new value won the key over that one, the difference
   *   undoes it here, and its writer, who lost, merges it back in on their side.)
   */
  #baseOf(item: Y.Item): { base: string; lost: string | null } {
    const last = this.#own.at(-1)
    if (!last) return { base: this.#received, lost: null }
    const ownIds = new Map(this.#own.map((own) => [own.id, own]))
    let after: Held | undefined
    for (const id of this.#history(item)) {
      after = ownIds.get(id)
      if (after || this.#seen.has(id)) break
    }
    if (after) return { base: after.value, lost: after === last ? null : last.value }
    // Lost the key: the latest value both the lost write and the new one were written after.
    const lost = this.#current
    const before = new Set(lost ? this.#history(lost) : [])
    for (const id of this.#history(item)) {
      const value = this.#seen.get(id)
      if (before.has(id) && value !== undefined) return { base: value, lost: last.value }
    }
    return { base: '', lost: last.value }
  }

  /**
   * The ids of the values `item` was written after, latest first: the one it replaced, the one
   * that one replaced, and so on (Yjs keeps each map item's `origin`).
   */
  *#history(item: Y.Item): Generator<string> {
    const store = this.#map.doc?.store
    let origin = item.origin
    for (let step = 0; origin !== null && step < MAX_CHAIN; step++) {
      yield idKey(origin)
      let replaced: Y.Item | Y.GC | undefined
      try {
        replaced = store ? Y.getItem(store, origin) : undefined
      } catch {
        replaced = undefined
      }
      if (!(replaced instanceof Y.Item)) return
      // A run of one writer's overwritten values may be stored as one item, with the first
      // one's origin: its other values are in the history too.
      for (let clock = origin.clock - 1; clock >= replaced.id.clock; clock--) {
        yield idKey(Y.createID(origin.client, clock))
      }
      origin = replaced.origin
    }
  }

  #remember(id: string, value: string) {
    this.#seen.set(id, value)
    if (this.#seen.size <= REMEMBERED) return
    for (const key of this.#seen.keys()) {
      if (this.#own.some((own) => own.id === key)) continue
      this.#seen.delete(key)
      break
    }
  }
}

function textOf(item: Y.Item | undefined): string {
  if (!item) return ''
  const content = item.content.getContent()
  const value = content[content.length - 1]
  return typeof value === 'string' ? value : ''
}
