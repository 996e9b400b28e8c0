/**
 * One loaded board: its Y.Doc, the awareness (presence) of its clients, and their connections.
 * Incoming messages are applied here; everything outgoing goes through the commit queue so it is
 * sent only after the updates it may contain are durable.
 */
import {
  BOARD_MAPS,
  type BoardDoc,
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_BALLOT,
  MESSAGE_PRIVATE_NOTE,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_ROUND,
  MESSAGE_SYNC,
  openBoardDoc,
  RECORDS,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  type WriteRefusal,
  type WriteRefusalCode,
} from '@common-ground/shared/board'
import { ROUNDS, VOTES } from '@common-ground/shared/vote'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { LIMIT_CLOSE } from '../limits.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { StoredBallot, StoredPrivateNote } from '../store/BoardStore.ts'
import { BallotDesk } from './BallotDesk.ts'
import { ClientOwners, deviceOf } from './ClientOwners.ts'
import type { CommitQueue } from './CommitQueue.ts'
import { Connection } from './Connection.ts'
import {
  runBeforeApplyUpdate,
  runMayChange,
  runPresenceIdentity,
  runReviewWrites,
  runVoter,
  type SyncHooks,
} from './hooks.ts'
import { PrivateNoteDesk } from './PrivateNoteDesk.ts'
import { PresenceRefused, type ReviewedPresence, reviewPresence } from './presence.ts'
import {
  awarenessMessage,
  holdsNothing,
  noticeMessage,
  ProtocolError,
  syncStep1Message,
  syncStep2Message,
  syncStep2OfUpdate,
} from './protocol.ts'
import { RoundDesk } from './RoundDesk.ts'
import { type IncomingUpdate, readIncomingUpdate, UnreadableUpdate } from './writeReview.ts'

/** The transaction origin of the server's own changes (e.g. closing a board): everyone gets them. */
export const SERVER_ORIGIN = Symbol('server')

/** The state vector of an empty document. */
const EMPTY_STATE_VECTOR = new Uint8Array([0])

/** A view link that keeps writing after this many refusals is closed for good. */
const READ_ONLY_STRIKES = 3

export interface RoomOptions {
  boardId: string
  /** Restored from the store; the room takes ownership (and destroys it when closed). */
  doc: Y.Doc
  /** Newest stored seq the doc reflects, and how many log rows follow the snapshot. */
  lastSeq: number
  tailLength: number
  queue: CommitQueue<Room>
  hooks: readonly SyncHooks[]
  log: Logger
  metrics?: Metrics
  /** Which device owns each client id of the board, as stored (see ClientOwners). */
  clientOwners?: ClientOwners
  /** The board's ballot box as stored (see BallotDesk). */
  ballots?: readonly StoredBallot[]
  /** The private notes of its hidden brainstorm round as stored (see PrivateNoteDesk). */
  privateNotes?: readonly StoredPrivateNote[]
  /**
   * The stored update `doc` was built from, when it is one row that read cleanly: the whole
   * document already encoded, for the first syncs (see `#wholeStateReply`).
   */
  wholeState?: Uint8Array
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

export class Room {
  readonly boardId: string
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** Newest durable seq of this board; compaction may fold the log up to it. */
  lastSeq: number
  /** Stored log rows after the snapshot. */
  tailLength: number
  /** Set when the room is being unloaded or dropped: new connections must load it afresh. */
  retired = false
  /** A compaction is already queued. */
  compactionQueued = false
  /** Which device owns each Yjs client id: only it may add structs or presence under the id. */
  readonly clientOwners: ClientOwners
  /** Ballots are kept here, never in the document (see BallotDesk). */
  readonly ballots: BallotDesk<Room>
  /** Notes of a hidden brainstorm round are kept here until the reveal (see PrivateNoteDesk). */
  readonly privateNotes: PrivateNoteDesk<Room>
  /** Placement and consensus marks are kept here until the reveal (see RoundDesk). */
  readonly rounds: RoundDesk<Room>
  #queue: CommitQueue<Room>
  #hooks: readonly SyncHooks[]
  #log: Logger
  #metrics: Metrics | undefined
  #closed = false
  /** The board's records array (YKeyValue entries), for the keys each update inserts. */
  #records: Y.Array<unknown>
  /** The board's YKeyValue view: the review reads records' current values out of it. */
  #board: BoardDoc
  /**
   * Sync step 2 with the whole document, while nothing changed it: the answer to everyone who
   * asks with an empty state vector (a first visit, the bench's clients), instead of encoding
   * megabytes again for each. Dropped at any change and when the last connection leaves.
   */
  #wholeState: Uint8Array | null = null

