/**
 * The owner's side of sockets held by other processes. Each one a replica forwards becomes a
 * Connection here, carrying the identity access.ts checked there (role, participant and person
 * ids, device, link), and joins the board's room like any socket: its updates go through the
 * same write review, its dots and private notes to the same desks, its presence through the same
 * review. What the room sends it goes back to the replica for that socket: notices, refusals,
 * ballot answers. Sync and presence frames are not sent back one by one: the replica serves
 * those from its own replica document and from the board's presence news.
 *
 * Every forwarded message that changes something (an update, a dot, a private note) is
 * acknowledged through the room's commit queue, whose outbox is sent only after the turn's
 * commit: an acknowledgement means "judged and durable", and the replica sends again what is not
 * acknowledged. The frames the room answered that message with (a ballot, a refusal) travel in
 * the acknowledgement, so the replica hands them to its socket exactly once. A message sent again
 * is recognised by its number (its id is the replica's process, its socket and that number) and
 * only acknowledged again, with the same answers: a dot is never counted twice. What was judged
 * is remembered until the replica says (`floor`) it will not send it again.
 */
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_SYNC } from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { LIMIT_CLOSE } from '../limits.ts'
import type { Logger } from '../log.ts'
import { isUpdateMessage } from '../metrics.ts'
import { Connection } from '../sync/Connection.ts'
import { ProtocolError } from '../sync/protocol.ts'
import type { Room } from '../sync/Room.ts'
import type { Rooms } from '../sync/Rooms.ts'
import type { Bus } from './Bus.ts'
import { encodeInbox, type InboxMessage, isAcknowledged, MAX_ANSWERS } from './wire.ts'

/**
 * Frame types of our own, never on a socket, queued in the room's outbox around the room's
 * handling of message n: "what follows answers message n", then "acknowledge message n to the
 * replica" (so that it leaves after the commit, with those answers).
 */
const ANSWER_FRAME = 0x7f_fe
const ACK_FRAME = 0x7f_ff
/** Messages of one socket held while the board loads. */
const MAX_WAITING = 256
/**
 * Judged messages one socket's replica may still send again. The replica lets a socket go long
 * before (ReplicaRoom's MAX_UNACKED); past this, the socket is let go rather than risk judging a
 * message twice.
 */
const MAX_REMEMBERED = 4096

interface Forwarded {
  connection: Connection
  process: string
  conn: number
  room: Room | null
  waiting: Array<{ n: number; data: Uint8Array }>
  /** Acknowledged messages judged at or above `floor`, with their answers (null: not sent yet). */
  judged: Map<number, Uint8Array[] | null>
  /** The replica sends nothing below this number again. */
  floor: number
  /** The message whose answers the outbox is delivering now. */
  answering: { n: number; answers: Uint8Array[] } | null
}

export interface ForwardedConnectionsOptions {
  bus: Bus
  rooms: Rooms
  log: Logger
  /** Gives a connection the identity the replica checked; false when it is not one. */
  adoptIdentity(connection: Connection, identity: unknown): boolean
  maxBoardBytes: number
  maxConnectionsPerBoard: number
}

export class ForwardedConnections {
  #options: ForwardedConnectionsOptions
  #forwarded = new Map<string, Forwarded>()

  constructor(options: ForwardedConnectionsOptions) {
    this.#options = options
  }

  /** Sockets of other processes joined here. */
  get size(): number {
    return this.#forwarded.size
  }

