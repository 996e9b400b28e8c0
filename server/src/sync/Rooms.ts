/**
 * The loaded rooms. A room is loaded once however many connections ask for it at the same time
 * (one promise per board), is fully loaded before any of them is answered, and is unloaded —
 * after compacting its log — a grace period after its last connection left. The server's own
 * changes to a board (a restore, closing it to edits) go through here too (`applyChange`), so
 * they are committed, then broadcast, like any client's.
 */
import { CLOSE, repairBoardMeta } from '@common-ground/shared/board'
import { migratePlanDoc } from '@common-ground/shared/plan'
import * as Y from 'yjs'
import { BoardNotFoundError, missingSeed } from '../boards.ts'
import { LIMIT_CLOSE, LimitError } from '../limits.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { BoardStore } from '../store/BoardStore.ts'
import { loadBoardDoc } from '../store/restore.ts'
import { ClientOwners } from './ClientOwners.ts'
import { CommitQueue } from './CommitQueue.ts'
import type { Connection } from './Connection.ts'
import type { SyncHooks } from './hooks.ts'
import { LoadSteps } from './loadSteps.ts'
import { Room } from './Room.ts'

export interface RoomsOptions {
  store: BoardStore
  log: Logger
  hooks?: readonly SyncHooks[]
  /** Unload delay after the last connection leaves. */
  graceMs: number
  /** Fold the log into a snapshot once it has more rows than this. */
  compactAfterUpdates: number
  metrics?: Metrics
  /** Boards held at once; idle ones are unloaded to make room, then loads are refused. */
  maxLoadedBoards?: number
  /** Cluster mode: which boards this process may load (see RoomPlacement). */
  placement?: RoomPlacement
}

/**
 * Cluster mode's say in which rooms this process holds (cluster/ClusterRooms.ts): a board is
 * loaded only once `claim` made this process its owner (it rejects otherwise), and `released`
 * is called once the room is gone (unloaded, dropped or closed), so the claim can be let go.
 */
export interface RoomPlacement {
  claim(boardId: string): Promise<void>
  /** The room is loaded (before anyone joins it). */
  loaded?(room: Room): void
  released(boardId: string): void
}

/** How a room's sockets are told why it was dropped when its commit failed. */
const STORAGE_FAILURE_REASONS: Readonly<Record<string, string>> = {
  // Cluster mode: another process took the board over (the fence); clients reconnect to it.
  FencedOutError: 'board moved',
  // PostgreSQL is away: clients reconnect and resend once it is back.
  StorageUnavailableError: 'storage unavailable',
}

/**
 * Where the server's own changes to a board go (a restore, closing it to edits): `Rooms` on a
 * single process; in cluster mode the cluster, which has the board's owner apply them.
 */
export interface BoardChanges {
  applyChange(
    boardId: string,
    change: string,
    work: (room: { readonly doc: Y.Doc }) => boolean,
  ): Promise<boolean>
}

/** A change the server made to a board could not be committed: the room was dropped unsent. */
export class ChangeNotStoredError extends Error {
  override name = 'ChangeNotStoredError'
  /** What the change was, for the refusal: `restore`, `change`. */
  readonly change: string
  constructor(change: string) {
    super(`the ${change} could not be stored`)
    this.change = change
  }
}

export class Rooms {
  readonly queue: CommitQueue<Room>
  #options: RoomsOptions
  #hooks: readonly SyncHooks[]
  /** Per board: the one load every connection waits on, and its room once loaded. */
  #entries = new Map<string, { promise: Promise<Room>; room: Room | null }>()
  #unloadTimers = new Map<Room, NodeJS.Timeout>()
  #unloading = new Map<string, Promise<void>>()
  /** What each room's board takes in the store (snapshot + log), for MAX_BOARD_BYTES. */
  #bytes = new WeakMap<Room, number>()
  #closing = false

