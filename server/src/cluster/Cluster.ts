/**
 * Cluster mode (`DATABASE_URL` and `REDIS_URL` both set): several server processes on one
 * PostgreSQL and one Redis, any of them accepting any board's sockets.
 *
 * - Each board has ONE owner process, decided by PostgreSQL (Ownership.ts: a session advisory
 *   lock, an epoch every commit is fenced by). The owner holds the board's Room as a single
 *   process does, and commits through FencedStore, which publishes each committed turn with its
 *   per-board sequence number.
 * - Every other process serving the board holds a ReplicaRoom: a document built only from
 *   committed turns, in order, gaps filled from PostgreSQL. Its sockets' messages are forwarded
 *   to the owner (ForwardedConnections.ts), which judges them like its own.
 * - Redis (Bus.ts) carries, never decides: losing a message costs latency, not data.
 *
 * This class is the seam: to the sync endpoint it is where a socket is placed (`SyncRooms`), to
 * the rooms it is who may load a board (`RoomPlacement`), and it runs the once-a-second round
 * that keeps replicas caught up, finds owners that died or stopped, and takes their boards over.
 */
import { randomBytes } from 'node:crypto'
import { CLOSE, type LinkKind } from '@common-ground/shared/board'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { adoptIdentity, identityOf, linkOf } from '../access/access.ts'
import type { CreationLimiter } from '../limits.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { PostgresBoardStore } from '../store/PostgresBoardStore.ts'
import type { Connection } from '../sync/Connection.ts'
import type { Room } from '../sync/Room.ts'
import { SERVER_ORIGIN } from '../sync/Room.ts'
import {
  type BoardChanges,
  ChangeNotStoredError,
  type RoomPlacement,
  type Rooms,
} from '../sync/Rooms.ts'
import type { SyncRoom, SyncRooms } from '../sync/websocket.ts'
import { newDoc } from '../yDoc.ts'
import { Bus } from './Bus.ts'
import { ClusterMetrics } from './clusterMetrics.ts'
import { FencedStore } from './FencedStore.ts'
import { ForwardedConnections } from './ForwardedConnections.ts'
import { type Holder, Ownership, RowBusyError } from './Ownership.ts'
import { ReplicaRoom } from './ReplicaRoom.ts'
import {
  type ChangeOutcome,
  decodeClusterNews,
  decodeInbox,
  encodeBoardNews,
  encodeClusterNews,
  encodeInbox,
  type InboxMessage,
} from './wire.ts'

/** How often replicas are caught up, owners looked for, unacknowledged updates sent again. */
const ROUND_MS = 1000
/** How long a change sent to the board's owner may take to be committed. */
const CHANGE_TIMEOUT_MS = 15_000
/** How often the owner looks for processes that died with sockets on its boards. */
const GONE_CHECK_MS = 1000

/** Another process owns the board: this one may not load it. */
export class NotOwnerError extends Error {
  override name = 'NotOwnerError'
}

export interface ClusterOptions {
  databaseUrl: string
  redisUrl: string
  /** Prefix of every Redis key and channel of this cluster. */
  prefix: string
  log: Logger
  /** How long a replica stays after its last socket left (ROOM_GRACE_MS). */
  graceMs: number
  maxBoardBytes: number
  maxConnectionsPerBoard: number
}

/** A fresh process id (16 hex digits), also in its PostgreSQL `application_name`. */
export function newProcessId(): string {
  return randomBytes(8).toString('hex')
}

export class Cluster implements SyncRooms, BoardChanges {
  readonly processId: string
  readonly bus: Bus
  readonly ownership: Ownership
  /** The store the owner's rooms commit through (fenced, publishing). */
  readonly store: FencedStore
  readonly placement: RoomPlacement
  #options: ClusterOptions
  #postgres: PostgresBoardStore
  #rooms: Rooms | null = null
  #forwarded: ForwardedConnections | null = null
  #replicas = new Map<string, ReplicaRoom>()
  /** When each replica was last left without sockets. */
  #idleSince = new Map<ReplicaRoom, number>()
  #placing = new Map<string, Promise<'owner' | ReplicaRoom>>()
  #round: NodeJS.Timeout | null = null
  #goneCheck: NodeJS.Timeout | null = null
  #roundRunning = false
  /** Processes found gone once: a second look in a row makes it so. */
  #suspects = new Set<string>()
  #closing = false
  #metrics: ClusterMetrics | null = null
  /** Changes sent to owners, waiting for their answer, by request number. */
  #changes = new Map<number, (outcome: ChangeOutcome) => void>()
  #nextChange = 1

