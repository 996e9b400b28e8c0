/**
 * Encoding the y-websocket wire protocol (what `WebsocketProvider` from y-websocket speaks): every
 * binary frame is `varUint messageType` followed by its body, encoded with lib0. The message types,
 * notices and close codes themselves are shared with the app (`shared/src/board/wire.ts`).
 */
import {
  MESSAGE_AWARENESS,
  MESSAGE_NOTICE,
  MESSAGE_SYNC,
  type Notice,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '@common-ground/shared/board'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'

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
  return syncStep2OfUpdate(Y.encodeStateAsUpdate(doc, stateVector))
}

/** Sync step 2 carrying `update` (what the asker lacks, already encoded). */
export function syncStep2OfUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** Whether a state vector says its sender has nothing (a new device, an emptied copy). */
export function holdsNothing(stateVector: Uint8Array): boolean {
  for (const clock of Y.decodeStateVector(stateVector).values()) if (clock > 0) return false
  return true
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

export function noticeMessage(notice: Notice): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_NOTICE)
  encoding.writeVarString(encoder, JSON.stringify(notice))
  return encoding.toUint8Array(encoder)
}
