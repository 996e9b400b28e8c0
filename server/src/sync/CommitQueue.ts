/**
 * The durability rule: an update is committed to the store before anyone is sent it.
 *
 * Everything the rooms produce during one event-loop turn is collected here: the updates applied
 * to each room (the batch) and every outgoing message (the outbox). Sync-step-2 replies go
 * through the outbox too, because a reply carries the room's whole state and could otherwise
 * leak an update that is not yet durable. At `setImmediate` the batch is written in one
 * transaction and only then is the outbox sent. Commits (and the jobs `run` takes, such as
 * compaction) are serialised, so a slow store never lets a later turn overtake an earlier one.
 *
 * Broadcasts are merged per turn: the updates a room applied in one turn go out as one merged
 * update in one standard y-websocket update message, encoded once, the same bytes written to
 * every connection of the room, its senders included (an echo of what a client already has
 * changes nothing in its copy, and sending everyone one message is what keeps fan-out cheap:
 * no per-sender merges, and the transport frames the message once for all its sockets). One
 * exception keeps clients correct: YKeyValue, which the board layout uses, removes duplicate
 * keys only between transactions, so two senders' inserts of the same record key must not reach
 * a client in one message (it would keep a stale duplicate; `integration/sync.test.ts` catches
 * it). The room tells the queue which record keys each update inserted, and a turn is split where
 * such a clash would occur.
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type {
  BallotChange,
  BoardStore,
  ClientClaim,
  PrivateNoteChange,
} from '../store/BoardStore.ts'
import type { Connection } from './Connection.ts'
import type { CommittedUpdate, SyncHooks } from './hooks.ts'
import { updateMessage } from './protocol.ts'

/** What the queue needs from a room. */
export interface QueuedRoom {
  readonly boardId: string
  readonly closed: boolean
  /** Who the room's updates are broadcast to (read when the turn's outbox is sent). */
  readonly connections: ReadonlySet<Connection>
  committed(seq: number): void
}

export interface CommitQueueOptions<R extends QueuedRoom> {
  store: BoardStore
  log: Logger
  hooks?: readonly SyncHooks[]
  metrics?: Metrics
  /** The batch holding these rooms' updates did not commit: they must be dropped. */
  onStorageFailure(rooms: readonly R[], error: unknown): void
  /** A room's updates are durable, `bytes` more of it stored (used to decide compaction). */
  onCommitted?(room: R, bytes: number): void
}

interface Outgoing {
  to: Connection
  data: Uint8Array
}

/** The updates a room applied in one turn, who sent each (null: the server itself), and the
 * record keys each inserted. */
interface PendingUpdates {
  updates: Uint8Array[]
  origins: (Connection | null)[]
  keys: (readonly string[])[]
}

interface KeptChanges {
  ballots: BallotChange[]
  privateNotes: PrivateNoteChange[]
}

export class CommitQueue<R extends QueuedRoom> {
  /** Also how rooms reach the metrics (e.g. `queue.metrics?.rejectedUpdate(code)`). */
  readonly metrics: Metrics | undefined
  #options: CommitQueueOptions<R>
  #pending = new Map<R, PendingUpdates>()
  #outbox = new Map<R, Outgoing[]>()
  /** Client ids claimed this turn (see ClientOwners): stored in the turn's transaction. */
  #claims: ClientClaim[] = []
  /** Ballot and private note changes this turn, by room: stored in the turn's transaction. */
  #kept = new Map<R, KeptChanges>()
  #scheduled = false
  #chain: Promise<unknown> = Promise.resolve()

  constructor(options: CommitQueueOptions<R>) {
    this.#options = options
    this.metrics = options.metrics
  }

  /**
   * An update the room applied: committed with the turn, then broadcast to the room's
   * connections. `origin`: the connection it came from (null: the server), and `keys`: the
   * YKeyValue record keys it inserted, which decide where a turn is split (see the top).
   */
  addUpdate(
    room: R,
    update: Uint8Array,
    origin: Connection | null = null,
    keys: readonly string[] = [],
  ): void {
    const pending = this.#pending.get(room)
    if (pending) {
      pending.updates.push(update)
      pending.origins.push(origin)
      pending.keys.push(keys)
    } else {
      this.#pending.set(room, { updates: [update], origins: [origin], keys: [keys] })
    }
    this.#schedule()
  }

  /** Client ids a room's connections used for the first time: stored with the turn. */
  addClaims(room: R, claims: ReadonlyArray<readonly [number, string]>): void {
    if (claims.length === 0) return
    for (const [client, device] of claims) {
      this.#claims.push({ boardId: room.boardId, client, device })
    }
    this.#schedule()
  }

  /** Changes to a room's ballot box: stored with the turn, before anything of it is sent. */
  addBallots(room: R, changes: readonly BallotChange[]): void {
    if (changes.length === 0) return
    this.#keptOf(room).ballots.push(...changes)
    this.#schedule()
  }

  /** Changes to a room's private notes: stored with the turn, before anything of it is sent. */
  addPrivateNotes(room: R, changes: readonly PrivateNoteChange[]): void {
    if (changes.length === 0) return
    this.#keptOf(room).privateNotes.push(...changes)
    this.#schedule()
  }

