/**
 * The wire contract of a board's sync socket, in one place for the server, the app and the tests:
 * the message types (y-websocket's, and our notice beside them), the notices, and what each close
 * code means — above all whether reconnecting can help.
 */
import type { NoteRecord, PrivateCount, PrivateNoteRefusal } from '../facilitation/privateNotes.ts'
import type { VoteRefusal } from '../vote/ballot.ts'
import type { Turnout } from '../vote/ballotBox.ts'
import type { RoundRefusal } from '../vote/round.ts'
import type { RoundMark } from '../vote/roundBox.ts'
import type { BoardRole } from './access.ts'
import type { WriteRefusalCode } from './rules.ts'

/** y-websocket's message types: sync (step 1, step 2, update) and awareness (presence). */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Ours, outside y-protocols' range: a JSON notice to one client (see `Notice`). y-websocket's
 * provider logs and skips message types it has no handler for; the app and the tests handle it.
 */
export const MESSAGE_NOTICE = 100
/**
 * Ours too: one dot more or less, from a browser to the server's ballot box (JSON, a
 * `DotRequest` of vote/ballotBox.ts). Ballots never enter the shared document.
 */
export const MESSAGE_BALLOT = 101
/**
 * Ours too: one of this person's notes in a hidden brainstorm round, put or removed (JSON, a
 * `PrivateNoteRequest` of facilitation/privateNotes.ts). Kept by the server until the reveal.
 */
export const MESSAGE_PRIVATE_NOTE = 102
/**
 * Ours too: one mark in a placement round or a consensus check (JSON, a `RoundRequest` of
 * vote/roundBox.ts). Kept by the server until the reveal, then only the aggregate is public.
 */
export const MESSAGE_ROUND = 103

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

/**
 * Every close code the server uses. Codes 4400-4499 are final: retrying cannot help (y-websocket's
 * rule), so clients stop and say why. Everything else is worth a reconnect with backoff.
 */
export const CLOSE = {
  /** Text frames, or message types we do not speak. */
  unsupportedData: 1003,
  /** A frame or update that does not decode, or builds on changes the server does not have. */
  invalidPayload: 1007,
  /** Against the rules in a way no notice can fix (e.g. another device's client id). */
  policyViolation: 1008,
  /** Bigger than MAX_FRAME_BYTES (sent by `ws` itself). */
  tooBig: 1009,
  /** The store failed or the board could not load: reconnecting loads it again. */
  internalError: 1011,
  /** The server is restarting. */
  serviceRestart: 1012,
  /** The board is full or the server has too many boards open: try again later. */
  tryAgainLater: 1013,
  /** The connection did not read what it was sent fast enough (its send buffer is full). */
  sendBufferFull: 4008,
  /** Too many messages, or too many whole-board requests, per second. */
  tooManyRequests: 4029,
  /** The board has links and none was presented. */
  linkRequired: 4401,
  /** The link's key is wrong or was replaced, or a view link kept trying to write. */
  linkRefused: 4403,
  /** No board has this id (boards are made through `POST /api/boards` only). */
  boardNotFound: 4404,
  /** The board reached its size limit: it opens, but takes no more changes. */
  boardTooLarge: 4413,
} as const

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]

/** Whether the server decided that reconnecting cannot help (4400-4499). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}

/** What the server tells one client beside the sync protocol (message type 100, JSON). */
export type Notice =
  /**
   * Sent on joining: what the connection may do, as the server sees it, and its clock; and this
   * person's own two ids (access.ts): `personId`, the one everyone sees in presence and done
   * marks, and `participantId`, the one the server keeps their ballots under (null for observers).
   */
  | {
      kind: 'welcome'
      role?: BoardRole
      participantId?: string | null
      personId?: string | null
      now?: number
    }
  | {
      kind: 'write-refused'
      code: WriteRefusalCode
      /** How many changes this connection had refused so far. */
      count: number
      /**
       * The sender's copy of the board still holds what was refused: it should load the board
       * afresh from the server (the app does, keeping nothing the server refused).
       */
      resync?: boolean
    }
  /** Presence entries for someone else's client ids were ignored. */
  | { kind: 'presence-refused'; clients: number[]; reason: string }
  /**
   * This person's own ballot in a vote, as the server keeps it: after each dot request (with
   * `refused` when the request was not allowed), and on joining for every vote not yet revealed.
   */
  | { kind: 'ballot'; sessionId: string; dots: Record<string, number>; refused?: VoteRefusal }
  /** What everyone may know of a running vote (how many voted; counts if visible). */
  | ({ kind: 'turnout' } & Turnout)
  /**
   * Every note this person keeps in the hidden round, as the server keeps them: on joining
   * while a round is hidden (an empty list too).
   */
  | { kind: 'private-notes'; round: number; notes: NoteRecord[] }
  /**
   * One private note request answered. To the tab that asked: `rev` is kept, or `refused`. To the
   * person's other tabs: the note as it is now (`record`, null when removed).
   */
  | {
      kind: 'private-note'
      round: number
      id: string
      rev: number
      record?: NoteRecord | null
      refused?: PrivateNoteRefusal
    }
  /** What everyone may know of a hidden round: how many notes, from how many people. */
  | ({ kind: 'private-count' } & PrivateCount)
  /**
   * This person's own marks in a placement round or consensus check, as the server keeps them:
   * after each request (with `refused` when it was not allowed), and on joining for every round
   * not yet revealed.
   */
  | {
      kind: 'round-ballot'
      roundId: string
      marks: Record<string, RoundMark>
      refused?: RoundRefusal
    }
  /** What everyone may know of a running round: how many people have given marks. */
  | { kind: 'round-turnout'; roundId: string; voters: number }

const NOTICE_KINDS = new Set([
  'welcome',
  'write-refused',
  'presence-refused',
  'ballot',
  'turnout',
  'private-notes',
  'private-note',
  'private-count',
  'round-ballot',
  'round-turnout',
])

/** A notice as received, or null when it is not one this version knows. */
export function readNotice(json: string): Notice | null {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const kind = (value as { kind?: unknown }).kind
  return NOTICE_KINDS.has(kind as string) ? (value as Notice) : null
}
