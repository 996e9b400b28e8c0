/**
 * The default store: one SQLite file under DATA_DIR through `node:sqlite` (no native addon).
 * WAL keeps readers off the writer's way; synchronous=FULL makes a commit survive power loss,
 * which the "commit before broadcast" rule depends on.
 *
 * The turns' commits (appendUpdates), the store's hot path, and the compactions that follow them
 * run on a writer thread with its own connection (SqliteWriter.ts), in the order sent, so their
 * fsync does not block the event loop. Everything else, reads and the rare other writes (a
 * board's creation, versions, links), stays on this connection: SQLite's write lock serialises
 * the two writers, each waiting for the other (busy_timeout) rather than failing, and neither
 * ever waits for the other while holding the lock, so they cannot deadlock.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import {
  BOARD_TEMPLATES,
  type BoardTemplate,
  CALENDAR_LINK,
  LINK_KINDS,
  type LinkKind,
  type ShareLinkKind,
} from '@common-ground/shared/board'
import type { NoteRecord } from '@common-ground/shared/facilitation'
import {
  BoardLimitError,
  type BoardLinkTokens,
  type BoardRecord,
  type BoardStore,
  type CreateLimits,
  type KeptBallot,
  type KeptWithTurn,
  type PendingUpdate,
  StorageFullError,
  type StoredBallot,
  type StoredBoardState,
  type StoredPrivateNote,
  type StoredUpdate,
  type StoredVersion,
  type VersionInfo,
} from './BoardStore.ts'
import { SqliteWriter } from './SqliteWriter.ts'
import { capSize, configureConnection } from './sqliteTurn.js'

export const DATABASE_FILE = 'common-ground.sqlite'

/**
 * The database file is damaged (truncated, overwritten): the server refuses to start rather than
 * serve boards with holes in them or write on top of the damage. SQLite itself discards a torn
 * last WAL frame (a commit that never finished); this is for damage beyond that.
 */
export class DamagedStoreError extends Error {
  override name = 'DamagedStoreError'
}

/** SQLite's primary result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB). */
const DAMAGE_CODES = new Set([11, 26])
/** SQLite's primary result code of a full disk or of `max_page_count` reached (SQLITE_FULL). */
const SQLITE_FULL = 13

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  template TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
-- The key of each of a board's three links, and of its calendar link (kind 'calendar', which
-- boards made before it get when a facilitator first needs it). Same layout as when links had
-- their own connection (access/LinkStore.ts), so older data files keep their links; no foreign
-- key, as then.
CREATE TABLE IF NOT EXISTS board_links (
  board_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, kind)
) STRICT;
CREATE TABLE IF NOT EXISTS board_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS board_updates_by_board ON board_updates (board_id, seq);
CREATE TABLE IF NOT EXISTS board_snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  up_to_seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS board_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  name TEXT NOT NULL,
  auto INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  data BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS board_versions_by_board ON board_versions (board_id, id);
