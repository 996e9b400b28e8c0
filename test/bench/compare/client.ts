/**
 * The one Node Yjs client every server is driven with: a Y.Doc with the board layout
 * (`openBoardDoc`), synced over `ws` with the y-websocket sync protocol (step 1, step 2, update;
 * y-protocols' own reader). For Hocuspocus the same messages carry its framing: the document name
 * before each message and a token message first, as its provider sends them. Presence is left out
 * (it is the same for every server and measured by the browser suite). Counts received bytes.
 *
 * A "light" client (`observe: false`) is a full writer but stops applying remote updates once
 * synced: it only counts them. Applying a note update costs ~80 µs in Node, so 200 full clients
 * at 1 edit/s each would need 3+ CPU-seconds per second on the client side alone and the bench
 * would measure its own clients; the server's work is the same either way.
 */
import { type BoardDoc, openBoardDoc } from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Dialect } from './servers.ts'

const MESSAGE_SYNC = 0
const HOCUSPOCUS_AUTH = 2
const HOCUSPOCUS_SYNC_REPLY = 4

export class BenchClient {
  readonly doc = new Y.Doc()
  readonly board: BoardDoc = openBoardDoc(this.doc)
  readonly synced: Promise<void>
  bytesIn = 0
  messagesIn = 0
  /** When the answer to our sync step 1 arrived (performance.now()), before it was applied. */
  answeredAt: number | null = null
  #ws: WebSocket
  #dialect: Dialect
  #name: string
  #closed = false
  #synced = false

  constructor(
    wsUrl: string,
    room: string,
    dialect: Dialect,
    {
      observe = true,
      timeoutMs = 30_000,
      onMessage,
    }: {
      observe?: boolean
      timeoutMs?: number
      /** Sees every message's raw bytes as it arrives, before anything else reads it. */
      onMessage?: (data: Buffer, arrived: number) => void
    } = {},
  ) {
    this.#dialect = dialect
    this.#name = room
    const url =
      dialect === 'ours'
        ? `${wsUrl}/sync/${room}`
        : dialect === 'y-websocket'
          ? `${wsUrl}/${room}`
          : `${wsUrl}/`
    this.#ws = new WebSocket(url, { perMessageDeflate: false })
    this.#ws.binaryType = 'nodebuffer'
    let markSynced = () => {}
    let fail = (_error: Error) => {}
    this.synced = new Promise<void>((resolve, reject) => {
      markSynced = resolve
      fail = reject
    })
    const timer = setTimeout(() => fail(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs)
    void this.synced.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    )
    this.#ws.on('open', () => {
      if (dialect === 'hocuspocus') {
        this.#send((encoder) => {
          encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH)
          encoding.writeVarUint(encoder, 0) // token
          encoding.writeVarString(encoder, '')
        })
      }
      this.#send((encoder) => {
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        syncProtocol.writeSyncStep1(encoder, this.doc)
      })
    })
    this.#ws.on('message', (data: Buffer) => {
      const arrived = performance.now()
      onMessage?.(data, arrived)
      this.bytesIn += data.byteLength
      this.messagesIn += 1
      const decoder = decoding.createDecoder(data)
      if (dialect === 'hocuspocus') decoding.readVarString(decoder)
      const type = decoding.readVarUint(decoder)
      if (type !== MESSAGE_SYNC && !(dialect === 'hocuspocus' && type === HOCUSPOCUS_SYNC_REPLY)) {
        return // presence, auth answers, sync status: not measured here
      }
      if (!observe && this.#synced) {
        // Light client: count updates, answer nothing (updates need no answer).
        const step = decoding.readVarUint(decoder)
        if (step !== syncProtocol.messageYjsSyncStep1) return
        decoder.pos = 0
        if (dialect === 'hocuspocus') decoding.readVarString(decoder)
        decoding.readVarUint(decoder)
      }
      const encoder = this.#encoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      const before = encoding.length(encoder)
      const step = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
      if (step === syncProtocol.messageYjsSyncStep2) {
        this.answeredAt ??= arrived
        this.#synced = true
        markSynced()
      }
      if (encoding.length(encoder) > before) this.#ws.send(encoding.toUint8Array(encoder))
    })
    this.#ws.on('error', (error) => fail(error))
    this.#ws.on('close', () => fail(new Error('closed before synced')))
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return
      this.#send((encoder) => {
        encoding.writeVarUint(encoder, MESSAGE_SYNC)
        syncProtocol.writeUpdate(encoder, update)
      })
    })
  }

  /** Bytes of the whole document as an update (doc size). */
  docBytes(): number {
    return Y.encodeStateAsUpdate(this.doc).byteLength
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#ws.terminate()
    this.doc.destroy()
  }

  #encoder(): encoding.Encoder {
    const encoder = encoding.createEncoder()
    if (this.#dialect === 'hocuspocus') encoding.writeVarString(encoder, this.#name)
    return encoder
  }

  #send(write: (encoder: encoding.Encoder) => void): void {
    if (this.#closed || this.#ws.readyState !== WebSocket.OPEN) return
    const encoder = this.#encoder()
    write(encoder)
    this.#ws.send(encoding.toUint8Array(encoder))
  }
}
