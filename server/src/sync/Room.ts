/**
 * One loaded board: its Y.Doc, the awareness (presence) of its clients, and their connections.
 * Incoming messages are applied here; everything outgoing goes through the commit queue so it is
 * sent only after the updates it may contain are durable.
 */
import { BOARD_MAPS, openBoardDoc, RECORDS, type WriteRefusal } from '@common-ground/shared'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import type { CommitQueue } from './CommitQueue.ts'
import { Connection } from './Connection.ts'
import { runBeforeApplyUpdate, runReviewWrites, type SyncHooks } from './hooks.ts'
import {
  awarenessMessage,
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  noticeMessage,
  ProtocolError,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  syncStep1Message,
  syncStep2Message,
} from './protocol.ts'
import { effectsOf, revertEffects } from './writeReview.ts'

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
  #queue: CommitQueue<Room>
  #hooks: readonly SyncHooks[]
  #log: Logger
  #metrics: Metrics | undefined
  #closed = false
  /** The board's records array (YKeyValue entries), for the keys each update inserts. */
  #records: Y.Array<unknown>
  /** Transactions whose update was refused and reverted in place: the sender must get them too. */
  #reverted = new WeakSet<Y.Transaction>()

  constructor(options: RoomOptions) {
    this.boardId = options.boardId
    this.doc = options.doc
    this.lastSeq = options.lastSeq
    this.tailLength = options.tailLength
    this.#queue = options.queue
    this.#hooks = options.hooks
    this.#log = options.log
    this.#metrics = options.metrics
    this.#records = this.doc.getArray(RECORDS)
    // Our own YKeyValue, tidying duplicates exactly as every client does: the review reads the
    // records' values from before an update out of it.
    openBoardDoc(this.doc)
    // Typed before any update arrives, so an update cannot turn a board map into another type.
    for (const name of BOARD_MAPS) this.doc.getMap(name)
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
    const present = [...this.awareness.getStates().keys()]
    if (present.length > 0) {
      this.#queue.send(this, connection, awarenessMessage(this.awareness, present))
    }
  }

  /** Forgets a connection and the presence it announced (everyone else is told). */
  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return
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
        const update = decode(() => decoding.readVarUint8Array(decoder))
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection)
        } catch {
          throw new ProtocolError(CLOSE.invalidPayload, 'invalid awareness update')
        }
        break
      }
      case MESSAGE_QUERY_AWARENESS:
        this.#queue.send(
          this,
          connection,
          awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]),
        )
        break
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
    this.awareness.off('update', this.#onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }

  #receiveSync(connection: Connection, decoder: decoding.Decoder): void {
    const step = decode(() => decoding.readVarUint(decoder))
    switch (step) {
      case SYNC_STEP1: {
        const stateVector = decode(() => decoding.readVarUint8Array(decoder))
        let reply: Uint8Array
        try {
          reply = syncStep2Message(this.doc, stateVector)
        } catch {
          throw new ProtocolError(CLOSE.invalidPayload, 'invalid state vector')
        }
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
   * Applies a client's update and lets the hooks judge what it changed, all in one transaction:
   * a refused update is reverted before the transaction ends, so its values are never stored
   * and never sent to anyone (see writeReview.ts).
   */
  #applyReviewed(connection: Connection, update: Uint8Array): void {
    const store = this.doc.store
    const hadPending = store.pendingStructs !== null || store.pendingDs !== null
    let refusal: WriteRefusal | undefined
    let dependsOnUnknown = false
    try {
      this.doc.transact((transaction) => {
        Y.applyUpdate(this.doc, update, connection)
        if (!hadPending && (store.pendingStructs !== null || store.pendingDs !== null)) {
          // Built on changes the server never received: a client that has them sends them with
          // its next sync, so close and let it resync rather than hold half an update.
          store.pendingStructs = null
          store.pendingDs = null
          dependsOnUnknown = true
        }
        const effects = effectsOf(transaction, openBoardDoc(this.doc).records)
        if (effects.writes.length === 0) return
        refusal = runReviewWrites(this.#hooks, {
          connection,
          doc: this.doc,
          writes: effects.writes,
        })
        if (refusal) {
          // applyUpdate marked the transaction remote; the revert is the server's own writing,
          // and Yjs would otherwise take our new items for a clash and change our client id.
          transaction.local = true
          revertEffects(transaction, effects)
          this.#reverted.add(transaction)
        }
      }, connection)
    } catch (error) {
      if (error instanceof ProtocolError) throw error
      this.#log.debug('update refused by yjs', { board: this.boardId, error })
      throw new ProtocolError(CLOSE.invalidPayload, 'invalid update')
    }
    if (refusal) this.#refused(connection, refusal)
    if (dependsOnUnknown) {
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
    this.#queue.send(
      this,
      connection,
      noticeMessage({ kind: 'write-refused', code: refusal.code, count: connection.refusals }),
    )
    if (refusal.code === 'read-only' && connection.refusals >= READ_ONLY_STRIKES) {
      throw new ProtocolError(CLOSE.readOnly, 'this link can only view the board')
    }
  }

  /**
   * Every change of the doc (from a client, a seed repair, a hook) is persisted, then relayed to
   * everyone but its sender (the queue merges a turn's updates into one broadcast).
   */
  #onUpdate = (
    update: Uint8Array,
    origin: unknown,
    _doc: Y.Doc,
    transaction: Y.Transaction,
  ): void => {
    // A reverted update goes to its sender too: the revert is news to it.
    const sender = origin instanceof Connection && !this.#reverted.has(transaction) ? origin : null
    this.#queue.addUpdate(this, update, sender, insertedRecordKeys(this.#records, transaction))
  }

  #onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (origin instanceof Connection) {
      for (const id of added) origin.awarenessIds.add(id)
      for (const id of updated) origin.awarenessIds.add(id)
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

/** lib0 throws plain errors on truncated input; they become "invalid payload" closes. */
function decode<T>(read: () => T): T {
  try {
    return read()
  } catch {
    throw new ProtocolError(CLOSE.invalidPayload, 'truncated or malformed message')
  }
}
