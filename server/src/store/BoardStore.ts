/**
 * Where boards live between restarts. The interface is asynchronous although the default SQLite
 * store is not, so a networked store (PostgreSQL) can implement it without changing the rooms.
 *
 * A board's document is kept as an optional snapshot plus a log of Yjs updates appended after it;
 * loading applies both, compaction folds the log into a new snapshot.
 */
import type { BoardTemplate, LinkKind, ShareLinkKind } from '@common-ground/shared/board'
import type { NoteRecord } from '@common-ground/shared/facilitation'
import type { Ballot, RoundBallot } from '@common-ground/shared/vote'

/** The row the HTTP API answers from; the document's own `meta` map holds the same values. */
export interface BoardRecord {
  id: string
  title: string
  template: BoardTemplate
  /** Milliseconds since the epoch, as in the document's `meta.createdAt`. */
  createdAt: number
}

export interface PendingUpdate {
  boardId: string
  update: Uint8Array
}

/** A Yjs client id of a board claimed by the device that first used it (sync/ClientOwners.ts). */
export interface ClientClaim {
  boardId: string
  client: number
  device: string
}

/**
 * A change to the ballot box of a board (ballots are kept here, never in the document): one
 * person's ballot in a vote (null: they have none any more), or every ballot of a vote dropped
 * (an anonymous vote once its outcome is written).
 */
export type BallotChange =
  | { boardId: string; sessionId: string; participantId: string; ballot: KeptBallot | null }
  | { boardId: string; sessionId: string; forget: true }

export interface StoredBallot {
  sessionId: string
  participantId: string
  ballot: KeptBallot
}

/**
 * What the ballot box keeps: a vote's dots, or a person's marks in a placement round or
 * consensus check (under the session id `round:<roundId>`, see RoundDesk).
 */
export type KeptBallot = Ballot | RoundBallot

/**
 * A change to the private notes of a board's hidden brainstorm round (kept here, never in the
 * document, until the reveal): one person's note put or removed, or every note of the board
 * dropped (the reveal wrote them into the document in the same transaction).
 */
export type PrivateNoteChange =
  | {
      boardId: string
      participantId: string
      round: number
      noteId: string
      record: NoteRecord | null
    }
  | { boardId: string; forget: true }

export interface StoredPrivateNote {
  participantId: string
  round: number
  record: NoteRecord
}

/**
 * What the server keeps beside a turn's updates, committed in the same transaction: a claim is
 * never lost while an update made under it is kept, and ballots and private notes are answered
 * only once they are durable.
 */
export interface KeptWithTurn {
  claims?: readonly ClientClaim[]
  ballots?: readonly BallotChange[]
  privateNotes?: readonly PrivateNoteChange[]
}

export interface StoredUpdate {
  /** Increasing across the store; never reused, so `upToSeq` stays meaningful after compaction. */
  seq: number
  data: Uint8Array
}

export interface StoredBoardState {
  snapshot: { data: Uint8Array; upToSeq: number } | null
  /** Updates after the snapshot, oldest first. */
  updates: StoredUpdate[]
}

/** A saved version of a board: named by someone, or taken automatically. */
export interface VersionInfo {
  id: number
  boardId: string
  name: string
  /** Taken by the periodic snapshot, not by a person. */
  auto: boolean
  createdAt: number
  /** Size of the stored state. */
  bytes: number
}

export interface StoredVersion extends VersionInfo {
  /** The board's whole document at that moment, as one Yjs update. */
  data: Uint8Array
}

/**
 * The secret key of each of a board's three links, and of its calendar link (`calendar`: opens
 * the calendar feed and nothing else) when it has one. Kept beside the board, never in its
 * document (a document goes to every client; these never do). Boards made before calendar links
 * have none until a facilitator's answer needs it (`ensureCalendarKey`).
 */
export type BoardLinkTokens = Record<LinkKind, string> & { calendar?: string }

/**
 * The store could not take the write because its space is used up (a full disk, or
 * MAX_DATABASE_BYTES): nothing of the write was kept.
 */
export class StorageFullError extends Error {
  override name = 'StorageFullError'
}

/**
 * The store holds `maxBoards` boards already (MAX_BOARDS): the board was not created. Counted in
 * the creating transaction, so creations racing each other, on any process, never pass it.
 */
