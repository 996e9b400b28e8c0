/**
 * The y-websocket wire protocol (what `WebsocketProvider` from y-websocket speaks): every binary
 * frame is `varUint messageType` followed by its body, encoded with lib0.
 */
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Ours, outside y-protocols' range: a JSON notice to one client (e.g. "your change was refused").
 * y-websocket's provider logs and skips message types it has no handler for; ours handles it.
 */
export const MESSAGE_NOTICE = 100

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

/** WebSocket close codes the server uses, in one place so clients and tests can rely on them. */
export const CLOSE = {
  /** Data frames that are text instead of binary, or message types we do not speak. */
  unsupportedData: 1003,
  /** A frame that does not decode, or an update Yjs refuses. */
  invalidPayload: 1007,
  /** A hook refused what the client sent. */
  policyViolation: 1008,
  /** Bigger than MAX_FRAME_BYTES (sent by `ws` itself through `maxPayload`). */
  tooBig: 1009,
  /** The store failed or the room could not load: reconnecting reloads from the store. */
  internalError: 1011,
  /** Graceful shutdown. */
  serviceRestart: 1012,
  /** A view link kept sending changes after being told it cannot (permanent: no retries). */
  readOnly: 4403,
} as const

/** What the client sent breaks the protocol; the connection is closed with `code`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
  readonly code: number
  constructor(code: number, message: string) {
    super(message)
    this.code = code
  }
}

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP1)
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
  return encoding.toUint8Array(encoder)
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP2)
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector))
  return encoding.toUint8Array(encoder)
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_UPDATE)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

export function awarenessMessage(
  awareness: awarenessProtocol.Awareness,
  clients: readonly number[],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(
    encoder,
    awarenessProtocol.encodeAwarenessUpdate(awareness, [...clients]),
  )
  return encoding.toUint8Array(encoder)
}

/** What a notice says; `kind` selects the client's translated sentence. */
export type Notice =
  | {
      kind: 'write-refused'
      code: string
      /** How many changes this connection had refused so far. */
      count: number
      /**
       * The sender's copy of the board still holds what was refused: it should load the board
       * afresh from the server (the client does, keeping nothing the server refused).
       */
      resync?: boolean
    }
  /** Sent on joining: what the connection may do, as the server sees it. */
  | { kind: 'welcome'; [detail: string]: unknown }
  /**
   * The connection said that someone else's presence had left (client ids it does not own):
   * not applied. y-websocket does so when its own timer gave up on a peer first; clients may
   * ignore this notice.
   */
  | { kind: 'presence-refused'; clients: number[]; reason: string }

export function noticeMessage(notice: Notice): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_NOTICE)
  encoding.writeVarString(encoder, JSON.stringify(notice))
  return encoding.toUint8Array(encoder)
}
