/**
 * A board's history, the domain side: named versions ("after brainstorm"), automatic snapshots
 * of boards that changed, a version's document, and restore. A restore is a new change on top
 * of the board, computed from the difference between the board now and the version: it goes
 * through the room like any update (committed, then broadcast), so nobody's later edits vanish
 * without trace — the state just before the restore is saved as a version first. Its HTTP
 * routes are `historyRoutes.ts`; this file knows nothing of HTTP.
 *
 * Versions are read from the store, which holds everything anyone has been sent (updates are
 * committed before they are broadcast).
 */
import { META, openBoardDoc, RECORDS, readRecords } from '@common-ground/shared/board'
import { parseVoteKey, VOTES } from '@common-ground/shared/vote'
import * as Y from 'yjs'
import type { Logger } from './log.ts'
import type { BoardStore, VersionInfo } from './store/BoardStore.ts'
import { loadBoardDoc } from './store/restore.ts'
import type { SyncHooks } from './sync/hooks.ts'
import type { Rooms } from './sync/Rooms.ts'

/** The transaction origin of a restore (not a Connection: everyone receives it). */
export const RESTORE_ORIGIN = Symbol('restore')

/**
 * The update that turns `current` into `version`'s content, as a change on top of `current`
 * (null when they already agree). Records (the YKeyValue array) and the top-level maps are
 * compared entry by entry; `meta` (title, schema, creation) is the board's identity, not its
 * content, and is left alone. Neither doc is modified.
 */
export function restoreUpdate(current: Y.Doc, version: Y.Doc): Uint8Array | null {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(current))
    const records = openBoardDoc(copy).records // may tidy duplicates: before `start`
    const start = Y.encodeStateVector(copy)
    const wanted = readRecords(version)
    const maps = mapNames(current, version)
    let changes = 0
    copy.transact(() => {
      for (const [key, value] of wanted) {
        if (!sameJson(records.get(key), value)) {
          records.set(key, value)
          changes++
        }
      }
      for (const key of [...records.map.keys()]) {
        if (!wanted.has(key)) {
          records.delete(key)
          changes++
        }
      }
      for (const name of maps) {
        const target = version.getMap<unknown>(name)
        const map = copy.getMap<unknown>(name)
        const keeps = (key: string) => name === VOTES && keptThroughRestore(map, key)
        for (const [key, value] of target.entries()) {
          if (value instanceof Y.AbstractType) continue // never in a board; the server refuses them
          if (keeps(key)) continue
          if (!sameJson(map.get(key), value)) {
            map.set(key, value)
            changes++
          }
        }
        for (const key of [...map.keys()]) {
          if (!target.has(key) && !keeps(key)) {
            map.delete(key)
            changes++
          }
        }
      }
    })
    return changes > 0 ? Y.encodeStateAsUpdate(copy, start) : null
  } finally {
    copy.destroy()
  }
}

/**
 * Votes a restore leaves as they are: a revealed vote is final (its outcome, and its session,
 * which would otherwise reopen and take dots again: an anonymous vote's ballots are gone), and
 * ballots are the server's to keep, never a version's to bring back.
 */
function keptThroughRestore(current: Y.Map<unknown>, key: string): boolean {
  const parsed = parseVoteKey(key)
  if (!parsed) return false
  if (parsed.kind === 'ballot' || parsed.kind === 'outcome') return true
  const session = current.get(key) as { status?: unknown } | undefined
  return session?.status === 'revealed'
}

