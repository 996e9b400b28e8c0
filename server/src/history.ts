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
import { legacyAuthorOf, withoutAuthorStamp } from '@common-ground/shared/facilitation'
import { parseVoteKey, VOTES } from '@common-ground/shared/vote'
import * as Y from 'yjs'
import type { Logger } from './log.ts'
import type { BoardStore, VersionInfo } from './store/BoardStore.ts'
import { loadBoardDoc } from './store/restore.ts'
import type { SyncHooks } from './sync/hooks.ts'
import type { BoardChanges } from './sync/Rooms.ts'
import { newDoc } from './yDoc.ts'

/** The transaction origin of a restore (not a Connection: everyone receives it). */
export const RESTORE_ORIGIN = Symbol('restore')

/**
 * The update that turns `current` into `version`'s content, as a change on top of `current`
 * (null when they already agree). Records (the YKeyValue array) and the top-level maps are
 * compared entry by entry; `meta` (title, schema, creation) is the board's identity, not its
 * content, and is left alone. Neither doc is modified.
 */
export function restoreUpdate(current: Y.Doc, version: Y.Doc): Uint8Array | null {
  const copy = newDoc()
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

/**
 * The board's content in a fresh document, without its history: what was deleted from the board
 * (an old ballot, a text since rewritten) is not in a version made from it. Restores and previews
 * read content only, so they do not tell the difference.
 */
export function contentOnly(doc: Y.Doc): Y.Doc {
  const copy = newDoc()
  const records = openBoardDoc(copy).records
  copy.transact(() => {
    for (const [key, value] of readRecords(doc)) records.set(key, value)
    for (const name of doc.share.keys()) {
      if (name === RECORDS) continue
      let source: Y.Map<unknown>
      try {
        source = doc.getMap<unknown>(name)
      } catch {
        continue // defined as another type (an array): not part of a board
      }
      const target = copy.getMap<unknown>(name)
      for (const [key, value] of source.entries()) {
        if (!(value instanceof Y.AbstractType)) target.set(key, value)
      }
    }
  })
  return copy
}

/**
 * Takes out of a version's document what a board no longer keeps in its own: ballots (the
 * server's ballot box keeps them) and author stamps on notes. Returns whether anything went.
 */
export function scrubVersion(doc: Y.Doc): boolean {
  const votes = doc.getMap<unknown>(VOTES)
  const ballots = [...votes.keys()].filter((key) => parseVoteKey(key)?.kind === 'ballot')
  const records = openBoardDoc(doc).records
  const stamped = [...readRecords(doc)].filter(
    ([, value]) => legacyAuthorOf(value as object) !== null,
  )
  if (ballots.length + stamped.length === 0) return false
  doc.transact(() => {
    for (const key of ballots) votes.delete(key)
    for (const [key, value] of stamped)
      records.set(key, withoutAuthorStamp(value as object) as never)
  })
  return true
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export interface HistoryOptions {
  store: BoardStore
  /** Where its restores go: the rooms, or the cluster (created after the hooks). */
  rooms: () => BoardChanges
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
      afterSecretsMovedOut: (boardId) => {
        this.scrubVersions(boardId).catch((error) =>
          options.log.error('rewriting versions failed', { board: boardId, error }),
        )
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
    const content = contentOnly(doc)
    try {
      const data = Y.encodeStateAsUpdate(content)
      const createdAt = Date.now()
      const id = await store.saveVersion({ boardId, name, auto, createdAt, data })
      return { id, boardId, name, auto, createdAt, bytes: data.byteLength }
    } finally {
      doc.destroy()
      content.destroy()
    }
  }

  /**
   * Rewrites the board's stored versions without what it no longer keeps in its document
   * (`scrubVersion`), as content only: run when a board from before had them moved out.
   */
  async scrubVersions(boardId: string): Promise<number> {
    const { store, log } = this.#options
    let rewritten = 0
    for (const { id } of await store.listVersions(boardId)) {
      const version = await store.getVersion(boardId, id)
      if (!version) continue
      const doc = newDoc()
      try {
        Y.applyUpdate(doc, version.data)
        if (!scrubVersion(doc)) continue
        const content = contentOnly(doc)
        await store.replaceVersionData(boardId, id, Y.encodeStateAsUpdate(content))
        content.destroy()
        rewritten++
      } finally {
        doc.destroy()
      }
    }
    if (rewritten > 0)
      log.warn('versions rewritten without ballots and stamps', {
        board: boardId,
        versions: rewritten,
      })
    return rewritten
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
    const doc = newDoc()
    Y.applyUpdate(doc, data)
    // A version saved before the ballot box may hold ballots, or notes stamped with their
    // writer: they are never shown, exported or restored from it (docs/security.md).
    scrubVersion(doc)
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
