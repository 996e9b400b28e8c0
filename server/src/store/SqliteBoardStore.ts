/**
 * The default store: one SQLite file under DATA_DIR through `node:sqlite` (no native addon).
 * WAL keeps readers off the writer's way; synchronous=FULL makes a commit survive power loss,
 * which the "commit before broadcast" rule depends on.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { BOARD_TEMPLATES, type BoardTemplate } from '@common-ground/shared'
import type {
  BoardRecord,
  BoardStore,
  PendingUpdate,
  StoredBoardState,
  StoredUpdate,
  StoredVersion,
  VersionInfo,
} from './BoardStore.ts'

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  template TEXT NOT NULL,
  created_at INTEGER NOT NULL
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
`

export class SqliteBoardStore implements BoardStore {
  readonly file: string
  #db: DatabaseSync
  #insertBoard: StatementSync
  #selectBoard: StatementSync
  #insertUpdate: StatementSync
  #selectUpdates: StatementSync
  #selectSnapshot: StatementSync
  #upsertSnapshot: StatementSync
  #deleteUpdates: StatementSync
  #insertVersion: StatementSync
  #selectVersions: StatementSync
  #selectVersion: StatementSync
  #pruneVersions: StatementSync

  constructor(dataDir: string, options: { maxDatabaseBytes?: number } = {}) {
    mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, DATABASE_FILE)
    this.#db = new DatabaseSync(this.file)
    try {
      this.#db.exec(`
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
        PRAGMA busy_timeout = 5000;
      `)
      this.#db.exec(SCHEMA)
      if (options.maxDatabaseBytes) this.#capSize(options.maxDatabaseBytes)
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
    this.#insertBoard = this.#db.prepare(
      'INSERT OR IGNORE INTO boards (id, title, template, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#selectBoard = this.#db.prepare(
      'SELECT id, title, template, created_at FROM boards WHERE id = ?',
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
    this.#upsertSnapshot = this.#db.prepare(`
      INSERT INTO board_snapshots (board_id, up_to_seq, data, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (board_id) DO UPDATE
        SET up_to_seq = excluded.up_to_seq, data = excluded.data, updated_at = excluded.updated_at
        WHERE excluded.up_to_seq >= board_snapshots.up_to_seq
    `)
    this.#deleteUpdates = this.#db.prepare(
      'DELETE FROM board_updates WHERE board_id = ? AND seq <= ?',
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
    this.#pruneVersions = this.#db.prepare(`
      DELETE FROM board_versions WHERE board_id = ?1 AND auto = 1 AND id NOT IN (
        SELECT id FROM board_versions WHERE board_id = ?1 AND auto = 1 ORDER BY id DESC LIMIT ?2
      )
    `)
  }

  async createBoard(board: BoardRecord, firstUpdate?: Uint8Array): Promise<boolean> {
    return this.#transaction(() => {
      const { changes } = this.#insertBoard.run(
        board.id,
        board.title,
        board.template,
        board.createdAt,
      )
      if (changes === 0) return false
      if (firstUpdate) this.#insertUpdate.run(board.id, firstUpdate)
      return true
    })
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
    return this.#transaction(() => {
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

  async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    if (batch.length === 0) return []
    return this.#transaction(() =>
      batch.map(({ boardId, update }) =>
        Number(this.#insertUpdate.run(boardId, update).lastInsertRowid),
      ),
    )
  }

  async compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    this.#transaction(() => {
      this.#upsertSnapshot.run(id, upToSeq, snapshot, Date.now())
      this.#deleteUpdates.run(id, upToSeq)
    })
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

  async pruneAutoVersions(boardId: string, keep: number): Promise<void> {
    this.#pruneVersions.run(boardId, keep)
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close()
  }

  /**
   * MAX_DATABASE_BYTES: a write that would grow the file past it fails with SQLITE_FULL, as on a
   * full disk. SQLite never sets the cap below the file's current size; freed pages (deleted
   * rows) are reused under it.
   */
  #capSize(maxBytes: number): void {
    const pageSize = Number(Object.values(this.#db.prepare('PRAGMA page_size').get() ?? {})[0])
    this.#db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`)
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