/** Top-level maps of either doc (everything but the records array and meta). */
function mapNames(current: Y.Doc, version: Y.Doc): string[] {
  const names = new Set([...current.share.keys(), ...version.share.keys()])
  names.delete(RECORDS)
  names.delete(META)
  return [...names].filter((name) => {
    try {
      version.getMap(name)
      return true
    } catch {
      return false // defined as another type (an array): not part of a board
    }
  })
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export interface HistoryOptions {
  store: BoardStore
  /** The rooms (created after the hooks, among which the history's own). */
  rooms: () => Rooms
  log: Logger
  /** Automatic snapshot of every board that changed, this often; 0 turns them off. */
  intervalMs: number
  /** Automatic snapshots kept per board. */
  kept: number
}

export interface RestoreResult {
  /** The version saved just before the restore (the state it replaced). */
  savedBefore: VersionInfo
  /** False when the board already held the version's content. */
  changed: boolean
}

export class History {
  /** Marks boards that changed (registered with the sync core). */
  readonly hooks: SyncHooks
  #options: HistoryOptions
  #changed = new Set<string>()
  #timer: NodeJS.Timeout | null = null
  #snapshotting: Promise<void> = Promise.resolve()

  constructor(options: HistoryOptions) {
    this.#options = options
    this.hooks = {
      afterCommit: (commits) => {
        for (const { boardId } of commits) this.#changed.add(boardId)
      },
    }
    if (options.intervalMs > 0) {
      this.#timer = setInterval(() => {
        this.#snapshotting = this.#snapshotting.then(() => this.snapshotChanged())
      }, options.intervalMs)
      this.#timer.unref()
    }
  }

  /** Saves the board as it is durable now. */
  async save(boardId: string, name: string, auto = false): Promise<VersionInfo> {
    const { store } = this.#options
    const { doc } = await loadBoardDoc(store, boardId, this.#options.log)
    try {
      const data = Y.encodeStateAsUpdate(doc)
      const createdAt = Date.now()
      const id = await store.saveVersion({ boardId, name, auto, createdAt, data })
      return { id, boardId, name, auto, createdAt, bytes: data.byteLength }
    } finally {
      doc.destroy()
    }
  }

  /** One automatic snapshot of every board that changed since the last round. */
  async snapshotChanged(): Promise<void> {
    const boards = [...this.#changed]
    this.#changed.clear()
    for (const boardId of boards) {
      try {
        await this.save(boardId, 'automatic', true)
        await this.#options.store.pruneAutoVersions(boardId, this.#options.kept)
      } catch (error) {
        this.#options.log.error('automatic snapshot failed', { board: boardId, error })
      }
    }
  }

  /** The version's document (the caller destroys it); null when the board has no such version. */
  async versionDoc(boardId: string, id: number): Promise<{ info: VersionInfo; doc: Y.Doc } | null> {
    const version = await this.#options.store.getVersion(boardId, id)
    if (!version) return null
    const { data, ...info } = version
    const doc = new Y.Doc()
    Y.applyUpdate(doc, data)
    // A version saved before the ballot box may hold ballots in its document: they are never
    // shown, exported or restored from it (ballots are the server's to keep; docs/security.md).
    const votes = doc.getMap<unknown>(VOTES)
    doc.transact(() => {
      for (const key of [...votes.keys()]) {
        if (parseVoteKey(key)?.kind === 'ballot') votes.delete(key)
      }
    })
    return { info, doc }
  }

  /**
   * Brings the board back to a version's content, as a new change: the current state is saved
   * as a version first, the change is applied in the board's room (loaded for the while if
   * nobody is connected) and resolves once it is committed, which is when clients receive it
   * (`ChangeNotStoredError` if the store failed). Null when the board has no such version.
   */
  async restore(boardId: string, id: number): Promise<RestoreResult | null> {
    const version = await this.versionDoc(boardId, id)
    if (!version) return null
    const { info, doc } = version
    try {
      const savedBefore = await this.save(boardId, `before restoring "${info.name}"`)
      const changed = await this.#options.rooms().applyChange(boardId, 'restore', (room) => {
        // Computed and applied in one step: nothing can change the doc in between.
        const update = restoreUpdate(room.doc, doc)
        if (update) Y.applyUpdate(room.doc, update, RESTORE_ORIGIN)
        return update !== null
      })
      this.#options.log.info('version restored', { board: boardId, version: id, changed })
      return { savedBefore, changed }
    } finally {
      doc.destroy()
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  /** Waits for a snapshot round in progress (before the store closes). */
  settled(): Promise<void> {
    return this.#snapshotting
  }
}
