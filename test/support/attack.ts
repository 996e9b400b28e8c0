/**
 * Hostile clients for the adversarial suite (`integration/attacks.test.ts`): y-websocket frames
 * built by hand, Yjs updates no honest client would produce, and a raw attacker socket that
 * records everything the server answers (notices, the close code, how many bytes it was sent).
 *
 * Everything here speaks the public wire protocol only (README, "Public contract"): nothing is
 * imported from the server, so the tests keep checking the contract while the server changes.
 */
import type { Socket } from 'node:net'
// The message types (y-websocket's, and ours, 100: a JSON notice) are the wire contract's in
// shared, where the server and the app read them too; nothing comes from the server itself.
import {
  MESSAGE_AWARENESS,
  MESSAGE_NOTICE,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { type Closed, openSocket } from './socket.ts'

/** A notice the server sent (message type 100). */
export interface Notice {
  kind: string
  code?: string
  [field: string]: unknown
}

/** `varUint messageType`, then each part: a number as varUint, bytes as varUint8Array. */
export function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part)
    else encoding.writeVarUint8Array(encoder, part)
  }
  return encoding.toUint8Array(encoder)
}

/** An empty state vector ("I have nothing"): asks the server for the whole board. */
export const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/**
 * Sync step 1: "here is what I have, send me the rest". With the empty state vector it is 4 bytes
 * that make the server send the whole board back, the cheapest read amplification there is.
 */
export function syncStep1Frame(stateVector: Uint8Array = EMPTY_STATE_VECTOR): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP1, stateVector)
}

/** A sync update carrying `update` (what y-websocket sends for every local change). */
export function syncUpdateFrame(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_UPDATE, update)
}

/** Sync step 2, the reply to a step 1; servers apply it exactly like an update. */
export function syncStep2Frame(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP2, update)
}

/** "Send me everyone's presence": one byte, answered with every presence state of the board. */
export function queryAwarenessFrame(): Uint8Array {
  return frame(MESSAGE_QUERY_AWARENESS)
}

/**
 * One entry of an awareness update. `state` is serialised with JSON.stringify; `json` is sent as
 * it is instead (a state JSON.stringify could not produce, e.g. nested deeper than its stack).
 */
export type AwarenessEntry = { clientID: number; clock: number } & (
  | { state: unknown }
  | { json: string }
)

/** An awareness message (type 1) as y-protocols encodes it: count, then id, clock, JSON each. */
export function awarenessFrame(entries: readonly AwarenessEntry[]): Uint8Array {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(update, entry.clientID)
    encoding.writeVarUint(update, entry.clock)
    encoding.writeVarString(update, 'json' in entry ? entry.json : JSON.stringify(entry.state))
  }
  return frame(MESSAGE_AWARENESS, encoding.toUint8Array(update))
}

/**
 * The update that `change` makes to a copy of `base`: exactly that change (its own structs and
 * delete set, as one update), written under a fresh client id of its own unless `clientID`.
 * This is how an attacker forges a well-formed write on top of the board it was sent.
 */
export function updateFrom(
  base: Y.Doc,
  change: (doc: Y.Doc) => void,
  clientID?: number,
): Uint8Array {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  change(doc)
  doc.destroy()
  const [only] = updates
  if (!only) throw new Error('the change wrote nothing')
  return updates.length === 1 ? only : Y.mergeUpdates(updates)
}

/**
 * An update holding one GC struct: `length` clocks of client `client` from `clock`, "already
 * garbage collected". Written with Yjs' own encoder the way `writeClientsStructs` and
 * `GC.write` do (structs/GC.js: info 0, then the length), followed by an empty delete set. No
 * Yjs client ever sends one under somebody else's id; a server that takes it has filled that
 * client's next clocks with nothing, so the client's real changes at those clocks are dropped as
 * already known.
 */
export function gcUpdate(client: number, clock: number, length: number): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, 1) // clients with structs
  encoding.writeVarUint(encoder.restEncoder, 1) // structs of that client
  encoder.writeClient(client)
  encoding.writeVarUint(encoder.restEncoder, clock) // first clock
  encoder.writeInfo(0) // structGCRefNumber
  encoder.writeLen(length)
  encoding.writeVarUint(encoder.restEncoder, 0) // delete set: no clients
  return encoder.toUint8Array()
}

/**
 * An update with no structs and only a delete set: "delete clocks [clock, clock + len) of
 * `client`", a few bytes that may cover any number of entries written by someone else.
 */
export function deleteSetUpdate(
  ranges: readonly { client: number; clock: number; len: number }[],
): Uint8Array {
  const byClient = new Map<number, { clock: number; len: number }[]>()
  for (const { client, clock, len } of ranges) {
    const list = byClient.get(client) ?? []
    list.push({ clock, len })
    byClient.set(client, list)
  }
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, 0) // no structs
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of byClient) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, list.length)
    for (const { clock, len } of list) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

/** What the server made of a message: it closed the connection, or it answered (refusing or not). */
export interface Answer {
  closed: Closed | null
  /** The `write-refused` notices received so far. */
  refusals: Notice[]
}

