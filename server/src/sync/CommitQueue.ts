/**
 * The durability rule: an update is committed to the store before anyone is sent it.
 *
 * Everything the rooms produce during one event-loop turn is collected here: the updates applied
 * to each room (the batch) and every outgoing message (the outbox). Sync-step-2 replies go
 * through the outbox too, because a reply carries the room's whole state and could otherwise
 * leak an update that is not yet durable. At `setImmediate` the batch is written in one
 * transaction and only then is the outbox sent. Commits (and the jobs `run` takes, such as
 * compaction) are serialised, so a slow store never lets a later turn overtake an earlier one.
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/BoardStore.ts'
import type { Connection } from './Connection.ts'
import type { CommittedUpdate, SyncHooks } from './hooks.ts'

/** What the queue needs from a room. */
export interface QueuedRoom {
  readonly boardId: string
  readonly closed: boolean
  committed(seq: number): void
}

export interface CommitQueueOptions<R extends QueuedRoom> {
  store: BoardStore
  log: Logger
  hooks?: readonly SyncHooks[]
  /** The batch holding these rooms' updates did not commit: they must be dropped. */
  onStorageFailure(rooms: readonly R[], error: unknown): void
  /** A room's updates are durable (used to decide compaction). */
  onCommitted?(room: R): void
}

interface Outgoing {
  to: Connection
  data: Uint8Array
}

export class CommitQueue<R extends QueuedRoom> {
  #options: CommitQueueOptions<R>
  #pending = new Map<R, Uint8Array[]>()
  #outbox = new Map<R, Outgoing[]>()
  #scheduled = false
  #chain: Promise<unknown> = Promise.resolve()

  constructor(options: CommitQueueOptions<R>) {
    this.#options = options
  }

  addUpdate(room: R, update: Uint8Array): void {
    const updates = this.#pending.get(room)
    if (updates) updates.push(update)
    else this.#pending.set(room, [update])
    this.#schedule()
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
    if (this.#pending.size === 0 && this.#outbox.size === 0) return
    const pending = this.#pending
    const outbox = this.#outbox
    this.#pending = new Map()
    this.#outbox = new Map()
    const { store, log, hooks = [] } = this.#options

    const rooms = [...pending.keys()].filter((room) => !room.closed)
    const batch = rooms.map((room) => {
      const updates = pending.get(room) ?? []
      const [only] = updates
      // One row per board per turn: fewer rows to load and to compact.
      const update = updates.length === 1 && only ? only : Y.mergeUpdates(updates)
      return { boardId: room.boardId, update }
    })

    let seqs: number[] = []
    try {
      seqs = await store.appendUpdates(batch)
    } catch (error) {
      log.error('commit failed', { boards: rooms.map((room) => room.boardId), error })
      for (const room of rooms) {
        outbox.delete(room)
        this.discard(room)
      }
      try {
        this.#options.onStorageFailure(rooms, error)
      } catch (failure) {
        log.error('dropping rooms failed', { error: failure })
      }
      this.#deliver(outbox) // rooms without updates in this batch lose nothing by being served
      return
    }

    for (const [index, room] of rooms.entries()) room.committed(seqs[index] ?? 0)
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
    for (const room of rooms) this.#options.onCommitted?.(room)
  }

  #deliver(outbox: Map<R, Outgoing[]>): void {
    for (const [room, messages] of outbox) {
      if (room.closed) continue
      for (const { to, data } of messages) {
        try {
          to.send(data)
        } catch (error) {
          this.#options.log.warn('send failed', { board: room.boardId, error })
        }
      }
    }
  }
}