  constructor(options: RoomsOptions) {
    this.#options = options
    this.#hooks = options.hooks ?? []
    this.queue = new CommitQueue<Room>({
      store: options.store,
      log: options.log,
      hooks: this.#hooks,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      onStorageFailure: (rooms, error) => {
        const reason = STORAGE_FAILURE_REASONS[(error as Error)?.name] ?? 'storage failure'
        for (const room of rooms) this.#drop(room, reason)
      },
      onCommitted: (room, bytes) => {
        this.#bytes.set(room, (this.#bytes.get(room) ?? 0) + bytes)
        this.#compactIfDue(room)
      },
    })
  }

  /**
   * Adds the connection to its board's room, loading the board first (boards are created only
   * through the API: an unknown one rejects with `BoardNotFoundError`, creating nothing).
   * Resolves null when the connection went away meanwhile or the server is closing.
   */
  async join(connection: Connection): Promise<Room | null> {
    // A room dropped or unloaded while we waited is loaded again; three tries is plenty.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.#closing || connection.closed) return null
      const room = await this.#room(connection.boardId)
      if (room.retired) continue
      if (this.#closing || connection.closed) {
        this.#unloadIfIdle(room)
        return null
      }
      this.#cancelUnload(room)
      room.join(connection)
      return room
    }
    throw new Error(`room ${connection.boardId} kept going away while joining`)
  }

  /**
   * Runs `work` with the board's room, loading it for the while when nobody is connected (a
   * restore, for instance). Updates `work` applies to `room.doc` are committed, then broadcast,
   * like any client's; `flush()` afterwards waits for them to be durable.
   */
  async withRoom<T>(boardId: string, work: (room: Room) => T): Promise<T> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.#closing) throw new Error('the server is closing')
      const room = await this.#room(boardId)
      if (room.retired) continue
      this.#cancelUnload(room)
      try {
        return work(room)
      } finally {
        this.#unloadIfIdle(room)
      }
    }
    throw new Error(`room ${boardId} kept going away`)
  }

  /**
   * The server's own change to a board (`change` names it: `restore`, `change`): `work` edits
   * `room.doc` through `withRoom` and says whether it changed anything; if so, resolves once the
   * change is committed, which is when clients receive it, and rejects with
   * `ChangeNotStoredError` when the store failed (nobody received it).
   */
  async applyChange(
    boardId: string,
    change: string,
    work: (room: Room) => boolean,
  ): Promise<boolean> {
    const changed = await this.withRoom(boardId, (room) => (work(room) ? room : null))
    if (!changed) return false
    await this.queue.flush()
    if (changed.closed) throw new ChangeNotStoredError(change)
    return true
  }

  /** Stored bytes of a loaded board (snapshot + log rows). */
  storedBytes(room: Room): number {
    return this.#bytes.get(room) ?? 0
  }

  leave(room: Room, connection: Connection): void {
    room.leave(connection)
    this.#unloadIfIdle(room)
  }

  /** How many boards are loaded (or loading). */
  get size(): number {
    return this.#entries.size
  }

  /** The room of a board if it is loaded (and not on its way out). */
  loaded(boardId: string): Room | undefined {
    for (const room of this.#rooms()) if (room.boardId === boardId) return room
    return undefined
  }

  /** Graceful stop: commit, close every connection with `code`, compact, free the rooms. */
  async close(code: number, reason: string): Promise<void> {
    this.#closing = true
    for (const timer of this.#unloadTimers.values()) clearTimeout(timer)
    this.#unloadTimers.clear()
    await Promise.allSettled([...this.#entries.values()].map((entry) => entry.promise))
    const rooms = [...this.#rooms()]
    await this.queue.flush()
    for (const room of rooms) room.disconnectAll(code, reason)
    await this.queue.flush() // what arrived while the sockets were closing
    for (const room of rooms) {
      room.retired = true
      await this.queue.run(() => this.#compact(room))
      room.close(code, reason)
      this.#options.placement?.released(room.boardId)
    }
    this.#entries.clear()
    await Promise.allSettled(this.#unloading.values())
  }

  /** Loaded rooms still in circulation. */
  *#rooms(): Iterable<Room> {
    for (const { room } of this.#entries.values()) if (room && !room.retired) yield room
  }

  #room(boardId: string): Promise<Room> {
    const existing = this.#entries.get(boardId)
    if (existing && !existing.room?.retired) return existing.promise
    const max = this.#options.maxLoadedBoards ?? Number.POSITIVE_INFINITY
    if (this.#entries.size >= max) this.#evictIdle(this.#entries.size - max + 1)
    if (this.#entries.size >= max) {
      this.#options.log.warn('board load refused', { board: boardId, reason: 'too many boards' })
      return Promise.reject(new LimitError(LIMIT_CLOSE.serverBusy))
    }
    const entry: { promise: Promise<Room>; room: Room | null } = {
      promise: this.#load(boardId),
      room: null,
    }
    this.#entries.set(boardId, entry)
    entry.promise.then(
      (room) => {
        entry.room = room
      },
      () => {
        // A failed load is not cached: the next connection tries again.
        if (this.#entries.get(boardId) === entry) this.#entries.delete(boardId)
      },
    )
    return entry.promise
  }

  async #load(boardId: string): Promise<Room> {
    const { store, log } = this.#options
    const steps = new LoadSteps()
    await this.#unloading.get(boardId) // its last compaction must land first
    steps.mark('unloading')
    const board = await store.getBoard(boardId)
    if (!board) throw new BoardNotFoundError()
    steps.mark('board')
    // Owned before it is read: whatever was committed before the claim is in what we load.
    await this.#options.placement?.claim(boardId)
    steps.mark('claim')
    let restored: Awaited<ReturnType<typeof loadBoardDoc>>
    try {
      restored = await loadBoardDoc(store, boardId, log, steps)
    } catch (error) {
      this.#options.placement?.released(boardId)
      throw error
    }
    const clientOwners = new ClientOwners(await store.loadClientOwners(boardId))
    const ballots = await store.loadBallots(boardId)
    const privateNotes = await store.loadPrivateNotes(boardId)
    steps.mark('kept')
    const room = new Room({
      boardId,
      doc: restored.doc,
      lastSeq: restored.lastSeq,
      tailLength: restored.tailLength,
      queue: this.queue,
      hooks: this.#hooks,
      log,
      ...(this.#options.metrics ? { metrics: this.#options.metrics } : {}),
      clientOwners,
      ballots,
      privateNotes,
      ...(restored.wholeState ? { wholeState: restored.wholeState } : {}),
    })
    this.#bytes.set(room, restored.storedBytes)
    steps.mark('room')
    const seed = missingSeed(room.doc, board)
    if (seed) Y.applyUpdate(room.doc, seed) // persisted through the queue like any update
    steps.mark('seed')
    // `meta` is the server's: bring back what a client could once damage (and migrate records
    // written under an older tldraw schema), as the server's own change.
    const repair = repairBoardMeta(room.doc, board)
    if (repair.repaired.length > 0) {
      log.warn('board meta repaired', { board: boardId, ...repair })
    }
    steps.mark('meta')
    // Plan entries written under an older plan version take this version's shape (planMigrations.ts).
    const migrated = migratePlanDoc(room.doc)
    if (!migrated.ok)
      log.warn('plan data not migrated', { board: boardId, reason: migrated.message })
    else if (migrated.applied > 0)
      log.info('plan data migrated', { board: boardId, version: migrated.version })
    steps.mark('plan')
    // Ballots a board from before the ballot box holds in its document move to the server's,
    // and so do notes stamped with their writer (a private round's, and the stamps themselves).
    const moved = room.ballots.migrate() + room.privateNotes.migrate()
    if (moved > 0) this.#afterSecretsMovedOut(room)
    steps.mark('secrets')
    this.#options.placement?.loaded?.(room)
    this.#options.metrics?.roomLoaded()
    steps.mark('placed')
    log.info('room loaded', {
      board: boardId,
      snapshot: restored.snapshot,
      updates: restored.tailLength,
      bytes: restored.storedBytes,
      ms: Math.round(steps.total),
      cpuMs: Math.round(steps.cpu),
      steps: steps.steps,
    })
    return room
  }

  /** Unloads up to `count` idle rooms, the longest idle first (timers keep that order). */
  #evictIdle(count: number): void {
    for (const room of [...this.#unloadTimers.keys()].slice(0, count)) {
      this.#options.log.info('idle room evicted', { board: room.boardId })
      this.#unload(room)
    }
  }

  #cancelUnload(room: Room): void {
    const timer = this.#unloadTimers.get(room)
    if (timer) clearTimeout(timer)
    this.#unloadTimers.delete(room)
  }

  #unloadIfIdle(room: Room): void {
    if (
      this.#closing ||
      room.retired ||
      room.connections.size > 0 ||
      this.#unloadTimers.has(room)
    ) {
      return
    }
    const timer = setTimeout(() => this.#unload(room), this.#options.graceMs)
    timer.unref()
    this.#unloadTimers.set(room, timer)
  }

  #unload(room: Room): void {
    this.#unloadTimers.delete(room)
    if (room.retired || room.connections.size > 0) return
    this.#retire(room)
    const done = (async () => {
      await this.queue.flush()
      await this.queue.run(() => this.#compact(room))
      room.close(CLOSE.serviceRestart, 'room unloaded')
      this.#options.placement?.released(room.boardId)
      this.#options.metrics?.roomUnloaded()
      this.#options.log.info('room unloaded', { board: room.boardId })
    })()
      .catch((error) =>
        this.#options.log.error('room unload failed', { board: room.boardId, error }),
      )
      .finally(() => {
        if (this.#unloading.get(room.boardId) === done) this.#unloading.delete(room.boardId)
      })
    this.#unloading.set(room.boardId, done)
  }

  /** Takes the room out of circulation: the next connection to its board loads it afresh. */
  #retire(room: Room): void {
    room.retired = true
    this.#cancelUnload(room)
    if (this.#entries.get(room.boardId)?.room === room) this.#entries.delete(room.boardId)
  }

  /**
   * Cluster mode: this process no longer owns the board (its lock's session ended). The room is
   * dropped unsaved, as after a failed commit: its clients reconnect and load it from whoever
   * owns it now, sending again what was not stored.
   */
  dropBoard(boardId: string, reason: string): void {
    const room = this.loaded(boardId)
    if (room) this.#drop(room, reason)
  }

  /** The store failed: forget the room without persisting anything more of it. */
  #drop(room: Room, reason: string): void {
    this.#retire(room)
    this.queue.discard(room)
    this.#options.metrics?.roomUnloaded()
    this.#options.log.error('room dropped', { board: room.boardId, reason })
    room.close(CLOSE.internalError, reason)
    this.#options.placement?.released(room.boardId)
  }

  /**
   * Once the move is durable, the log that still holds the old values is folded into a snapshot
   * (which keeps only what the document holds now), and the hooks clean their copies.
   */
  #afterSecretsMovedOut(room: Room): void {
    this.queue
      .flush() // the move's commit first: compaction waits for nothing pending
      .then(() => this.queue.run(() => this.#compact(room)))
      .then(() => {
        for (const hook of this.#hooks) {
          try {
            hook.afterSecretsMovedOut?.(room.boardId)
          } catch (error) {
            this.#options.log.error('afterSecretsMovedOut hook failed', { error })
          }
        }
      })
      .catch((error) =>
        this.#options.log.error('compaction failed', { board: room.boardId, error }),
      )
  }

  #compactIfDue(room: Room): void {
    if (room.compactionQueued || room.tailLength <= this.#options.compactAfterUpdates) return
    room.compactionQueued = true
    // A later turn: compaction encodes the whole document, keep it off the commit's path.
    setImmediate(() => {
      this.queue
        .run(async () => {
          room.compactionQueued = false
          await this.#compact(room)
        })
        .catch((error) =>
          this.#options.log.error('compaction failed', { board: room.boardId, error }),
        )
    })
  }

  /**
   * Folds the room's log into a snapshot. Runs inside the queue (no commit in flight) and only
   * when nothing applied to the doc is waiting for a commit, so the snapshot holds exactly what
   * is durable; otherwise the next commit brings the room back here.
   */
  async #compact(room: Room): Promise<void> {
    if (room.closed || room.tailLength === 0 || this.queue.hasPending(room)) return
    const snapshot = Y.encodeStateAsUpdate(room.doc)
    const covered = room.tailLength
    try {
      await this.#options.store.compact(room.boardId, snapshot, room.lastSeq)
      room.compacted(covered)
      this.#bytes.set(room, snapshot.byteLength)
      this.#options.log.debug('board compacted', {
        board: room.boardId,
        rows: covered,
        bytes: snapshot.byteLength,
      })
    } catch (error) {
      this.#options.log.error('compaction failed', { board: room.boardId, error })
    }
  }
}
