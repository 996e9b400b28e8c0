/**
 * A board this process serves but does not own. Its document is a replica built ONLY from what
 * the owner committed, applied in per-board sequence order: from the owner's news on Redis when
 * they arrive in order, from PostgreSQL when one is missing or Redis is quiet (ClusterRooms
 * polls). So a socket here is never sent anything that is not durable, and losing Redis costs
 * latency, never data.
 *
 * Its sockets' sync step 1 is answered from the replica, and committed updates are fanned out to
 * them. Everything they send that changes something (updates, presence, dots, private notes) is
 * forwarded to the owner, which judges it as it judges its own connections
 * (ForwardedConnections.ts) and answers through this process. A forwarded update, dot or private
 * note is sent again until the owner acknowledges it (the acknowledgement travels after the
 * owner's commit, with the owner's answers to it, which reach the socket once), so nothing a
 * client sent is lost with a Redis message while its socket is open.
 */
import {
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_BALLOT,
  MESSAGE_PRIVATE_NOTE,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_ROUND,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { LIMIT_CLOSE } from '../limits.ts'
import type { Logger } from '../log.ts'
import type { PostgresBoardStore } from '../store/PostgresBoardStore.ts'
import { applyStoredUpdate } from '../store/storedUpdate.ts'
import type { Connection } from '../sync/Connection.ts'
import {
  awarenessMessage,
  ProtocolError,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from '../sync/protocol.ts'
import type { SyncRoom } from '../sync/websocket.ts'
import { newDoc } from '../yDoc.ts'
import type { Bus } from './Bus.ts'
import { decodeBoardNews, encodeInbox, isAcknowledged } from './wire.ts'

/** The reason of a close that means "the board is not (any more) where you looked". */
export const BOARD_MOVED = 'board moved'

/** A forwarded message not acknowledged after this long is sent again. */
const RESEND_AFTER_MS = 1500
/** What one socket may have waiting for the owner's acknowledgement before it is let go. */
const MAX_UNACKED = 2000
const MAX_UNACKED_BYTES = 32 * 1024 * 1024
/** Committed updates that arrived ahead of a missing one, kept until it is read from PostgreSQL. */
const MAX_EARLY = 1000
/** Rows read from PostgreSQL at a time when catching up. */
const CATCH_UP_ROWS = 500

interface Forwarding {
  /**
   * When the socket's join was last sent to the owner, until the owner first answers about it
   * (null then): a join lost with Redis (sent while it was down) is sent again.
   */
  joinSentAt: number | null
  /** The number the socket's next forwarded message gets. */
  next: number
  /** Forwarded messages not yet acknowledged, by number (in the order they were sent). */
  unacked: Map<number, { data: Uint8Array; sentAt: number }>
  unackedBytes: number
}

export interface ReplicaRoomOptions {
  boardId: string
  /** The owner's process id, as PostgreSQL's lock table says. */
  owner: string
  bus: Bus
  store: PostgresBoardStore
  log: Logger
  /** The identity of a connection as access.ts checked it (JSON, for the owner). */
  identityOf(connection: Connection): string
  /** The owner said it does not hold the board (any more): look for its owner now. */
  onOwnerDoubt?(): void
  /** Committed turns were read from PostgreSQL (for the metrics). */
  onCaughtUp?(): void
}

export class ReplicaRoom implements SyncRoom {
  readonly boardId: string
  readonly owner: string
  /** The board as committed up to `boardSeq`, nothing else. */
  readonly doc = newDoc()
  /** The presence of everyone on the board, as the owner's room holds it. */
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** The per-board sequence number the replica has applied everything up to. */
  boardSeq = 0
  /** Out of circulation (its owner changed, or it was unloaded): joins go elsewhere. */
  retired = false
  /** When news last arrived from the owner (ms). */
  lastNewsAt = 0
  #options: ReplicaRoomOptions
  #early = new Map<number, Uint8Array>()
  #forwards = new Map<Connection, Forwarding>()
  #catchingUp: Promise<void> | null = null
  #catchUpAgain = false
  #closed = false

  constructor(options: ReplicaRoomOptions) {
    this.#options = options
    this.boardId = options.boardId
    this.owner = options.owner
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null)
  }

  get channel(): string {
    return this.#options.bus.channel(`board:${this.boardId}`)
  }

  /** Subscribes first, then reads what is committed: nothing falls between the two. */
  async open(): Promise<void> {
    await this.#options.bus.subscribe(this.channel, (data) => this.#news(data))
    await this.catchUp()
  }

  get closed(): boolean {
    return this.#closed
  }

  join(connection: Connection): void {
    if (this.#closed) throw new Error(`replica of ${this.boardId} is closed`)
    this.connections.add(connection)
    this.#forwards.set(connection, {
      joinSentAt: Date.now(),
      next: 1,
      unacked: new Map(),
      unackedBytes: 0,
    })
    connection.send(syncStep1Message(this.doc))
    const present = [...this.awareness.getStates().keys()]
    if (present.length > 0) connection.send(awarenessMessage(this.awareness, present))
    this.#sendJoin(connection)
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    this.#forwards.delete(connection)
    this.#toOwner({
      kind: 'leave',
      board: this.boardId,
      from: this.#options.bus.processId,
      conn: connection.id,
    })
  }

  receive(connection: Connection, message: Uint8Array): void {
    if (this.#closed || connection.closed) return
    const decoder = decoding.createDecoder(message)
    const type = decode(() => decoding.readVarUint(decoder))
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decode(() => decoding.readVarUint(decoder))
        if (step === SYNC_STEP1) {
          const stateVector = decode(() => decoding.readVarUint8Array(decoder))
          if (!connection.replies.allows()) {
            const { code, reason } = LIMIT_CLOSE.tooManySyncRequests
            throw new ProtocolError(code, reason)
          }
          let reply: Uint8Array
          try {
            reply = syncStep2Message(this.doc, stateVector)
          } catch {
            throw new ProtocolError(CLOSE.invalidPayload, 'invalid state vector')
          }
          connection.replies.charge(reply.byteLength)
          connection.send(reply)
          return
        }
        if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) {
          throw new ProtocolError(CLOSE.unsupportedData, `unknown sync message type ${step}`)
        }
        this.#forward(connection, message)
        return
      }
      case MESSAGE_QUERY_AWARENESS: {
        if (!connection.replies.allows()) {
          const { code, reason } = LIMIT_CLOSE.tooManySyncRequests
          throw new ProtocolError(code, reason)
        }
        const reply = awarenessMessage(this.awareness, [...this.awareness.getStates().keys()])
        connection.replies.charge(reply.byteLength)
        connection.send(reply)
        return
      }
      case MESSAGE_AWARENESS:
      case MESSAGE_BALLOT:
      case MESSAGE_PRIVATE_NOTE:
      case MESSAGE_ROUND:
        this.#forward(connection, message)
        return
      default:
        throw new ProtocolError(CLOSE.unsupportedData, `unknown message type ${type}`)
    }
  }

  /** The owner's answer about one of our connections (ClusterRooms routes it here). */
  fromOwner(
    conn: number,
    answer:
      | { kind: 'send'; data: Uint8Array }
      | { kind: 'close'; code: number; reason: string }
      | { kind: 'ack'; n: number; answers: Uint8Array[] },
  ): void {
    const connection = [...this.connections].find((candidate) => candidate.id === conn)
    if (!connection) return
    const forwarding = this.#forwards.get(connection)
    if (forwarding) forwarding.joinSentAt = null // the owner knows the socket
    switch (answer.kind) {
      case 'send':
        connection.send(answer.data)
        break
      case 'close':
        connection.close(answer.code, answer.reason)
        if (answer.reason === BOARD_MOVED) this.#options.onOwnerDoubt?.()
        break
      case 'ack': {
        // This one message only: one sent before it may have been lost on the way, and is sent
        // again. A repeated ack (ours was sent twice) finds nothing: its answers were delivered.
        const unacked = forwarding?.unacked.get(answer.n)
        if (!forwarding || !unacked) return
        forwarding.unacked.delete(answer.n)
        forwarding.unackedBytes -= unacked.data.byteLength
        for (const frame of answer.answers) connection.send(frame)
        break
      }
    }
  }

  /**
   * Sends again what the owner has not acknowledged in a while (called every second), after the
   * socket's join if the owner never answered about it; returns how many messages.
   */
  resend(now = Date.now()): number {
    if (!this.#options.bus.connected) return 0
    let count = 0
    for (const [connection, forwarding] of this.#forwards) {
      if (forwarding.joinSentAt !== null && now - forwarding.joinSentAt >= RESEND_AFTER_MS) {
        forwarding.joinSentAt = now
        this.#sendJoin(connection)
      }
      for (const [n, entry] of forwarding.unacked) {
        if (now - entry.sentAt < RESEND_AFTER_MS) continue
        entry.sentAt = now
        this.#sendMessage(connection, n, entry.data)
        count++
      }
    }
    return count
  }

  /**
   * Reads from PostgreSQL what was committed after `boardSeq` and applies it (one reader at a
   * time; a call meanwhile makes it read once more).
   */
  catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true
      return this.#catchingUp
    }
    this.#catchingUp = (async () => {
      do {
        this.#catchUpAgain = false
        for (;;) {
          if (this.#closed) return
          const state = await this.#options.store.loadCommitted(
            this.boardId,
            this.boardSeq,
            CATCH_UP_ROWS,
          )
          if (this.#closed) return
          const fresh = state.updates.filter((row) => row.boardSeq > this.boardSeq)
          if (!state.snapshot && fresh.length === 0) break
          this.#options.onCaughtUp?.()
          const before = Y.encodeStateVector(this.doc)
          this.doc.transact(() => {
            // Committed rows, read as a room's load reads them (a big board's first catch-up).
            if (state.snapshot) applyStoredUpdate(this.doc, state.snapshot)
            for (const row of fresh) applyStoredUpdate(this.doc, row.data)
          })
          this.boardSeq = Math.max(this.boardSeq, state.upTo)
          this.#fanOut(Y.encodeStateAsUpdate(this.doc, before))
          this.#drainEarly()
          if (state.updates.length < CATCH_UP_ROWS) break
        }
      } while (this.#catchUpAgain)
    })().finally(() => {
      this.#catchingUp = null
    })
    return this.#catchingUp
  }

  /** Closes every socket (they reconnect and find the board's owner anew) and frees the doc. */
  close(code: number, reason: string): void {
    if (this.#closed) return
    this.#closed = true
    this.retired = true
    for (const connection of this.connections) connection.close(code, reason)
    for (const connection of [...this.connections]) this.leave(connection)
    void this.#options.bus.unsubscribe(this.channel)
    this.awareness.destroy()
    this.doc.destroy()
  }

  #news(data: Uint8Array): void {
    if (this.#closed) return
    const news = decodeBoardNews(data)
    if (!news) {
      this.#options.log.warn('unreadable board news dropped', { board: this.boardId })
      return
    }
    this.lastNewsAt = Date.now()
    switch (news.kind) {
      case 'committed':
        this.#committed(news.boardSeq, news.update)
        break
      case 'presence':
        this.#presence(news.update)
        break
      case 'owner':
        if (news.process !== this.owner) {
          this.#options.log.info('board owner changed', {
            board: this.boardId,
            owner: news.process,
          })
          this.close(CLOSE.serviceRestart, BOARD_MOVED)
        }
        break
    }
  }

  #committed(boardSeq: number, update: Uint8Array): void {
    if (boardSeq <= this.boardSeq) return
    if (boardSeq > this.boardSeq + 1) {
      // A gap: what is missing is read from PostgreSQL; this one waits for it.
      if (this.#early.size < MAX_EARLY) this.#early.set(boardSeq, update)
      void this.catchUp().catch((error) =>
        this.#options.log.warn('replica catch-up failed', { board: this.boardId, error }),
      )
      return
    }
    this.#apply(boardSeq, update)
    this.#drainEarly()
  }

  #apply(boardSeq: number, update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update)
    } catch (error) {
      // Committed and published by our own owner: this is a bug, not input. Read it from the store.
      this.#options.log.error('committed update did not apply', { board: this.boardId, error })
      void this.catchUp().catch(() => undefined)
      return
    }
    this.boardSeq = boardSeq
    this.#fanOut(update)
  }

  #drainEarly(): void {
    for (const seq of [...this.#early.keys()].sort((a, b) => a - b)) {
      const update = this.#early.get(seq) as Uint8Array
      if (seq <= this.boardSeq) this.#early.delete(seq)
      else if (seq === this.boardSeq + 1) {
        this.#early.delete(seq)
        this.#apply(seq, update)
      } else break
    }
  }

  #presence(update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, 'owner')
    } catch {
      this.#options.log.warn('unreadable presence dropped', { board: this.boardId })
      return
    }
    const message = awarenessFrame(update)
    for (const connection of this.connections) connection.send(message)
  }

  #fanOut(update: Uint8Array): void {
    if (this.connections.size === 0) return
    const message = updateMessage(update)
    for (const connection of this.connections) {
      try {
        connection.send(message)
      } catch (error) {
        this.#options.log.warn('send failed', { board: this.boardId, error })
      }
    }
  }

  #forward(connection: Connection, data: Uint8Array): void {
    const forwarding = this.#forwards.get(connection)
    if (!forwarding) return
    const n = forwarding.next++
    if (isAcknowledged(data[0])) {
      if (
        forwarding.unacked.size >= MAX_UNACKED ||
        forwarding.unackedBytes + data.byteLength > MAX_UNACKED_BYTES
      ) {
        // The owner has not answered for a long while: let the client come back later.
        throw new ProtocolError(CLOSE.tryAgainLater, 'board owner unreachable')
      }
      // `ws` may reuse the frame's memory: keep a copy of what may be sent again.
      const copy = data.slice()
      forwarding.unacked.set(n, { data: copy, sentAt: Date.now() })
      forwarding.unackedBytes += copy.byteLength
      this.#sendMessage(connection, n, copy)
      return
    }
    this.#sendMessage(connection, n, data)
  }

  #sendJoin(connection: Connection): void {
    this.#toOwner({
      kind: 'join',
      board: this.boardId,
      from: this.#options.bus.processId,
      conn: connection.id,
      identity: this.#options.identityOf(connection),
      remote: connection.remoteAddress.slice(0, 200),
    })
  }

  #sendMessage(connection: Connection, n: number, data: Uint8Array): void {
    const forwarding = this.#forwards.get(connection)
    if (!forwarding) return
    this.#toOwner({
      kind: 'message',
      board: this.boardId,
      from: this.#options.bus.processId,
      conn: connection.id,
      n,
      // Nothing below the oldest unacknowledged message is sent again (a Map keeps sending order).
      floor: forwarding.unacked.keys().next().value ?? forwarding.next,
      data,
    })
  }

  #toOwner(message: Parameters<typeof encodeInbox>[0]): void {
    void this.#options.bus.publish(
      this.#options.bus.channel(`process:${this.owner}`),
      encodeInbox(message),
    )
  }
}

/** An awareness message carrying `update` as it came. */
function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function decode<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new ProtocolError(CLOSE.invalidPayload, 'truncated or malformed message')
  }
}
