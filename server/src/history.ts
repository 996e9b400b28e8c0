/**
 * A board's history: named versions ("after brainstorm"), automatic snapshots of boards that
 * changed, preview, and restore. A restore is a new change on top of the board, computed from
 * the difference between the board now and the version: it goes through the room like any
 * update (committed, then broadcast), so nobody's later edits vanish without trace — the state
 * just before the restore is saved as a version first.
 *
 * Versions are read from the store, which holds everything anyone has been sent (updates are
 * committed before they are broadcast).
 */
import {
  DEFAULT_LOCALE,
  derivePlan,
  isBoardId,
  isLocale,
  META,
  normalizeTitle,
  openBoardDoc,
  RECORDS,
  readRecords,
} from '@common-ground/shared'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import * as Y from 'yjs'
import {
  ApiError,
  accessOf,
  boardAccessParam,
  boardOf,
  MAX_JSON_BODY,
  requireFacilitator,
  sendError,
} from './api.ts'
import type { Logger } from './log.ts'
import type { BoardStore, VersionInfo } from './store/BoardStore.ts'
import { restoreDoc } from './store/restore.ts'
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
        for (const [key, value] of target.entries()) {
          if (value instanceof Y.AbstractType) continue // never in a board; the server refuses them
          if (!sameJson(map.get(key), value)) {
            map.set(key, value)
            changes++
          }
        }
        for (const key of [...map.keys()]) {
          if (!target.has(key)) {
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
    const doc = await this.#durableDoc(boardId)
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

  /** The version's document (the caller destroys it). */
  async versionDoc(boardId: string, id: number): Promise<{ info: VersionInfo; doc: Y.Doc }> {
    const version = await this.#options.store.getVersion(boardId, id)
    if (!version) throw new ApiError(404, 'version_not_found', 'This board has no such version.')
    const { data, ...info } = version
    const doc = new Y.Doc()
    Y.applyUpdate(doc, data)
    return { info, doc }
  }

  /**
   * Brings the board back to a version's content, as a new change: the current state is saved
   * as a version first, the change is applied in the board's room (loaded for the while if
   * nobody is connected) and resolves once it is committed, which is when clients receive it.
   */
  async restore(boardId: string, id: number): Promise<RestoreResult> {
    const { log } = this.#options
    const rooms = this.#options.rooms()
    const { info, doc } = await this.versionDoc(boardId, id)
    try {
      const savedBefore = await this.save(boardId, `before restoring "${info.name}"`)
      const applied = await rooms.withRoom(boardId, (room) => {
        // Computed and applied in one step: nothing can change the doc in between.
        const update = restoreUpdate(room.doc, doc)
        if (update) Y.applyUpdate(room.doc, update, RESTORE_ORIGIN)
        return update ? room : null
      })
      if (applied) {
        await rooms.queue.flush()
        if (applied.closed) {
          throw new ApiError(503, 'storage_failure', 'The restore could not be stored.')
        }
      }
      log.info('version restored', { board: boardId, version: id, changed: applied !== null })
      return { savedBefore, changed: applied !== null }
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

  async #durableDoc(boardId: string): Promise<Y.Doc> {
    const restored = restoreDoc(await this.#options.store.loadUpdates(boardId))
    for (const failure of restored.failures) {
      this.#options.log.error('stored update unreadable, skipped', {
        board: boardId,
        seq: failure.seq,
        error: failure.error,
      })
    }
    return restored.doc
  }
}

function versionJson(info: VersionInfo) {
  return {
    id: info.id,
    name: info.name,
    auto: info.auto,
    createdAt: info.createdAt,
    bytes: info.bytes,
  }
}

/**
 * `GET/POST /api/boards/:id/versions`, `GET /api/boards/:id/versions/:vid` (the version's
 * records and derived plan), `POST /api/boards/:id/versions/:vid/restore`. Mounted under /api
 * before the main API router; access checks go in front of it.
 */
export function createHistoryRouter(options: {
  history: History
  store: BoardStore
  log: Logger
}): express.Router {
  const { history, store, log } = options
  const router = express.Router()

  // The same guard as the main API: a key of the board to read it, a facilitator's to change it.
  router.param('id', boardAccessParam(store))
  const boardId = (response: Response, change = false): string => {
    if (change) requireFacilitator(accessOf(response))
    return boardOf(response).id
  }
  const versionId = (request: Request): number => {
    const raw = String(request.params.vid)
    const id = Number(raw)
    if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
      throw new ApiError(400, 'invalid_version_id', 'Version ids are positive integers.')
    }
    return id
  }

  router.get('/boards/:id/versions', async (request, response) => {
    const versions = await store.listVersions(boardId(response))
    response.set('Cache-Control', 'no-store').json({ versions: versions.map(versionJson) })
  })

  router.post(
    '/boards/:id/versions',
    express.json({ limit: MAX_JSON_BODY }),
    async (request, response) => {
      const id = boardId(response, true)
      const body: unknown = request.body
      const name = normalizeTitle((body as { name?: unknown } | undefined)?.name)
      if (name === null) {
        throw new ApiError(400, 'invalid_name', 'The name must be text of 1 to 200 characters.')
      }
      const version = await history.save(id, name)
      log.info('version saved', { board: id, version: version.id })
      response.status(201).json(versionJson(version))
    },
  )

  router.get('/boards/:id/versions/:vid', async (request, response) => {
    const id = boardId(response)
    const lang = request.query.lang
    if (lang !== undefined && !isLocale(lang)) {
      throw new ApiError(400, 'invalid_language', 'The lang parameter must be en or es.')
    }
    const { info, doc } = await history.versionDoc(id, versionId(request))
    try {
      const records = [...readRecords(doc).values()].sort((a, b) => (a.id < b.id ? -1 : 1))
      const plan = derivePlan(doc, { locale: lang ?? DEFAULT_LOCALE })
      response.set('Cache-Control', 'no-store').json({ ...versionJson(info), records, plan })
    } finally {
      doc.destroy()
    }
  })

  router.post('/boards/:id/versions/:vid/restore', async (request, response) => {
    const id = boardId(response, true)
    const result = await history.restore(id, versionId(request))
    response.json({ changed: result.changed, savedBefore: versionJson(result.savedBefore) })
  })

  const handleErrors: ErrorRequestHandler = (error, _request, response, next) => {
    if (error instanceof ApiError) return sendError(response, error)
    const type = (error as { type?: unknown } | null)?.type
    if (type === 'entity.parse.failed') {
      return sendError(response, new ApiError(400, 'invalid_json', 'The body is not valid JSON.'))
    }
    if (type === 'entity.too.large') {
      return sendError(
        response,
        new ApiError(413, 'payload_too_large', `The body may be at most ${MAX_JSON_BODY}.`),
      )
    }
    next(error)
  }
  router.use(handleErrors)
  return router
}