  constructor(options: RoomOptions) {
    this.boardId = options.boardId
    this.doc = options.doc
    this.lastSeq = options.lastSeq
    this.tailLength = options.tailLength
    this.#queue = options.queue
    this.#hooks = options.hooks
    this.#log = options.log
    this.#metrics = options.metrics
    this.clientOwners = options.clientOwners ?? new ClientOwners()
    // First, so that even the tidying below (duplicate records) makes the stored bytes stale.
    this.doc.on('update', this.#forgetWholeState)
    if (options.wholeState) this.#wholeState = syncStep2OfUpdate(options.wholeState)
    this.#records = this.doc.getArray(RECORDS)
    // Our own YKeyValue, tidying duplicates exactly as every client does: the review reads the
    // records' current values out of it.
    this.#board = openBoardDoc(this.doc)
    // Typed before any update arrives, so an update cannot turn a board map into another type.
    for (const name of BOARD_MAPS) this.doc.getMap(name)
    this.ballots = new BallotDesk({
      room: this,
      queue: this.#queue,
      log: this.#log,
      origin: SERVER_ORIGIN,
      voterOf: (connection) => runVoter(this.#hooks, connection),
      ...(options.ballots ? { stored: options.ballots } : {}),
    })
    this.rounds = new RoundDesk({
      room: this,
      queue: this.#queue,
      log: this.#log,
      origin: SERVER_ORIGIN,
      voterOf: (connection) => runVoter(this.#hooks, connection),
      ...(options.ballots ? { stored: options.ballots } : {}),
    })
    this.privateNotes = new PrivateNoteDesk({
      room: this,
      board: this.#board,
      queue: this.#queue,
      log: this.#log,
      origin: SERVER_ORIGIN,
      keeperOf: (connection) => runVoter(this.#hooks, connection),
      review: (connection, write) =>
        (
          runMayChange(this.#hooks, connection) ??
          runReviewWrites(this.#hooks, { connection, doc: this.doc, writes: [write] })
        )?.code,
      ...(options.privateNotes ? { stored: options.privateNotes } : {}),
    })
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null) // the server itself has no presence
    this.doc.on('update', this.#onUpdate)
    this.awareness.on('update', this.#onAwarenessUpdate)
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Greets a new connection as y-websocket expects: sync step 1, then who is here. */
  join(connection: Connection): void {
    if (this.#closed) throw new Error(`room ${this.boardId} is closed`)
    this.connections.add(connection)
    this.#queue.send(this, connection, syncStep1Message(this.doc))
    const welcome = Object.assign({}, ...this.#hooks.map((hook) => hook.welcome?.(connection)))
    if (Object.keys(welcome).length > 0) {
      this.#queue.send(this, connection, noticeMessage({ ...welcome, kind: 'welcome' }))
    }
    this.ballots.greet(connection)
    this.rounds.greet(connection)
    this.privateNotes.greet(connection)
    const present = [...this.awareness.getStates().keys()]
    if (present.length > 0) {
      this.#queue.send(this, connection, awarenessMessage(this.awareness, present))
    }
  }

  /** Forgets a connection and the presence it announced (everyone else is told). */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    if (this.connections.size === 0) this.#wholeState = null // an idle board holds no copy
    this.clientOwners.release(deviceOf(connection))
    if (connection.awarenessIds.size > 0 && !this.#closed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null)
    }
  }

  /** Applies one binary message. Throws ProtocolError when the client broke the protocol. */
  receive(connection: Connection, message: Uint8Array): void {
    if (this.#closed || connection.closed) return
    const decoder = decoding.createDecoder(message)
    const type = decode(() => decoding.readVarUint(decoder))
    switch (type) {
      case MESSAGE_SYNC:
        this.#receiveSync(connection, decoder)
        break
      case MESSAGE_AWARENESS: {
        // Read, bounded, owned and vouched for by presence.ts; only what it encodes is applied.
        const update = decode(() => decoding.readVarUint8Array(decoder))
        let reviewed: ReviewedPresence
        try {
          reviewed = reviewPresence(update, {
            connection,
            owners: this.clientOwners,
            connections: this.connections,
            awareness: this.awareness,
            identity: runPresenceIdentity(this.#hooks, connection),
          })
        } catch (error) {
          if (error instanceof PresenceRefused) {
            this.#log.info('presence refused', {
              board: this.boardId,
              connection: connection.id,
              client: error.client,
              reason: error.detail,
            })
          }
          throw error
        }
        if (reviewed.ignored.length > 0) {
          const clients = reviewed.ignored.slice(0, 16)
          const reason = 'presence of another connection'
          this.#log.info('presence refused', {
            board: this.boardId,
            connection: connection.id,
            clients,
            reason,
          })
          this.#queue.send(
            this,
            connection,
            noticeMessage({ kind: 'presence-refused', clients, reason }),
          )
        }
        if (!reviewed.update) break
        // Stored with this turn, before anyone is sent the presence.
        this.#queue.addClaims(this, this.clientOwners.takeFresh())
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, reviewed.update, connection)
        } catch {
          throw new ProtocolError(CLOSE.invalidPayload, 'invalid awareness update')
        }
        break
      }
      case MESSAGE_QUERY_AWARENESS: {
        // Everyone's presence for one byte: charged to the connection's reply budget.
        if (!connection.replies.allows()) throw tooManySyncRequests()
        const reply = awarenessMessage(this.awareness, [...this.awareness.getStates().keys()])
        connection.replies.charge(reply.byteLength)
        this.#queue.send(this, connection, reply)
        break
      }
      case MESSAGE_BALLOT: {
        const request = decode(() => decoding.readVarString(decoder))
        this.ballots.receive(connection, request)
        break
      }
      case MESSAGE_PRIVATE_NOTE: {
        const request = decode(() => decoding.readVarString(decoder))
        this.privateNotes.receive(connection, request)
        break
      }
      case MESSAGE_ROUND: {
        const request = decode(() => decoding.readVarString(decoder))
        this.rounds.receive(connection, request)
        break
      }
      default:
        throw new ProtocolError(CLOSE.unsupportedData, `unknown message type ${type}`)
    }
  }

  /** Called by the queue once this room's updates of a turn are durable. */
  committed(seq: number): void {
    this.lastSeq = seq
    this.tailLength += 1
  }

  /** Called after the log rows `covered` were folded into a snapshot. */
  compacted(covered: number): void {
    this.tailLength = Math.max(0, this.tailLength - covered)
  }

  /** Closes every connection of the room. */
  disconnectAll(code: number, reason: string): void {
    for (const connection of this.connections) connection.close(code, reason)
    this.connections.clear()
  }

  /** Closes the connections and frees the document; the room is unusable afterwards. */
  close(code: number, reason: string): void {
    if (this.#closed) return
    this.disconnectAll(code, reason)
    this.#closed = true
    this.retired = true
    this.doc.off('update', this.#onUpdate)
    this.doc.off('update', this.#forgetWholeState)
    this.#wholeState = null
    this.awareness.off('update', this.#onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }

  #receiveSync(connection: Connection, decoder: decoding.Decoder): void {
    const step = decode(() => decoding.readVarUint(decoder))
    switch (step) {
      case SYNC_STEP1: {
        const stateVector = decode(() => decoding.readVarUint8Array(decoder))
        // Up to the whole board for a few bytes: charged to the connection's reply budget.
        if (!connection.replies.allows()) throw tooManySyncRequests()
        let reply: Uint8Array
        try {
          reply = holdsNothing(stateVector)
            ? this.#wholeStateReply()
            : syncStep2Message(this.doc, stateVector)
        } catch {
          throw new ProtocolError(CLOSE.invalidPayload, 'invalid state vector')
        }
        connection.replies.charge(reply.byteLength)
        this.#queue.send(this, connection, reply)
        break
      }
      case SYNC_STEP2:
      case SYNC_UPDATE: {
        const update = decode(() => decoding.readVarUint8Array(decoder))
        const refusal = runBeforeApplyUpdate(this.#hooks, { connection, doc: this.doc, update })
        if (refusal) throw new ProtocolError(refusal.code, refusal.reason)
        this.#applyReviewed(connection, update)
        break
      }
      default:
        throw new ProtocolError(CLOSE.unsupportedData, `unknown sync message type ${step}`)
    }
  }

  /**
   * Reads a client's update in full, lets the hooks judge what it would change, and only then
   * touches the document (see writeReview.ts). An update that does not read, builds on what the
   * board does not have, or uses another device's client ids changes nothing and closes the
   * connection. A refused one is applied as its skeleton (empty ranges under the sender's own
   * client ids, no deletions), so the sender's later changes still fit; a view link's is not
   * applied at all.
   */
  #applyReviewed(connection: Connection, update: Uint8Array): void {
    const device = deviceOf(connection)
    const owners = this.clientOwners
    // A view link: every update that would change anything is refused whole, however it reads.
    const gate = runMayChange(this.#hooks, connection)
    let incoming: IncomingUpdate
    let refusal: WriteRefusal | undefined
    try {
      incoming = readIncomingUpdate(this.doc, this.#board.records, update, (client) => {
        const owner = owners.ownerOf(client)
        return owner === undefined || owner === device
      })
      if (!incoming.changes) return
      refusal =
        gate ?? runReviewWrites(this.#hooks, { connection, doc: this.doc, writes: incoming.writes })
    } catch (error) {
      if (error instanceof ProtocolError) throw error
      if (!(error instanceof UnreadableUpdate)) {
        this.#log.warn('update review failed', { board: this.boardId, error })
        throw new ProtocolError(CLOSE.invalidPayload, 'invalid update')
      }
      this.#metrics?.rejectedUpdate(error.kind)
      this.#log.info('update refused', {
        board: this.boardId,
        connection: connection.id,
        code: error.kind,
        reason: error.message,
      })
      if (gate && error.kind === 'unknown-dependency') {
        // A view link's later tries build on its earlier, unapplied ones: still just read-only.
        this.#refused(connection, gate)
        return
      }
      if (error.kind === 'foreign-client') {
        this.#notify(connection, 'foreign-client')
        throw new ProtocolError(CLOSE.policyViolation, 'client id belongs to another device')
      }
      throw new ProtocolError(
        CLOSE.invalidPayload,
        error.kind === 'unknown-dependency'
          ? 'update depends on changes the server does not have'
          : 'invalid update',
      )
    }
    if (gate) {
      // Not applied at all, not even as empty ranges: a view link writes nothing.
      this.#refused(connection, gate)
      return
    }
    this.#integrate(connection, refusal ? incoming.skeleton() : update)
    for (const client of incoming.clients) owners.claim(client, device)
    this.#queue.addClaims(this, owners.takeFresh())
    if (refusal) this.#refused(connection, refusal)
    // A facilitator's reveal: the outcome follows at once, as the server's own change.
    else {
      if (incoming.writes.some((write) => write.root === VOTES)) this.ballots.recordRevealed()
      if (incoming.writes.some((write) => write.root === ROUNDS)) this.rounds.recordRevealed()
      // A merge deletes the notes it takes in: their dots follow the rule (BallotDesk).
      if (incoming.writes.some((write) => write.root === RECORDS && write.after === undefined))
        this.ballots.carryMerged()
    }
  }

  /** Sync step 2 with the whole document: the one kept, else encoded now and kept. */
  #wholeStateReply(): Uint8Array {
    this.#wholeState ??= syncStep2Message(this.doc, EMPTY_STATE_VECTOR)
    return this.#wholeState
  }

  #forgetWholeState = (): void => {
    this.#wholeState = null
  }

  /** Applies an update that was read and judged; Yjs must find nothing missing in it. */
  #integrate(connection: Connection, update: Uint8Array): void {
    const store = this.doc.store
    const hadPending = store.pendingStructs !== null || store.pendingDs !== null
    let incomplete = false
    try {
      this.doc.transact(() => {
        Y.applyUpdate(this.doc, update, connection)
        if (!hadPending && (store.pendingStructs !== null || store.pendingDs !== null)) {
          // The reading found every dependency; this would be a Yjs case it does not model.
          store.pendingStructs = null
          store.pendingDs = null
          incomplete = true
        }
      }, connection)
    } catch (error) {
      this.#log.error('applying a reviewed update failed', { board: this.boardId, error })
      throw new ProtocolError(CLOSE.invalidPayload, 'invalid update')
    }
    if (incomplete) {
      throw new ProtocolError(
        CLOSE.invalidPayload,
        'update depends on changes the server does not have',
      )
    }
  }

  #refused(connection: Connection, refusal: WriteRefusal): void {
    connection.refusals += 1
    this.#metrics?.rejectedUpdate(refusal.code)
    this.#log.info('update refused', {
      board: this.boardId,
      connection: connection.id,
      code: refusal.code,
      reason: refusal.message,
      count: connection.refusals,
    })
    this.#notify(connection, refusal.code)
    if (refusal.code === 'read-only' && connection.refusals >= READ_ONLY_STRIKES) {
      throw new ProtocolError(CLOSE.linkRefused, 'this link can only view the board')
    }
  }

  /**
   * Tells the sender its change was refused. Its own copy still holds what the board refused, so
   * it is told to load the board afresh (`resync`): that is how it loses exactly the refused
   * changes and nothing else (the server does not write the refused entries' old values again:
   * that would make refusing cost more than the refused update).
   */
  #notify(connection: Connection, code: WriteRefusalCode): void {
    this.#queue.send(
      this,
      connection,
      noticeMessage({ kind: 'write-refused', code, count: connection.refusals, resync: true }),
    )
  }

