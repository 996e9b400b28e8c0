/**
 * What the processes of a cluster say to each other through Redis, encoded with lib0 (the sync
 * protocol's own encoding): a varUint kind, then its fields. Everything here comes from our own
 * processes, yet it is read as strictly as a client's frame: a message that does not decode, or
 * whose ids and numbers are out of shape, is dropped (`null`) and never half applied.
 *
 * Channels (each under the cluster's prefix, so clusters and tests sharing a Redis never meet):
 * - `board:<id>`: the owner's committed updates with their per-board sequence number, its
 *   presence changes, and its claim of the board (for the board's replicas);
 * - `process:<id>`: one process's inbox: a replica's forwarded connections (join, message,
 *   leave) to the owner, and the owner's answers to them (send, close, ack);
 * - `cluster`: news for every process (a link replaced).
 */
import {
  isBoardId,
  LINK_KINDS,
  type LinkKind,
  MESSAGE_BALLOT,
  MESSAGE_PRIVATE_NOTE,
  MESSAGE_ROUND,
  MESSAGE_SYNC,
} from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** A process id: random, lowercase hex (also in its PostgreSQL `application_name`). */
export const PROCESS_ID = /^[0-9a-f]{16}$/

/** Bytes of one forwarded frame or update at most (the largest frame a socket takes, and more). */
const MAX_DATA_BYTES = 256 * 1024 * 1024
const MAX_TEXT = 4096
/** Frames answering one forwarded message at most (a dot gets one, an update a refusal or two). */
export const MAX_ANSWERS = 64

export type BoardNews =
  /** A turn the owner committed: its per-board number and its (merged) update. */
  | { kind: 'committed'; epoch: number; boardSeq: number; update: Uint8Array }
  /** A change of the owner room's presence (a y-protocols awareness update). */
  | { kind: 'presence'; update: Uint8Array }
  /** The board's owner now (sent when it claims the board). */
  | { kind: 'owner'; epoch: number; process: string }

export type InboxMessage =
  /** A replica's socket joined the board; `identity` is what access.ts checked (JSON). */
  | { kind: 'join'; board: string; from: string; conn: number; identity: string; remote: string }
  /**
   * One of that socket's frames, numbered per connection (acks name the number). `floor`: the
   * lowest number the replica may still send again; the owner forgets what it judged below it.
   */
  | {
      kind: 'message'
      board: string
      from: string
      conn: number
      n: number
      floor: number
      data: Uint8Array
    }
  | { kind: 'leave'; board: string; from: string; conn: number }
  /** Owner to replica: send this frame to that socket. */
  | { kind: 'send'; board: string; conn: number; data: Uint8Array }
  /** Owner to replica: close that socket. */
  | { kind: 'close'; board: string; conn: number; code: number; reason: string }
  /**
   * Owner to replica: the connection's message `n` is judged and durable, and `answers` are the
   * frames the room answered it with (a ballot, a refusal), delivered once, with the ack.
   */
  | { kind: 'ack'; board: string; conn: number; n: number; answers: Uint8Array[] }
  /**
   * The server's own change to a board (closing it, a restore) made on a process that does not
   * own it: computed there on the committed board, applied and committed by the owner.
   */
  | {
      kind: 'change'
      board: string
      from: string
      request: number
      change: string
      update: Uint8Array
    }
  /** The owner's answer to a change: committed, not stored, or not the owner (ask again). */
  | { kind: 'changed'; board: string; request: number; outcome: ChangeOutcome }

/**
 * Whether a forwarded frame of this message type is sent again until the owner acknowledges it:
 * everything that changes something (updates, dots, private notes, round marks). Presence is not: the next
 * presence frame says it all again.
 */
export function isAcknowledged(type: number | undefined): boolean {
  return (
    type === MESSAGE_SYNC ||
    type === MESSAGE_BALLOT ||
    type === MESSAGE_PRIVATE_NOTE ||
    type === MESSAGE_ROUND
  )
}

export const CHANGE_OUTCOMES = ['committed', 'not-stored', 'moved'] as const
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number]

export type ClusterNews = { kind: 'link-replaced'; board: string; link: LinkKind }

const BOARD_KINDS = ['committed', 'presence', 'owner'] as const
const INBOX_KINDS = [
  'join',
  'message',
  'leave',
  'send',
  'close',
  'ack',
  'change',
  'changed',
] as const

export function encodeBoardNews(news: BoardNews): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, BOARD_KINDS.indexOf(news.kind))
  switch (news.kind) {
    case 'committed':
      encoding.writeVarUint(encoder, news.epoch)
      encoding.writeVarUint(encoder, news.boardSeq)
      encoding.writeVarUint8Array(encoder, news.update)
      break
    case 'presence':
      encoding.writeVarUint8Array(encoder, news.update)
      break
    case 'owner':
      encoding.writeVarUint(encoder, news.epoch)
      encoding.writeVarString(encoder, news.process)
      break
  }
  return encoding.toUint8Array(encoder)
}

export function decodeBoardNews(data: Uint8Array): BoardNews | null {
  return read(data, (decoder) => {
    const kind = BOARD_KINDS[decoding.readVarUint(decoder)]
    switch (kind) {
      case 'committed': {
        const epoch = count(decoder)
        const boardSeq = count(decoder)
        return { kind, epoch, boardSeq, update: bytes(decoder) }
      }
      case 'presence':
        return { kind, update: bytes(decoder) }
      case 'owner': {
        const epoch = count(decoder)
        return { kind, epoch, process: processId(decoder) }
      }
      default:
        return null
    }
  })
}