export class BoardLimitError extends Error {
  override name = 'BoardLimitError'
}

/** What a creation must respect: `maxBoards` boards at most in the store (0: no limit). */
export interface CreateLimits {
  maxBoards?: number
}

/**
 * The store cannot be reached (PostgreSQL stopped, restarting, or the connection cut): nothing of
 * the write was kept, and trying again once it is back may succeed.
 */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError'
}

export interface BoardStore {
  /**
   * Adds a board, with its first update and its links (the three, and the calendar's when
   * given), all in ONE transaction: a crash or a failed write leaves either all of them or none
   * (never a board without its links).
   * Resolves `false` (and changes nothing) when the id is already taken; rejects with
   * `StorageFullError` when there is no room for it, and with `BoardLimitError` when the store
   * holds `limits.maxBoards` boards already (counted in the same transaction, serialized with
   * every other creation, so concurrent creations never pass the limit).
   */
  createBoard(
    board: BoardRecord,
    firstUpdate?: Uint8Array,
    links?: BoardLinkTokens,
    limits?: CreateLimits,
  ): Promise<boolean>
  getBoard(id: string): Promise<BoardRecord | null>
  /** How many boards the store holds (for MAX_BOARDS). */
  countBoards(): Promise<number>
  /**
   * The board's link keys (the calendar's when it has one); null for a board without links
   * (made before links existed). Only a full set of the three role links counts.
   */
  getLinks(boardId: string): Promise<BoardLinkTokens | null>
  /**
   * Gives an existing board without links its links (`pnpm board-links`). Resolves `false`
   * (and changes nothing) when the board is unknown or has links already.
   */
  addLinks(boardId: string, links: BoardLinkTokens): Promise<boolean>
  /**
   * The board's calendar key, storing `token` as it when the board has its three links but no
   * calendar key yet (a board made before calendar links); null for a board without links.
   * Two callers at once get the same key. Rejects with `StorageFullError` when there is no room.
   */
  ensureCalendarKey(boardId: string, token: string): Promise<string | null>
  /**
   * Replaces the key of one of the board's links; the old key stops working. The calendar key
   * of a board that has none yet is simply set. Resolves `false` (and changes nothing) when the
   * board has no such link (a board without links has none of them).
   */
  rotateLink(boardId: string, kind: ShareLinkKind, token: string): Promise<boolean>
  loadUpdates(id: string): Promise<StoredBoardState>
  /**
   * Appends every update of the batch, and what is kept with the turn, in ONE transaction:
   * either all are durable when this resolves, or it rejects and none are. Resolves the seq
   * given to each update, in order.
   */
  appendUpdates(batch: readonly PendingUpdate[], kept?: KeptWithTurn): Promise<number[]>
  /** Every ballot the board's ballot box holds (see BallotChange). */
  loadBallots(boardId: string): Promise<StoredBallot[]>
  /** Every private note the board keeps for its hidden round (see PrivateNoteChange). */
  loadPrivateNotes(boardId: string): Promise<StoredPrivateNote[]>
  /** Every claimed client id of a board and its device. */
  loadClientOwners(boardId: string): Promise<Array<[number, string]>>
  /** Replaces the board's snapshot and drops the updates it covers (seq ≤ upToSeq). */
  compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void>
  /** Stores a version of a board; resolves its id (increasing). */
  saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number>
  /** The board's versions, newest first, without their data. */
  listVersions(boardId: string): Promise<VersionInfo[]>
  getVersion(boardId: string, id: number): Promise<StoredVersion | null>
  /**
   * Replaces a stored version's document (its name and time stay): for taking out of old
   * versions what a board no longer keeps in its document (ballots, author stamps). Resolves
   * `false` when the board has no such version.
   */
  replaceVersionData(boardId: string, id: number, data: Uint8Array): Promise<boolean>
  /** Drops the board's automatic versions beyond the newest `keep` (named ones stay). */
  pruneAutoVersions(boardId: string, keep: number): Promise<void>
  /**
   * Gets the write path going before the first commit needs it (SQLite: its writer thread).
   * The server calls it before it listens; tools that only read never do.
   */
  ready?(): Promise<void>
  close(): Promise<void>
}