-- Which device first used each Yjs client id of a board (see sync/ClientOwners.ts).
CREATE TABLE IF NOT EXISTS board_client_owners (
  board_id TEXT NOT NULL REFERENCES boards(id),
  client INTEGER NOT NULL,
  device TEXT NOT NULL,
  PRIMARY KEY (board_id, client)
) STRICT;
-- The ballot box: each person's dots per vote, kept here and never in the board's document
-- (shared vote/ballotBox.ts). Participant ids never leave the server.
CREATE TABLE IF NOT EXISTS board_ballots (
  board_id TEXT NOT NULL REFERENCES boards(id),
  session_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  ballot TEXT NOT NULL,
  PRIMARY KEY (board_id, session_id, participant_id)
) STRICT;
-- Private brainstorm notes of a board's hidden round, each with who keeps it, until the reveal
-- writes them into the document (shared facilitation/privateNotes.ts). Never sent to others.
CREATE TABLE IF NOT EXISTS board_private_notes (
  board_id TEXT NOT NULL REFERENCES boards(id),
  note_id TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (board_id, note_id)
) STRICT;
`

export class SqliteBoardStore implements BoardStore {
  readonly file: string
  #db: DatabaseSync
  #insertBoard: StatementSync
  #selectBoard: StatementSync
  #countBoards: StatementSync
  #insertLink: StatementSync
  #selectLinks: StatementSync
  #rotateLink: StatementSync
  #setCalendarKey: StatementSync
  #insertUpdate: StatementSync
  #selectBallots: StatementSync
  #selectPrivateNotes: StatementSync
  #selectUpdates: StatementSync
  #selectSnapshot: StatementSync
  #insertVersion: StatementSync
  #selectVersions: StatementSync
  #selectVersion: StatementSync
  #replaceVersionData: StatementSync
  #pruneVersions: StatementSync
  #selectClientOwners: StatementSync
  #writer: SqliteWriter

  constructor(dataDir: string, options: { maxDatabaseBytes?: number } = {}) {
    mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, DATABASE_FILE)
    this.#db = new DatabaseSync(this.file)
    try {
      configureConnection(this.#db)
      this.#db.exec(SCHEMA)
      capSize(this.#db, options.maxDatabaseBytes)
      // Reads every page once (about a second per few hundred MB): damage found now is a clear
      // message at start instead of a board that fails to load in the middle of a retreat.
      const problems = this.#db
        .prepare('PRAGMA quick_check(5)')
        .all()
        .map((row) => String(Object.values(row)[0]))
      if (problems.join() !== 'ok') throw new DamagedStoreError(problems.join('; '))
    } catch (error) {
      this.#db.close()
      const code = (error as { errcode?: unknown }).errcode
      if (error instanceof DamagedStoreError || DAMAGE_CODES.has(Number(code) & 0xff)) {
        throw new DamagedStoreError(
          `the database ${this.file} is damaged (${(error as Error).message}). ` +
            'Restore the last backup (pnpm restore <file>), or move the file away to start empty.',
        )
      }
      throw error
    }
    // Started by ready() or on the first commit: tools that never append (backup, board-links)
    // start no thread.
    this.#writer = new SqliteWriter({ file: this.file, maxDatabaseBytes: options.maxDatabaseBytes })
    this.#insertBoard = this.#db.prepare(
      'INSERT OR IGNORE INTO boards (id, title, template, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#selectBoard = this.#db.prepare(
      'SELECT id, title, template, created_at FROM boards WHERE id = ?',
    )
    this.#countBoards = this.#db.prepare('SELECT count(*) AS boards FROM boards')
    this.#insertLink = this.#db.prepare(
      'INSERT INTO board_links (board_id, kind, token, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#selectLinks = this.#db.prepare('SELECT kind, token FROM board_links WHERE board_id = ?')
    this.#rotateLink = this.#db.prepare(
      'UPDATE board_links SET token = ?, created_at = ? WHERE board_id = ? AND kind = ?',
    )
    this.#setCalendarKey = this.#db.prepare(
      `INSERT INTO board_links (board_id, kind, token, created_at) VALUES (?, '${CALENDAR_LINK}', ?, ?)
       ON CONFLICT (board_id, kind) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`,
    )
    this.#selectBallots = this.#db.prepare(
      'SELECT session_id, participant_id, ballot FROM board_ballots WHERE board_id = ?',
    )
    this.#selectPrivateNotes = this.#db.prepare(
      'SELECT participant_id, round, record FROM board_private_notes WHERE board_id = ?',
    )
    this.#selectClientOwners = this.#db.prepare(
      'SELECT client, device FROM board_client_owners WHERE board_id = ?',
    )
    this.#insertUpdate = this.#db.prepare(
      'INSERT INTO board_updates (board_id, data) VALUES (?, ?)',
    )
    this.#selectUpdates = this.#db.prepare(
      'SELECT seq, data FROM board_updates WHERE board_id = ? AND seq > ? ORDER BY seq',
    )
    this.#selectSnapshot = this.#db.prepare(
      'SELECT up_to_seq, data FROM board_snapshots WHERE board_id = ?',
    )
    this.#insertVersion = this.#db.prepare(
      'INSERT INTO board_versions (board_id, name, auto, created_at, data) VALUES (?, ?, ?, ?, ?)',
    )
    this.#selectVersions = this.#db.prepare(`
      SELECT id, board_id, name, auto, created_at, length(data) AS bytes FROM board_versions
      WHERE board_id = ? ORDER BY id DESC
    `)
    this.#selectVersion = this.#db.prepare(`
      SELECT id, board_id, name, auto, created_at, length(data) AS bytes, data FROM board_versions
      WHERE board_id = ? AND id = ?
    `)
    this.#replaceVersionData = this.#db.prepare(
      'UPDATE board_versions SET data = ? WHERE board_id = ? AND id = ?',
    )
    this.#pruneVersions = this.#db.prepare(`
      DELETE FROM board_versions WHERE board_id = ?1 AND auto = 1 AND id NOT IN (
        SELECT id FROM board_versions WHERE board_id = ?1 AND auto = 1 ORDER BY id DESC LIMIT ?2
      )
    `)
  }

  async createBoard(
    board: BoardRecord,
    firstUpdate?: Uint8Array,
    links?: BoardLinkTokens,
    limits: CreateLimits = {},
  ): Promise<boolean> {
    const max = limits.maxBoards ?? 0
    try {
      // BEGIN IMMEDIATE: the count and the insert hold the write lock, whoever else writes.
      return this.#transaction(() => {
        if (max > 0 && Number(this.#countBoards.get()?.boards) >= max) {
          throw new BoardLimitError(`${max} boards already`)
        }
        const { changes } = this.#insertBoard.run(
          board.id,
          board.title,
          board.template,
          board.createdAt,
        )
        if (changes === 0) return false
        if (firstUpdate) this.#insertUpdate.run(board.id, firstUpdate)
        // Leftover links of an id without a board (a data file from before boards and links
        // shared a transaction) must not open the new board: they fail the insert below.
        if (links) this.#insertLinks(board.id, links)
        return true
      })
    } catch (error) {
      if (error instanceof BoardLimitError) throw error
      throw storageFullOr(error, `no room to store board ${board.id}`)
    }
  }

  async countBoards(): Promise<number> {
    return Number(this.#countBoards.get()?.boards)
  }

  async getLinks(boardId: string): Promise<BoardLinkTokens | null> {
    return this.#links(boardId)
  }

  async addLinks(boardId: string, links: BoardLinkTokens): Promise<boolean> {
    return this.#transaction(() => {
      if (!this.#selectBoard.get(boardId)) return false
      if (this.#selectLinks.all(boardId).length > 0) return false
      this.#insertLinks(boardId, links)
      return true
    })
  }

  async ensureCalendarKey(boardId: string, token: string): Promise<string | null> {
    try {
      return this.#transaction(() => {
        const links = this.#links(boardId)
        if (!links) return null
        if (links.calendar) return links.calendar
        this.#setCalendarKey.run(boardId, token, Date.now())
        return token
      })
    } catch (error) {
      throw storageFullOr(error, `no room to store a calendar key for board ${boardId}`)
    }
  }

  async rotateLink(boardId: string, kind: ShareLinkKind, token: string): Promise<boolean> {
    if (kind === CALENDAR_LINK) {
      try {
        return this.#transaction(() => {
          if (!this.#links(boardId)) return false
          this.#setCalendarKey.run(boardId, token, Date.now())
          return true
        })
      } catch (error) {
        throw storageFullOr(error, `no room to store a calendar key for board ${boardId}`)
      }
    }
    const { changes } = this.#rotateLink.run(token, Date.now(), boardId, kind)
    return Number(changes) > 0
  }

  #links(boardId: string): BoardLinkTokens | null {
    const rows = this.#selectLinks.all(boardId)
    const tokens: Partial<BoardLinkTokens> = {}
    for (const row of rows) {
      if (LINK_KINDS.includes(row.kind as LinkKind) || row.kind === CALENDAR_LINK)
        tokens[row.kind as LinkKind | typeof CALENDAR_LINK] = String(row.token)
    }
    // A board has all three links or none; a partial set (never written by us) opens nothing,
    // and a calendar key alone (never written by us either) opens nothing.
    return LINK_KINDS.every((kind) => tokens[kind]) ? (tokens as BoardLinkTokens) : null
  }

  async getBoard(id: string): Promise<BoardRecord | null> {
    const row = this.#selectBoard.get(id)
    if (!row) return null
    const template = BOARD_TEMPLATES.includes(row.template as BoardTemplate)
      ? (row.template as BoardTemplate)
      : 'blank'
    return {
      id: String(row.id),
      title: String(row.title),
      template,
      createdAt: Number(row.created_at),
    }
  }

  async loadUpdates(id: string): Promise<StoredBoardState> {
    // One read transaction, so a compaction cannot slip between the snapshot and its tail.
    return this.#readTransaction(() => {
      const snapshotRow = this.#selectSnapshot.get(id)
      const snapshot = snapshotRow
        ? { upToSeq: Number(snapshotRow.up_to_seq), data: bytes(snapshotRow.data) }
        : null
      const updates: StoredUpdate[] = this.#selectUpdates
        .all(id, snapshot?.upToSeq ?? 0)
        .map((row) => ({ seq: Number(row.seq), data: bytes(row.data) }))
      return { snapshot, updates }
    })
  }

  /**
   * A deferred transaction for reads: under WAL it reads one consistent snapshot and never
   * waits for a writer on another connection (BEGIN IMMEDIATE would, holding the event loop).
   */
  #readTransaction<T>(work: () => T): T {
    this.#db.exec('BEGIN')
    try {
      return work()
    } finally {
      if (this.#db.isTransaction) this.#db.exec('COMMIT')
    }
  }

  async appendUpdates(batch: readonly PendingUpdate[], kept: KeptWithTurn = {}): Promise<number[]> {
    const { claims = [], ballots = [], privateNotes = [] } = kept
    if (batch.length + claims.length + ballots.length + privateNotes.length === 0) return []
    return this.#writer.append(batch, { claims, ballots, privateNotes })
  }

  async loadBallots(boardId: string): Promise<StoredBallot[]> {
    return this.#selectBallots.all(boardId).map((row) => ({
      sessionId: String(row.session_id),
      participantId: String(row.participant_id),
      ballot: JSON.parse(String(row.ballot)) as KeptBallot,
    }))
  }

  async loadPrivateNotes(boardId: string): Promise<StoredPrivateNote[]> {
    return this.#selectPrivateNotes.all(boardId).map((row) => ({
      participantId: String(row.participant_id),
      round: Number(row.round),
      record: JSON.parse(String(row.record)) as NoteRecord,
    }))
  }

  async loadClientOwners(boardId: string): Promise<Array<[number, string]>> {
    return this.#selectClientOwners
      .all(boardId)
      .map((row) => [Number(row.client), String(row.device)] as [number, string])
  }

  async compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    await this.#writer.compact(id, snapshot, upToSeq)
  }

  async saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number> {
    const { lastInsertRowid } = this.#insertVersion.run(
      version.boardId,
      version.name,
      version.auto ? 1 : 0,
      version.createdAt,
      version.data,
    )
    return Number(lastInsertRowid)
  }

  async listVersions(boardId: string): Promise<VersionInfo[]> {
    return this.#selectVersions.all(boardId).map(versionInfo)
  }

  async getVersion(boardId: string, id: number): Promise<StoredVersion | null> {
    const row = this.#selectVersion.get(boardId, id)
    return row ? { ...versionInfo(row), data: bytes(row.data) } : null
  }

  async replaceVersionData(boardId: string, id: number, data: Uint8Array): Promise<boolean> {
    return Number(this.#replaceVersionData.run(data, boardId, id).changes) > 0
  }

  async pruneAutoVersions(boardId: string, keep: number): Promise<void> {
    this.#pruneVersions.run(boardId, keep)
  }

  /** Starts the writer thread (see SqliteWriter.ready). */
  ready(): Promise<void> {
    return this.#writer.ready()
  }

  /** Drains the writer thread (every commit sent is answered) and stops it, then closes. */
  async close(): Promise<void> {
    await this.#writer.close()
    if (this.#db.isOpen) this.#db.close()
  }

  #insertLinks(boardId: string, links: BoardLinkTokens): void {
    const now = Date.now()
    for (const kind of LINK_KINDS) this.#insertLink.run(boardId, kind, links[kind], now)
    if (links.calendar) this.#insertLink.run(boardId, CALENDAR_LINK, links.calendar, now)
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      this.#db.exec('COMMIT')
      return result
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
      throw error
    }
  }
}

function versionInfo(row: Record<string, unknown>): VersionInfo {
  return {
    id: Number(row.id),
    boardId: String(row.board_id),
    name: String(row.name),
    auto: row.auto === 1,
    createdAt: Number(row.created_at),
    bytes: Number(row.bytes),
  }
}

/** A BLOB column comes back as Uint8Array; anything else means the row was not written by us. */
function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  throw new TypeError(`expected a BLOB, got ${typeof value}`)
}

/** A full disk (or MAX_DATABASE_BYTES) as `StorageFullError`; any other error as it is. */
function storageFullOr(error: unknown, what: string): unknown {
  if ((Number((error as { errcode?: unknown }).errcode) & 0xff) === SQLITE_FULL) {
    return new StorageFullError(`${what}: ${(error as Error).message}`)
  }
  return error
}