export function encodeInbox(message: InboxMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, INBOX_KINDS.indexOf(message.kind))
  encoding.writeVarString(encoder, message.board)
  switch (message.kind) {
    case 'join':
      encoding.writeVarString(encoder, message.from)
      encoding.writeVarUint(encoder, message.conn)
      encoding.writeVarString(encoder, message.identity)
      encoding.writeVarString(encoder, message.remote)
      break
    case 'message':
      encoding.writeVarString(encoder, message.from)
      encoding.writeVarUint(encoder, message.conn)
      encoding.writeVarUint(encoder, message.n)
      encoding.writeVarUint(encoder, message.floor)
      encoding.writeVarUint8Array(encoder, message.data)
      break
    case 'leave':
      encoding.writeVarString(encoder, message.from)
      encoding.writeVarUint(encoder, message.conn)
      break
    case 'send':
      encoding.writeVarUint(encoder, message.conn)
      encoding.writeVarUint8Array(encoder, message.data)
      break
    case 'close':
      encoding.writeVarUint(encoder, message.conn)
      encoding.writeVarUint(encoder, message.code)
      encoding.writeVarString(encoder, message.reason)
      break
    case 'ack':
      encoding.writeVarUint(encoder, message.conn)
      encoding.writeVarUint(encoder, message.n)
      encoding.writeVarUint(encoder, message.answers.length)
      for (const answer of message.answers) encoding.writeVarUint8Array(encoder, answer)
      break
    case 'change':
      encoding.writeVarString(encoder, message.from)
      encoding.writeVarUint(encoder, message.request)
      encoding.writeVarString(encoder, message.change)
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'changed':
      encoding.writeVarUint(encoder, message.request)
      encoding.writeVarUint(encoder, CHANGE_OUTCOMES.indexOf(message.outcome))
      break
  }
  return encoding.toUint8Array(encoder)
}

export function decodeInbox(data: Uint8Array): InboxMessage | null {
  return read(data, (decoder): InboxMessage | null => {
    const kind = INBOX_KINDS[decoding.readVarUint(decoder)]
    if (!kind) return null
    const board = decoding.readVarString(decoder)
    if (!isBoardId(board)) return null
    switch (kind) {
      case 'join': {
        const from = processId(decoder)
        const conn = count(decoder)
        const identity = text(decoder)
        return { kind, board, from, conn, identity, remote: text(decoder) }
      }
      case 'message': {
        const from = processId(decoder)
        const conn = count(decoder)
        const n = count(decoder)
        const floor = count(decoder)
        return { kind, board, from, conn, n, floor, data: bytes(decoder) }
      }
      case 'leave': {
        const from = processId(decoder)
        return { kind, board, from, conn: count(decoder) }
      }
      case 'send': {
        const conn = count(decoder)
        return { kind, board, conn, data: bytes(decoder) }
      }
      case 'close': {
        const conn = count(decoder)
        const code = count(decoder)
        if (code < 1000 || code > 4999) return null
        return { kind, board, conn, code, reason: text(decoder) }
      }
      case 'ack': {
        const conn = count(decoder)
        const n = count(decoder)
        const length = count(decoder)
        if (length > MAX_ANSWERS) return null
        const answers: Uint8Array[] = []
        for (let i = 0; i < length; i++) answers.push(bytes(decoder))
        return { kind, board, conn, n, answers }
      }
      case 'change': {
        const from = processId(decoder)
        const request = count(decoder)
        const change = text(decoder)
        return { kind, board, from, request, change, update: bytes(decoder) }
      }
      case 'changed': {
        const request = count(decoder)
        const outcome = CHANGE_OUTCOMES[decoding.readVarUint(decoder)]
        return outcome ? { kind, board, request, outcome } : null
      }
    }
  })
}

export function encodeClusterNews(news: ClusterNews): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarString(encoder, news.board)
  encoding.writeVarString(encoder, news.link)
  return encoding.toUint8Array(encoder)
}

export function decodeClusterNews(data: Uint8Array): ClusterNews | null {
  return read(data, (decoder) => {
    if (decoding.readVarUint(decoder) !== 0) return null
    const board = decoding.readVarString(decoder)
    const link = decoding.readVarString(decoder) as LinkKind
    return isBoardId(board) && LINK_KINDS.includes(link)
      ? { kind: 'link-replaced', board, link }
      : null
  })
}

/** Runs `decode` over the whole of `data`: anything that throws, or is left over, is null. */
function read<T>(data: Uint8Array, decode: (decoder: decoding.Decoder) => T | null): T | null {
  try {
    const decoder = decoding.createDecoder(data)
    const value = decode(decoder)
    return value !== null && !decoding.hasContent(decoder) ? value : null
  } catch {
    return null
  }
}

function count(decoder: decoding.Decoder): number {
  const value = decoding.readVarUint(decoder)
  if (!Number.isSafeInteger(value)) throw new RangeError('number out of range')
  return value
}

function bytes(decoder: decoding.Decoder): Uint8Array {
  const value = decoding.readVarUint8Array(decoder)
  if (value.byteLength > MAX_DATA_BYTES) throw new RangeError('too many bytes')
  return value
}

function text(decoder: decoding.Decoder): string {
  const value = decoding.readVarString(decoder)
  if (value.length > MAX_TEXT) throw new RangeError('text too long')
  return value
}

function processId(decoder: decoding.Decoder): string {
  const value = decoding.readVarString(decoder)
  if (!PROCESS_ID.test(value)) throw new RangeError('not a process id')
  return value
}
