// @ts-check
/**
 * A turn's commit in SQLite: the updates the rooms applied in one turn and what is kept with them
 * (client-id claims, ballots, private notes), in ONE transaction; and a board's compaction, which
 * writes as much. Run by the writer thread (sqliteWriter.worker.js) on its own connection; the
 * pragmas are the store's, so a commit there is as durable (synchronous=FULL) and as capped
 * (MAX_DATABASE_BYTES) as one on the main thread.
 *
 * Plain JavaScript, typed by JSDoc and checked by tsc like the rest: a worker thread that loads
 * any .ts file also loads Node's type stripping, 10 MB more RSS for the thread (24 against 14 MB
 * measured), and the server keeps this thread for its whole life.
 */
/** @import { DatabaseSync } from 'node:sqlite' */
/** @import { KeptWithTurn, PendingUpdate } from './BoardStore.ts' */

/** How long a writer waits for the other connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000

/**
 * The pragmas every connection of the store sets (WAL itself is kept in the file).
 * @param {DatabaseSync} db
 */
export function configureConnection(db) {
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};
  `)
}

/**
 * MAX_DATABASE_BYTES: a write that would grow the file past it fails with SQLITE_FULL, as on a
 * full disk. SQLite never sets the cap below the file's current size; freed pages (deleted
 * rows) are reused under it. The cap belongs to the connection: every one that writes sets it.
 * @param {DatabaseSync} db
 * @param {number | undefined} maxBytes
 */
export function capSize(db, maxBytes) {
  if (!maxBytes) return
  const pageSize = Number(Object.values(db.prepare('PRAGMA page_size').get() ?? {})[0])
  db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`)
}

/** @typedef {(batch: readonly PendingUpdate[], kept: KeptWithTurn) => number[]} AppendTurn */

/**
 * Prepares the turn's statements on `db`; the function it returns commits one turn.
 * @param {DatabaseSync} db
 * @returns {AppendTurn}
 */
export function turnWriter(db) {
  const insertUpdate = db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)')
  const insertClientOwner = db.prepare(
    'INSERT OR IGNORE INTO board_client_owners (board_id, client, device) VALUES (?, ?, ?)',
  )
  const upsertBallot = db.prepare(
    `INSERT INTO board_ballots (board_id, session_id, participant_id, ballot) VALUES (?, ?, ?, ?)
     ON CONFLICT (board_id, session_id, participant_id) DO UPDATE SET ballot = excluded.ballot`,
  )
  const deleteBallot = db.prepare(
    'DELETE FROM board_ballots WHERE board_id = ? AND session_id = ? AND participant_id = ?',
  )
  const forgetBallots = db.prepare(
    'DELETE FROM board_ballots WHERE board_id = ? AND session_id = ?',
  )
  const upsertPrivateNote = db.prepare(
    `INSERT INTO board_private_notes (board_id, note_id, participant_id, round, record)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (board_id, note_id) DO UPDATE SET
       participant_id = excluded.participant_id, round = excluded.round, record = excluded.record`,
  )
  const deletePrivateNote = db.prepare(
    'DELETE FROM board_private_notes WHERE board_id = ? AND note_id = ?',
  )
  const forgetPrivateNotes = db.prepare('DELETE FROM board_private_notes WHERE board_id = ?')

  return (batch, { claims = [], ballots = [], privateNotes = [] }) => {
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const { boardId, client, device } of claims) {
        insertClientOwner.run(boardId, client, device)
      }
      for (const change of ballots) {
        if ('forget' in change) forgetBallots.run(change.boardId, change.sessionId)
        else if (change.ballot === null)
          deleteBallot.run(change.boardId, change.sessionId, change.participantId)
        else
          upsertBallot.run(
            change.boardId,
            change.sessionId,
            change.participantId,
            JSON.stringify(change.ballot),
          )
      }
      for (const change of privateNotes) {
        if ('forget' in change) forgetPrivateNotes.run(change.boardId)
        else if (change.record === null) deletePrivateNote.run(change.boardId, change.noteId)
        else
          upsertPrivateNote.run(
            change.boardId,
            change.noteId,
            change.participantId,
            change.round,
            JSON.stringify(change.record),
          )
      }
      const seqs = batch.map(({ boardId, update }) =>
        Number(insertUpdate.run(boardId, update).lastInsertRowid),
      )
      db.exec('COMMIT')
      return seqs
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}

/** @typedef {(boardId: string, snapshot: Uint8Array, upToSeq: number) => void} Compact */

/**
 * Prepares compaction's statements on `db`: a board's new snapshot and the rows it covers gone.
 * @param {DatabaseSync} db
 * @returns {Compact}
 */
export function compactor(db) {
  // A snapshot never goes back to an older one (a late compaction after a newer one).
  const upsertSnapshot = db.prepare(`
    INSERT INTO board_snapshots (board_id, up_to_seq, data, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (board_id) DO UPDATE
      SET up_to_seq = excluded.up_to_seq, data = excluded.data, updated_at = excluded.updated_at
      WHERE excluded.up_to_seq >= board_snapshots.up_to_seq
  `)
  const deleteUpdates = db.prepare('DELETE FROM board_updates WHERE board_id = ? AND seq <= ?')
  return (boardId, snapshot, upToSeq) => {
    db.exec('BEGIN IMMEDIATE')
    try {
      upsertSnapshot.run(boardId, upToSeq, snapshot, Date.now())
      deleteUpdates.run(boardId, upToSeq)
      db.exec('COMMIT')
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw error
    }
  }
}