  /** Connects to Redis and PostgreSQL (the ownership session); rejects when either fails. */
  static async start(
    postgres: PostgresBoardStore,
    options: ClusterOptions,
    processId = newProcessId(),
  ): Promise<Cluster> {
    const cluster = new Cluster(postgres, options, processId)
    try {
      await cluster.bus.start()
      await cluster.ownership.start()
    } catch (error) {
      await cluster.bus.close().catch(() => undefined)
      await cluster.ownership.close().catch(() => undefined)
      throw error
    }
    return cluster
  }

  private constructor(postgres: PostgresBoardStore, options: ClusterOptions, processId: string) {
    this.#options = options
    this.#postgres = postgres
    this.processId = processId
    const { log } = options
    this.bus = new Bus({ url: options.redisUrl, prefix: options.prefix, processId, log })
    this.ownership = new Ownership({
      url: options.databaseUrl,
      processId,
      log,
      onLost: (boards) => {
        for (const boardId of boards) this.#rooms?.dropBoard(boardId, 'board moved')
      },
    })
    this.store = new FencedStore(postgres, {
      epochOf: (boardId) => this.ownership.epochOf(boardId),
      onCommitted: ({ boardId, boardSeq, epoch, update }) => {
        void this.bus.publish(
          this.#boardChannel(boardId),
          encodeBoardNews({ kind: 'committed', epoch, boardSeq, update }),
        )
      },
    })
    this.placement = {
      claim: async (boardId) => {
        if (this.#closing) throw new NotOwnerError('the server is closing')
        const epoch = await this.ownership.claim(boardId)
        if (epoch === null) throw new NotOwnerError(`board ${boardId} is owned elsewhere`)
      },
      loaded: (room) => this.#ownerLoaded(room),
      released: (boardId) => this.ownership.release(boardId),
    }
  }

  /** Starts serving: the rooms hold the boards this process owns. */
  async attach(rooms: Rooms, metrics?: Metrics): Promise<void> {
    this.#rooms = rooms
    if (metrics) {
      this.#metrics = new ClusterMetrics(metrics.registry, {
        boardsOwned: () => this.ownership.heldCount,
        replicas: () => this.#replicas.size,
        forwardedConnections: () => this.#forwarded?.size ?? 0,
      })
    }
    this.#forwarded = new ForwardedConnections({
      bus: this.bus,
      rooms,
      log: this.#options.log,
      adoptIdentity,
      maxBoardBytes: this.#options.maxBoardBytes,
      maxConnectionsPerBoard: this.#options.maxConnectionsPerBoard,
    })
    await this.bus.subscribe(this.bus.channel(`process:${this.processId}`), (data) => {
      const message = decodeInbox(data)
      if (message) this.#inbox(message)
      else this.#options.log.warn('unreadable cluster message dropped', {})
    })
    await this.bus.subscribe(this.bus.channel('cluster'), (data) => {
      const news = decodeClusterNews(data)
      if (news) this.#closeLink(news.board, news.link)
    })
    // Redis lost what was published while it was away: read it from PostgreSQL now.
    this.bus.onReconnect(() => {
      for (const replica of this.#replicas.values()) void replica.catchUp().catch(() => undefined)
    })
    this.#round = setInterval(() => void this.#runRound(), ROUND_MS)
    this.#round.unref()
    this.#goneCheck = setInterval(() => void this.#checkGone(), GONE_CHECK_MS)
    this.#goneCheck.unref()
  }

  async join(connection: Connection): Promise<SyncRoom | null> {
    const rooms = this.#rooms
    if (!rooms) throw new Error('the cluster is not attached to rooms yet')
    for (let attempt = 0; attempt < 5; attempt++) {
      if (this.#closing || connection.closed) return null
      const place = await this.#place(connection.boardId)
      if (place === 'owner') {
        try {
          return await rooms.join(connection)
        } catch (error) {
          if (error instanceof NotOwnerError) continue
          throw error
        }
      }
      if (place.retired) continue
      if (connection.closed) return null
      this.#idleSince.delete(place)
      place.join(connection)
      return place
    }
    throw new Error(`board ${connection.boardId} kept moving while joining`)
  }

  leave(room: SyncRoom, connection: Connection): void {
    if (room instanceof ReplicaRoom) {
      room.leave(connection)
      if (room.connections.size === 0) this.#idleSince.set(room, Date.now())
      return
    }
    this.#rooms?.leave(room as Room, connection)
  }

  storedBytes(room: SyncRoom): number {
    // A replica cannot tell; the owner checks every forwarded change against the limit.
    return room instanceof ReplicaRoom ? 0 : (this.#rooms?.storedBytes(room as Room) ?? 0)
  }

  /**
   * The server's own change to a board (a restore, closing it). On its owner, as on a single
   * process; elsewhere `work` runs on a copy of the board as committed, and the update it makes
   * is sent to the owner, which applies it as its own change. Resolves once it is committed
   * (`ChangeNotStoredError` when the owner could not store it).
   */
  async applyChange(
    boardId: string,
    change: string,
    work: (room: { readonly doc: Y.Doc }) => boolean,
  ): Promise<boolean> {
    const rooms = this.#rooms
    if (!rooms) throw new Error('the cluster is not attached to rooms yet')
    for (let attempt = 0; attempt < 5; attempt++) {
      const place = await this.#place(boardId)
      if (place === 'owner') {
        try {
          return await rooms.applyChange(boardId, change, work)
        } catch (error) {
          if (error instanceof NotOwnerError) continue
          throw error
        }
      }
      await place.catchUp() // as fresh as PostgreSQL has it
      const copy = newDoc()
      try {
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(place.doc))
        const updates: Uint8Array[] = []
        copy.on('update', (update: Uint8Array) => updates.push(update))
        if (!work({ doc: copy }) || updates.length === 0) return false
        const outcome = await this.#askOwner(place.owner, boardId, change, Y.mergeUpdates(updates))
        if (outcome === 'committed') return true
        if (outcome === 'not-stored') throw new ChangeNotStoredError(change)
      } finally {
        copy.destroy()
      }
      // The owner moved: find it again.
      this.#dropReplica(place, CLOSE.serviceRestart, 'board moved')
    }
    throw new Error(`board ${boardId} kept moving`)
  }

  /** Board creation's per-address budget, kept in PostgreSQL for every process (see limits.ts). */
  creationLimiter(perHour: number): CreationLimiter {
    return { take: (address) => this.#postgres.takeCreationToken(address, perHour) }
  }

  /** A link was replaced: every process closes the sockets that came in by it. */
  linkReplaced(boardId: string, link: LinkKind): void {
    this.#closeLink(boardId, link)
    void this.bus.publish(
      this.bus.channel('cluster'),
      encodeClusterNews({ kind: 'link-replaced', board: boardId, link }),
    )
  }

  /** Closes the replicas (their sockets reconnect elsewhere) and lets every board go. */
  async close(): Promise<void> {
    this.#closing = true
    if (this.#round) clearInterval(this.#round)
    if (this.#goneCheck) clearInterval(this.#goneCheck)
    for (const replica of this.#replicas.values()) {
      replica.close(CLOSE.serviceRestart, 'server restarting')
    }
    this.#replicas.clear()
    await this.ownership.close()
    await this.bus.close()
  }

  #boardChannel(boardId: string): string {
    return this.bus.channel(`board:${boardId}`)
  }

  /** Where a board's sockets go on this process: its room, or a replica (one at a time). */
  #place(boardId: string): Promise<'owner' | ReplicaRoom> {
    const pending = this.#placing.get(boardId)
    if (pending) return pending
    const placing = this.#decide(boardId).finally(() => this.#placing.delete(boardId))
    this.#placing.set(boardId, placing)
    return placing
  }

  async #decide(boardId: string): Promise<'owner' | ReplicaRoom> {
    const rooms = this.#rooms as Rooms
    for (let attempt = 0; attempt < 20; attempt++) {
      if (rooms.loaded(boardId)) return 'owner'
      const existing = this.#replicas.get(boardId)
      if (existing && !existing.retired) return existing
      // Loading it claims it (Rooms asks `placement.claim`); if nobody holds it we own it now.
      try {
        await rooms.withRoom(boardId, () => undefined)
        return 'owner'
      } catch (error) {
        if (!(error instanceof NotOwnerError)) throw error
      }
      const holder = await this.ownership.holderOf(boardId)
      if (!holder || holder.process === this.processId) {
        // Let go between our try and our look: try again.
        await delay(50)
        continue
      }
      if (holder.process === null) {
        throw new Error(`board ${boardId} is locked by a session outside the cluster`)
      }
      const replica = new ReplicaRoom({
        boardId,
        owner: holder.process,
        bus: this.bus,
        store: this.#postgres,
        log: this.#options.log,
        identityOf: (connection) => JSON.stringify(identityOf(connection)),
        onCaughtUp: () => this.#metrics?.caughtUp(),
        onOwnerDoubt: () => {
          void this.#checkOwner(replica).catch((error: unknown) =>
            this.#options.log.warn('looking for an owner failed', { board: boardId, error }),
          )
        },
      })
      this.#replicas.set(boardId, replica)
      try {
        await replica.open()
      } catch (error) {
        this.#dropReplica(replica, CLOSE.internalError, 'room unavailable')
        throw error
      }
      // Unloaded after the grace period unless a socket joins it (a change may open it alone).
      this.#idleSince.set(replica, Date.now())
      this.#options.log.info('replica opened', { board: boardId, owner: holder.process })
      return replica
    }
    throw new Error(`no owner found for board ${boardId}`)
  }

  /** This process now owns the board: its replica (if any) gives way, replicas elsewhere learn. */
  #ownerLoaded(room: Room): void {
    const replica = this.#replicas.get(room.boardId)
    if (replica) this.#dropReplica(replica, CLOSE.serviceRestart, 'board moved')
    const epoch = this.ownership.epochOf(room.boardId) ?? 0
    const channel = this.#boardChannel(room.boardId)
    void this.bus.publish(
      channel,
      encodeBoardNews({ kind: 'owner', epoch, process: this.processId }),
    )
    // The room's presence, for the other processes' sockets (forwarded presence included).
    room.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        const clients = [...added, ...updated, ...removed]
        if (clients.length === 0 || room.closed) return
        const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, clients)
        void this.bus.publish(channel, encodeBoardNews({ kind: 'presence', update }))
      },
    )
  }

  #dropReplica(replica: ReplicaRoom, code: number, reason: string): void {
    if (this.#replicas.get(replica.boardId) === replica) this.#replicas.delete(replica.boardId)
    this.#idleSince.delete(replica)
    replica.close(code, reason)
  }

  #askOwner(
    owner: string,
    boardId: string,
    change: string,
    update: Uint8Array,
  ): Promise<ChangeOutcome> {
    const request = this.#nextChange++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#changes.delete(request)
        reject(new ChangeNotStoredError(change))
      }, CHANGE_TIMEOUT_MS)
      this.#changes.set(request, (outcome) => {
        clearTimeout(timer)
        this.#changes.delete(request)
        resolve(outcome)
      })
      const message = encodeInbox({
        kind: 'change',
        board: boardId,
        from: this.processId,
        request,
        change,
        update,
      })
      void this.bus.publish(this.bus.channel(`process:${owner}`), message).then((sent) => {
        if (!sent) this.#changes.get(request)?.('moved')
      })
    })
  }

  /** A change another process computed for a board this process owns (see `applyChange`). */
  async #applyForwardedChange(message: Extract<InboxMessage, { kind: 'change' }>): Promise<void> {
    const rooms = this.#rooms as Rooms
    let outcome: ChangeOutcome = 'committed'
    if (!rooms.loaded(message.board)) {
      outcome = 'moved' // not loaded here: the asker finds the owner again (and may load it)
    } else {
      try {
        await rooms.applyChange(message.board, message.change, (room) => {
          Y.applyUpdate(room.doc, message.update, SERVER_ORIGIN)
          return true
        })
      } catch (error) {
        this.#options.log.warn('forwarded change failed', { board: message.board, error })
        outcome = error instanceof NotOwnerError ? 'moved' : 'not-stored'
      }
    }
    const answer = encodeInbox({
      kind: 'changed',
      board: message.board,
      request: message.request,
      outcome,
    })
    void this.bus.publish(this.bus.channel(`process:${message.from}`), answer)
  }

  #inbox(message: InboxMessage): void {
    switch (message.kind) {
      case 'change':
        void this.#applyForwardedChange(message)
        break
      case 'changed':
        this.#changes.get(message.request)?.(message.outcome)
        break
      case 'join':
      case 'message':
      case 'leave':
        this.#forwarded?.receive(message)
        break
      case 'send':
      case 'close':
      case 'ack': {
        this.#replicas.get(message.board)?.fromOwner(message.conn, message)
        break
      }
    }
  }

  #closeLink(boardId: string, link: LinkKind): void {
    const sockets = [
      ...(this.#rooms?.loaded(boardId)?.connections ?? []),
      ...(this.#replicas.get(boardId)?.connections ?? []),
    ]
    for (const connection of sockets) {
      if (linkOf(connection) === link) connection.close(CLOSE.linkRefused, 'this link was replaced')
    }
  }

  /**
   * Once a second, for every replica: unload it when idle long enough; find its board's owner
   * (gone: claim the board; another: make way; stale: take it over); catch it up from
   * PostgreSQL when it is behind and Redis is quiet; send again what the owner did not
   * acknowledge.
   */
  async #runRound(): Promise<void> {
    if (this.#roundRunning || this.#closing) return
    this.#roundRunning = true
    try {
      const now = Date.now()
      const replicas = [...this.#replicas.values()]
      const holders = await this.ownership.holdersOf(replicas.map((replica) => replica.boardId))
      for (const replica of replicas) {
        const idle = this.#idleSince.get(replica)
        if (replica.connections.size === 0 && idle !== undefined) {
          if (now - idle >= this.#options.graceMs) {
            this.#dropReplica(replica, CLOSE.serviceRestart, 'room unloaded')
            continue
          }
        }
        await this.#checkOwner(replica, holders.get(replica.boardId) ?? null)
      }
      const live = [...this.#replicas.values()].filter((replica) => !replica.retired)
      if (live.length > 0) {
        const heads = await this.#postgres.boardHeads(live.map((replica) => replica.boardId))
        for (const replica of live) {
          const head = heads.get(replica.boardId)?.boardSeq ?? 0
          // Behind, and nothing came over Redis for a moment: what was lost is in PostgreSQL.
          if (head > replica.boardSeq && Date.now() - replica.lastNewsAt > 300) {
            await replica.catchUp()
          }
          this.#metrics?.resent(replica.resend())
        }
      }
    } catch (error) {
      this.#options.log.warn('cluster round failed', { error })
    } finally {
      this.#roundRunning = false
    }
  }

  /** `holder`: the board's lock holder as just read (undefined: read it now). */
  async #checkOwner(replica: ReplicaRoom, known?: Holder | null): Promise<void> {
    if (replica.retired) return
    const holder = known === undefined ? await this.ownership.holderOf(replica.boardId) : known
    if (!holder || holder.process === this.processId) {
      // Nobody owns the board (its owner died): this process takes it; the replica gives way.
      await this.#rooms
        ?.withRoom(replica.boardId, () => undefined)
        .catch(async (error: unknown) => {
          if (error instanceof NotOwnerError) return
          if (error instanceof RowBusyError && (await this.ownership.isStale(replica.owner))) {
            // The stale owner we took the lock from sits in a transaction on the board's row
            // (paused mid-commit): end all its sessions; the next round claims the board.
            await this.ownership.takeOverFrom({ process: replica.owner, pid: 0, stale: true }, true)
            return
          }
          this.#options.log.warn('claiming a board failed', { board: replica.boardId, error })
        })
      return
    }
    if (holder.process !== replica.owner) {
      this.#options.log.info('board owner changed', {
        board: replica.boardId,
        owner: holder.process,
      })
      this.#dropReplica(replica, CLOSE.serviceRestart, 'board moved')
      return
    }
    if (holder.stale) {
      // Its owner holds the lock but stopped beating (paused, wedged): end the session holding
      // the lock, which frees it; the next round claims the board.
      await this.ownership.takeOverFrom(holder)
      this.#metrics?.tookOver()
    }
  }

  async #checkGone(): Promise<void> {
    const forwarded = this.#forwarded
    if (!forwarded || this.#closing) return
    const gone = await this.bus.gone([...forwarded.processes])
    const confirmed = gone.filter((process) => this.#suspects.has(process))
    this.#suspects = new Set(gone)
    if (confirmed.length > 0) {
      forwarded.processesGone(confirmed)
      this.#metrics?.processesGone(confirmed.length)
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