  /** The processes holding sockets of boards this process owns. */
  get processes(): Set<string> {
    return new Set([...this.#forwarded.values()].map((entry) => entry.process))
  }

  receive(message: InboxMessage): void {
    switch (message.kind) {
      case 'join':
        this.#join(message)
        break
      case 'message': {
        const entry = this.#forwarded.get(keyOf(message.from, message.conn))
        if (!entry) {
          // Not (or no longer) joined here: the socket should find the board's owner again.
          this.#reply(message.from, {
            kind: 'close',
            board: message.board,
            conn: message.conn,
            code: CLOSE.serviceRestart,
            reason: 'board moved',
          })
          return
        }
        this.#raiseFloor(entry, message.floor)
        if (!entry.room) {
          if (entry.waiting.length >= MAX_WAITING) {
            entry.connection.close(CLOSE.policyViolation, 'too much data before the board loaded')
            return
          }
          entry.waiting.push({ n: message.n, data: message.data })
          return
        }
        this.#judge(entry, message.n, message.data)
        break
      }
      case 'leave': {
        const entry = this.#forwarded.get(keyOf(message.from, message.conn))
        if (entry) this.#forget(entry)
        break
      }
      default:
        break // answers go to replicas, not here
    }
  }

  /** Those processes are gone (their heartbeat expired): their people leave the boards. */
  processesGone(processes: readonly string[]): void {
    const gone = new Set(processes)
    for (const entry of [...this.#forwarded.values()]) {
      if (gone.has(entry.process)) this.#forget(entry)
    }
    if (gone.size > 0) this.#options.log.warn('processes gone', { processes: [...gone] })
  }

  #join(message: Extract<InboxMessage, { kind: 'join' }>): void {
    const key = keyOf(message.from, message.conn)
    if (this.#forwarded.has(key)) {
      // Sent again: the replica heard nothing from us about this socket yet. Number 0 is no
      // message: the ack only tells it the join arrived.
      this.#reply(message.from, {
        kind: 'ack',
        board: message.board,
        conn: message.conn,
        n: 0,
        answers: [],
      })
      return
    }
    const { rooms, log } = this.#options
    let entry: Forwarded | null = null
    let closed = false
    const connection = new Connection(
      {
        get isOpen() {
          return !closed
        },
        send: (data) => this.#sendBack(message.from, message.board, message.conn, data),
        close: (code, reason) => {
          closed = true
          this.#reply(message.from, {
            kind: 'close',
            board: message.board,
            conn: message.conn,
            code,
            reason,
          })
          if (entry) queueMicrotask(() => entry && this.#forget(entry))
        },
      },
      { boardId: message.board, remoteAddress: message.remote },
    )
    let identity: unknown
    try {
      identity = JSON.parse(message.identity)
    } catch {
      identity = null
    }
    if (!this.#options.adoptIdentity(connection, identity)) {
      log.warn('forwarded connection refused', { board: message.board, reason: 'identity' })
      connection.close(CLOSE.policyViolation, 'invalid identity')
      return
    }
    const joined: Forwarded = {
      connection,
      process: message.from,
      conn: message.conn,
      room: null,
      waiting: [],
      judged: new Map(),
      floor: 0,
      answering: null,
    }
    entry = joined
    this.#forwarded.set(key, joined)
    rooms.join(connection).then(
      (room) => {
        if (!room) {
          connection.close(CLOSE.serviceRestart, 'server restarting')
          return
        }
        joined.room = room
        if (connection.closed) {
          this.#forget(joined)
          return
        }
        // MAX_CONNECTIONS_PER_BOARD over the cluster: the owner's room holds everyone.
        if (room.connections.size > this.#options.maxConnectionsPerBoard) {
          const { code, reason } = LIMIT_CLOSE.boardFull
          connection.close(code, reason)
          return
        }
        for (const { n, data } of joined.waiting.splice(0)) {
          if (connection.closed) break
          this.#judge(joined, n, data)
        }
      },
      (error: unknown) => {
        // Another process owns the board (or it could not load): the socket looks again.
        log.info('forwarded join refused', { board: message.board, error: String(error) })
        connection.close(CLOSE.serviceRestart, 'board moved')
      },
    )
  }

  #judge(entry: Forwarded, n: number, data: Uint8Array): void {
    const { connection, room } = entry
    if (!room || connection.closed) return
    const { queue } = this.#options.rooms
    const acknowledged = isAcknowledged(data[0])
    if (acknowledged) {
      if (n < entry.floor || entry.judged.has(n)) {
        // Sent again because our acknowledgement was lost: judged once is enough. The ack (with
        // the same answers) goes again, after whatever is being committed.
        queue.send(room, connection, ownFrame(ACK_FRAME, n))
        return
      }
      if (entry.judged.size >= MAX_REMEMBERED) {
        connection.close(CLOSE.tryAgainLater, 'board owner unreachable')
        return
      }
      entry.judged.set(n, null)
    }
    if (
      data.byteLength > 5 &&
      isUpdateMessage(data) &&
      this.#options.rooms.storedBytes(room) >= this.#options.maxBoardBytes
    ) {
      const { code, reason } = LIMIT_CLOSE.boardTooLarge
      connection.close(code, reason)
      return
    }
    if (acknowledged) queue.send(room, connection, ownFrame(ANSWER_FRAME, n))
    try {
      room.receive(connection, data)
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.#options.log.warn('forwarded connection closed for bad input', {
          board: room.boardId,
          code: error.code,
          reason: error.message,
        })
        connection.close(error.code, error.message)
        return
      }
      this.#options.log.error('forwarded message handling failed', { board: room.boardId, error })
      connection.close(CLOSE.internalError, 'internal error')
      return
    }
    if (acknowledged && !connection.closed) queue.send(room, connection, ownFrame(ACK_FRAME, n))
  }

  /** The replica will not send anything below `floor` again: what was judged there is forgotten. */
  #raiseFloor(entry: Forwarded, floor: number): void {
    if (floor <= entry.floor) return
    entry.floor = floor
    // Judged in sending order, mostly: forgetting from the front is enough on every message; a
    // message sent again late (out of order) is swept out when the map grows.
    const sweep = entry.judged.size > MAX_REMEMBERED / 2
    for (const n of entry.judged.keys()) {
      if (n < floor) entry.judged.delete(n)
      else if (!sweep) break
    }
  }

  #forget(entry: Forwarded): void {
    const key = keyOf(entry.process, entry.conn)
    if (this.#forwarded.get(key) !== entry) return
    this.#forwarded.delete(key)
    entry.connection.markClosed()
    if (entry.room) this.#options.rooms.leave(entry.room, entry.connection)
  }

  /**
   * What the room sends a forwarded connection: the answers to an acknowledged message go back
   * with its ack, other notices on their own; sync and presence frames do not go back.
   */
  #sendBack(process: string, board: string, conn: number, data: Uint8Array): void {
    let type: number
    let decoder: decoding.Decoder
    try {
      decoder = decoding.createDecoder(data)
      type = decoding.readVarUint(decoder)
    } catch {
      return
    }
    if (type === MESSAGE_SYNC || type === MESSAGE_AWARENESS) return
    const entry = this.#forwarded.get(keyOf(process, conn))
    if (type === ANSWER_FRAME) {
      if (entry) entry.answering = { n: decoding.readVarUint(decoder), answers: [] }
      return
    }
    if (type === ACK_FRAME) {
      const n = decoding.readVarUint(decoder)
      let answers: Uint8Array[] = []
      if (entry?.answering?.n === n) {
        answers = entry.answering.answers
        entry.answering = null
        if (entry.judged.has(n)) entry.judged.set(n, answers)
      } else {
        answers = entry?.judged.get(n) ?? [] // a repeat: the answers as first sent
      }
      this.#reply(process, { kind: 'ack', board, conn, n, answers })
      return
    }
    if (entry?.answering && entry.answering.answers.length < MAX_ANSWERS) {
      entry.answering.answers.push(data)
      return
    }
    this.#reply(process, { kind: 'send', board, conn, data })
  }

  #reply(process: string, message: InboxMessage): void {
    const { bus } = this.#options
    void bus.publish(bus.channel(`process:${process}`), encodeInbox(message))
  }
}

function keyOf(process: string, conn: number): string {
  return `${process}/${conn}`
}

function ownFrame(type: number, n: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint(encoder, n)
  return encoding.toUint8Array(encoder)
}
