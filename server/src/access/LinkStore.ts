/**
 * The secret of each of a board's links (facilitate, edit, view). Kept apart from the boards'
 * documents: a document goes to every client, these never do.
 *
 * A board with no links is an *open* board: anyone who knows its id facilitates it. Boards
 * created through `POST /api/boards` always get links; open boards are those made by connecting
 * to a new id, and those created before links existed.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { LINK_KINDS, type LinkKind, newLinkToken } from '@common-ground/shared'
import { DATABASE_FILE } from '../store/SqliteBoardStore.ts'

export type BoardLinkTokens = Record<LinkKind, string>

export interface LinkStore {
  /** Makes (or remakes) all three links of a board. */
  create(boardId: string): Promise<BoardLinkTokens>
  get(boardId: string): Promise<BoardLinkTokens | null>
  /** Replaces one link's secret; the old one stops working. */
  rotate(boardId: string, kind: LinkKind): Promise<string>
  close(): Promise<void>
}

/**
 * In the boards' own database file (its own connection and table), so that a backup of the data
 * holds the links too: a board restored without them would be open to anyone.
 */
export class SqliteLinkStore implements LinkStore {
  readonly file: string
  #db: DatabaseSync

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, DATABASE_FILE)
    this.#db = new DatabaseSync(this.file)
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS board_links (
        board_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (board_id, kind)
      ) STRICT;
    `)
  }

  async create(boardId: string): Promise<BoardLinkTokens> {
    const tokens = newTokens()
    const upsert = this.#db.prepare(
      'INSERT OR REPLACE INTO board_links (board_id, kind, token, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#db.exec('BEGIN')
    try {
      for (const kind of LINK_KINDS) upsert.run(boardId, kind, tokens[kind], Date.now())
      this.#db.exec('COMMIT')
    } catch (error) {
      this.#db.exec('ROLLBACK')
      throw error
    }
    return tokens
  }

  async get(boardId: string): Promise<BoardLinkTokens | null> {
    const rows = this.#db
      .prepare('SELECT kind, token FROM board_links WHERE board_id = ?')
      .all(boardId) as Array<{ kind: LinkKind; token: string }>
    if (rows.length === 0) return null
    return Object.fromEntries(rows.map((row) => [row.kind, row.token])) as BoardLinkTokens
  }

  async rotate(boardId: string, kind: LinkKind): Promise<string> {
    const token = newLinkToken()
    this.#db
      .prepare('UPDATE board_links SET token = ?, created_at = ? WHERE board_id = ? AND kind = ?')
      .run(token, Date.now(), boardId, kind)
    return token
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close()
  }
}

/** For tests and for servers given an in-memory board store. */
export class MemoryLinkStore implements LinkStore {
  #links = new Map<string, BoardLinkTokens>()

  async create(boardId: string): Promise<BoardLinkTokens> {
    const tokens = newTokens()
    this.#links.set(boardId, tokens)
    return { ...tokens }
  }

  async get(boardId: string): Promise<BoardLinkTokens | null> {
    const tokens = this.#links.get(boardId)
    return tokens ? { ...tokens } : null
  }

  async rotate(boardId: string, kind: LinkKind): Promise<string> {
    const tokens = this.#links.get(boardId)
    const token = newLinkToken()
    if (tokens) tokens[kind] = token
    return token
  }

  async close(): Promise<void> {}
}

function newTokens(): BoardLinkTokens {
  return { facilitate: newLinkToken(), edit: newLinkToken(), view: newLinkToken() }
}