  /**
   * Every change of the doc (from a client, a seed repair, a hook) is persisted, then relayed to
   * everyone, its sender included (the queue merges a turn's updates into one broadcast; a
   * refused update's skeleton is how its sender takes the refused entries out of its copy).
   */
  #onUpdate = (
    update: Uint8Array,
    origin: unknown,
    _doc: Y.Doc,
    transaction: Y.Transaction,
  ): void => {
    const sender = origin instanceof Connection ? origin : null
    this.#queue.addUpdate(this, update, sender, insertedRecordKeys(this.#records, transaction))
  }

  #onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (origin instanceof Connection) {
      for (const id of [...added, ...updated]) {
        if (origin.awarenessIds.has(id)) continue
        origin.awarenessIds.add(id)
        // Taken over from another tab of the same device (a reconnect the server had not yet
        // noticed; see presence.ts): that connection's leaving must not remove it any more.
        for (const other of this.connections) if (other !== origin) other.awarenessIds.delete(id)
      }
      for (const id of removed) origin.awarenessIds.delete(id)
    }
    const message = awarenessMessage(this.awareness, [...added, ...updated, ...removed])
    for (const connection of this.connections) {
      if (connection !== origin) this.#queue.send(this, connection, message)
    }
  }
}

/**
 * The YKeyValue keys (`{ key, val }` entries of the records array) a transaction inserted:
 * walks only the structs the transaction added, not the array.
 */
export function insertedRecordKeys(
  records: Y.Array<unknown>,
  transaction: Y.Transaction,
): string[] {
  const keys: string[] = []
  const store = transaction.doc.store
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    if (after <= before) continue
    const structs = store.clients.get(client)
    if (!structs) continue
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]
      if (!struct || struct.id.clock >= after) break
      if (!(struct instanceof Y.Item) || struct.parent !== records || struct.deleted) continue
      if (!(struct.content instanceof Y.ContentAny)) continue
      for (const entry of struct.content.arr) {
        const key = (entry as { key?: unknown } | null)?.key
        if (typeof key === 'string') keys.push(key)
      }
    }
  }
  return keys
}

/** A connection past its budget of whole-state replies (see ReplyBudget in limits.ts). */
function tooManySyncRequests(): ProtocolError {
  const { code, reason } = LIMIT_CLOSE.tooManySyncRequests
  return new ProtocolError(code, reason)
}

/** lib0 throws plain errors on truncated input; they become "invalid payload" closes. */
function decode<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new ProtocolError(CLOSE.invalidPayload, 'truncated or malformed message')
  }
}