  #keptOf(room: R): KeptChanges {
    let kept = this.#kept.get(room)
    if (!kept) {
      kept = { ballots: [], privateNotes: [] }
      this.#kept.set(room, kept)
    }
    return kept
  }

  send(room: R, to: Connection, data: Uint8Array): void {
    const messages = this.#outbox.get(room)
    if (messages) messages.push({ to, data })
    else this.#outbox.set(room, [{ to, data }])
    this.#schedule()
  }

  /** True while some update applied to the room is not yet durable. */
  hasPending(room: R): boolean {
    return this.#pending.has(room)
  }

  /** Forgets everything queued for a room that is being dropped. */
  discard(room: R): void {
    this.#pending.delete(room)
    this.#outbox.delete(room)
    this.#kept.delete(room)
  }

  /** Commits and sends everything queued so far. */
  flush(): Promise<void> {
    return this.run(() => this.#commit())
  }

  /** Runs `job` after every commit queued before it and before any queued after it. */
  run<T>(job: () => T | Promise<T>): Promise<T> {
    const result = this.#chain.then(job)
    this.#chain = result.catch(() => undefined)
    return result
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.flush().catch((error) => this.#options.log.error('commit crashed', { error }))
    })
  }

  async #commit(): Promise<void> {
    if (
      this.#pending.size === 0 &&
      this.#outbox.size === 0 &&
      this.#claims.length === 0 &&
      this.#kept.size === 0
    )
      return
    const pending = this.#pending
    const outbox = this.#outbox
    const claims = this.#claims
    const kept = this.#kept
    this.#pending = new Map()
    this.#outbox = new Map()
    this.#claims = []
    this.#kept = new Map()
    const { store, log, hooks = [] } = this.#options

    const rooms = [...pending.keys()].filter((room) => !room.closed)
    const batch = rooms.map((room) => {
      // One row per board per turn: fewer rows to load and to compact.
      return { boardId: room.boardId, update: merge(pending.get(room)?.updates ?? []) }
    })

    let seqs: number[] = []
    const started = performance.now()
    try {
      const keptChanges = [...kept.values()]
      seqs = await store.appendUpdates(batch, {
        claims,
        ballots: keptChanges.flatMap((changes) => changes.ballots),
        privateNotes: keptChanges.flatMap((changes) => changes.privateNotes),
      })
      if (batch.length > 0) this.metrics?.committed((performance.now() - started) / 1000)
    } catch (error) {
      this.metrics?.commitFailed((performance.now() - started) / 1000)
      log.error('commit failed', { boards: rooms.map((room) => room.boardId), error })
      // Rooms whose ballots or private notes were not stored answer nothing either: they are
      // ahead of the store, so they are dropped like rooms whose updates were lost, and reload.
      const failed = [...new Set([...rooms, ...kept.keys()])].filter((room) => !room.closed)
      for (const room of failed) {
        outbox.delete(room)
        this.discard(room)
      }
      try {
        this.#options.onStorageFailure(failed, error)
      } catch (failure) {
        log.error('dropping rooms failed', { error: failure })
      }
      this.#deliver(outbox) // rooms without updates in this batch lose nothing by being served
      return
    }

    for (const [index, room] of rooms.entries()) room.committed(seqs[index] ?? 0)
    // The turn's broadcasts first, as they were applied before anything answered in that turn.
    for (const [index, room] of rooms.entries()) {
      const turn = pending.get(room)
      if (turn) this.#broadcast(room, turn, batch[index]?.update)
    }
    this.#deliver(outbox)

    if (batch.length > 0) {
      const commits: CommittedUpdate[] = batch.map((entry, index) => ({
        ...entry,
        seq: seqs[index] ?? 0,
      }))
      for (const hook of hooks) {
        try {
          hook.afterCommit?.(commits)
        } catch (error) {
          log.error('afterCommit hook failed', { error })
        }
      }
    }
    for (const [index, room] of rooms.entries()) {
      this.#options.onCommitted?.(room, batch[index]?.update.byteLength ?? 0)
    }
  }

  /** Sends a room's updates of the turn, merged, to every connection (see the top of this file). */
  #broadcast(room: R, turn: PendingUpdates, committed?: Uint8Array): void {
    if (room.closed || room.connections.size === 0) return
    const groups = splitAtKeyClashes(turn)
    for (const group of groups) {
      // The common case, one group: the merge just committed is the one to send.
      const merged = groups.length === 1 && committed ? committed : merge(group.updates)
      const message = updateMessage(merged)
      for (const connection of room.connections) this.#send(room, connection, message, true)
    }
  }

  #deliver(outbox: Map<R, Outgoing[]>): void {
    for (const [room, messages] of outbox) {
      if (room.closed) continue
      for (const { to, data } of messages) this.#send(room, to, data, false)
    }
  }

  #send(room: R, to: Connection, data: Uint8Array, isUpdate: boolean): void {
    if (to.closed) return
    try {
      to.send(data)
      this.metrics?.sent(data.byteLength, isUpdate)
    } catch (error) {
      this.#options.log.warn('send failed', { board: room.boardId, error })
    }
  }
}

/**
 * Consecutive updates of a turn, grouped so that no record key is inserted by two different
 * senders within one group.
 */
export function splitAtKeyClashes(turn: PendingUpdates): PendingUpdates[] {
  const groups: PendingUpdates[] = []
  let group: PendingUpdates | null = null
  let inserter = new Map<string, Connection | null>()
  for (const [index, update] of turn.updates.entries()) {
    const origin = turn.origins[index] ?? null
    const keys = turn.keys[index] ?? []
    const clash = keys.some((key) => inserter.has(key) && inserter.get(key) !== origin)
    if (!group || clash) {
      group = { updates: [], origins: [], keys: [] }
      groups.push(group)
      inserter = new Map()
    }
    group.updates.push(update)
    group.origins.push(origin)
    group.keys.push(keys)
    for (const key of keys) inserter.set(key, origin)
  }
  return groups
}

function merge(updates: Uint8Array[]): Uint8Array {
  const [only] = updates
  return updates.length === 1 && only ? only : Y.mergeUpdates(updates)
}