export interface AttackerOptions {
  /**
   * Apply what the server sends to `doc` (default). Off for floods, where decoding hundreds of
   * whole-board replies would only slow the test down.
   */
  track?: boolean
  /** Passed to `ws` (e.g. `autoPong: false` for a peer that never answers pings). */
  ws?: WebSocket.ClientOptions
}

/**
 * A raw WebSocket on a board that sends whatever it is told to and records the answers. Its
 * `doc` follows the board as the server sends it, so forged updates can be built on top of it.
 */
export class Attacker {
  readonly ws: WebSocket
  /** The board as the server sent it (sync replies and broadcasts), unless `track: false`. */
  readonly doc = new Y.Doc()
  /** Every presence state the server sent, by awareness client id (null: removed). */
  readonly presence = new Map<number, { clock: number; state: unknown }>()
  /** Every notice (type 100), oldest first. */
  readonly notices: Notice[] = []
  /** Bytes of every frame the server sent. */
  bytesReceived = 0
  closed: Closed | null = null
  readonly whenClosed: Promise<Closed>
  #track: boolean
  #replies = 0
  #waiters = new Set<() => void>()

  constructor(ws: WebSocket, options: AttackerOptions = {}) {
    this.ws = ws
    this.#track = options.track ?? true
    this.whenClosed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closed = { code, reason: reason.toString() }
        resolve(this.closed)
        this.#wake()
      })
    })
    ws.on('error', () => {
      // A refused or cut connection also emits 'close', which is what the tests read.
    })
    ws.on('message', (data: WebSocket.RawData) => {
      const bytes = bytesOf(data)
      this.bytesReceived += bytes.byteLength
      try {
        this.#read(bytes)
      } catch {
        // Whatever the server sends is the server's business; the tests read what decoded.
      }
      this.#wake()
    })
  }

  /** The write-refused notices so far. */
  get refusals(): Notice[] {
    return this.notices.filter((notice) => notice.kind === 'write-refused')
  }

  /** The TCP socket under the WebSocket: `pause()` it to stop reading (a peer that never reads). */
  get tcp(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket
  }

  get open(): boolean {
    return this.closed === null && this.ws.readyState === WebSocket.OPEN
  }

  send(data: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data)
  }

  /**
   * Sends sync step 1 with what `doc` holds and waits for the server's step 2 (or the close).
   * Because the server handles one connection's messages in order, the reply also proves that
   * everything sent before it was handled, and anything it answered to them arrived first.
   */
  async roundTrip(timeoutMs = 15_000): Promise<void> {
    // Closing (or closed): what counts is the close, which may not have arrived yet.
    if (!this.open) return this.until(() => this.closed !== null, timeoutMs, 'the close')
    const seen = this.#replies
    this.send(syncStep1Frame(this.#track ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR))
    await this.until(() => this.#replies > seen || this.closed !== null, timeoutMs, 'a sync reply')
  }

  /** Sends `data`, then waits until the server has handled it (see `roundTrip`). */
  async sendAndWait(data: Uint8Array): Promise<Answer> {
    this.send(data)
    await this.roundTrip()
    return this.answer()
  }

  answer(): Answer {
    return { closed: this.closed, refusals: this.refusals }
  }

  /** Resolves once `check()` holds (re-checked on every frame and on the close). */
  until(check: () => boolean, timeoutMs = 15_000, what = 'a condition'): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!check()) return
        clearTimeout(timer)
        this.#waiters.delete(waiter)
        resolve()
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter)
        reject(new Error(`attacker: timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      this.#waiters.add(waiter)
    })
  }

  close(): void {
    this.ws.terminate()
    this.doc.destroy()
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter()
  }

  #read(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder)
      if (step === SYNC_STEP1) return // the server asking what we have: an attacker never says
      if (step === SYNC_STEP2) this.#replies += 1
      if (this.#track) Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), 'server')
    } else if (type === MESSAGE_AWARENESS) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
      const count = decoding.readVarUint(update)
      for (let i = 0; i < count; i++) {
        const clientID = decoding.readVarUint(update)
        const clock = decoding.readVarUint(update)
        const state: unknown = JSON.parse(decoding.readVarString(update))
        this.presence.set(clientID, { clock, state })
      }
    } else if (type === MESSAGE_NOTICE) {
      this.notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice)
    }
  }
}

/**
 * Opens an attacker on `url` (a `/sync/<id>?token=…` address) once the socket is open; rejects
 * with the HTTP status when the upgrade is refused.
 */
export async function openAttacker(url: string, options: AttackerOptions = {}): Promise<Attacker> {
  let attacker: Attacker | undefined
  // The attacker listens from the socket's creation, so the first frames (step 1, welcome,
  // presence) that arrive together with the open are not missed.
  await openSocket(url, options.ws, (ws) => {
    attacker = new Attacker(ws, options)
  })
  return attacker as Attacker
}

/** A plain Uint8Array over whatever `ws` hands us. */
function bytesOf(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
