/**
 * Where boards live between restarts. The interface is asynchronous although the default SQLite
 * store is not, so a networked store (PostgreSQL) can implement it without changing the rooms.
 *
 * A board's document is kept as an optional snapshot plus a log of Yjs updates appended after it;
 * loading applies both, compaction folds the log into a new snapshot.
 */
import type { BoardTemplate } from '@common-ground/shared'

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

export interface BoardStore {
  /**
   * Adds a board, with its first update in the same transaction when given.
   * Resolves `false` (and changes nothing) when the id is already taken.
   */
  createBoard(board: BoardRecord, firstUpdate?: Uint8Array): Promise<boolean>
  getBoard(id: string): Promise<BoardRecord | null>
  loadUpdates(id: string): Promise<StoredBoardState>
  /**
   * Appends every update of the batch in ONE transaction: either all are durable when this
   * resolves, or it rejects and none are. Resolves the seq given to each entry, in order.
   */
  appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]>
  /** Replaces the board's snapshot and drops the updates it covers (seq ≤ upToSeq). */
  compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void>
  /** Stores a version of a board; resolves its id (increasing). */
  saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number>
  /** The board's versions, newest first, without their data. */
  listVersions(boardId: string): Promise<VersionInfo[]>
  getVersion(boardId: string, id: number): Promise<StoredVersion | null>
  /** Drops the board's automatic versions beyond the newest `keep` (named ones stay). */
  pruneAutoVersions(boardId: string, keep: number): Promise<void>
  close(): Promise<void>
}
