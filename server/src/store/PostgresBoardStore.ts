/**
 * The board store on PostgreSQL (`DATABASE_URL`), through node-postgres (pure JS). The same tables
 * and meaning as the SQLite store (see postgresMigrations.ts for the schema); every method that
 * writes more than one row does so in one transaction, and a commit is durable when it resolves
 * (PostgreSQL's default synchronous_commit), which "commit before broadcast" depends on.
 *
 * Needs session pooling, never a transaction-pooling proxy (pgbouncer in transaction mode): the
 * migrations' advisory lock, and the ownership locks of cluster mode, live on a session.
 */
import {
  BOARD_TEMPLATES,
  type BoardTemplate,
  CALENDAR_LINK,
  LINK_KINDS,
  type LinkKind,
  type ShareLinkKind,
} from '@common-ground/shared/board'
import type { NoteRecord } from '@common-ground/shared/facilitation'
import { Pool, type PoolClient, type QueryResultRow } from 'pg'
import type { Logger } from '../log.ts'
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
  StorageUnavailableError,
  type StoredBallot,
  type StoredBoardState,
  type StoredPrivateNote,
  type StoredVersion,
  type VersionInfo,
} from './BoardStore.ts'
import { netBallotChanges, netPrivateNoteChanges } from './keptChanges.ts'
import { migrate, SchemaTooNewError } from './postgresMigrations.ts'

/**
 * A turn touched a board its committer no longer holds at the epoch it claimed it under (cluster
 * mode: another process took the board over). Nothing of the turn was kept.
 */
export class FencedOutError extends Error {
  override name = 'FencedOutError'
  readonly boards: readonly string[]
  constructor(boards: readonly string[]) {
    super(`fenced out of ${boards.length} board(s): another process owns them now`)
    this.boards = boards
  }
}

/** What a board committed after a per-board sequence number (see `loadCommitted`). */
export interface CommittedState {
  /** The board's snapshot, when it folds rows the caller has not seen. */
  snapshot: Uint8Array | null
  updates: Array<{ boardSeq: number; data: Uint8Array }>
  /** The per-board number everything returned brings the caller to. */
  upTo: number
}

/** PostgreSQL's SQLSTATE for a full disk (disk_full). */
const DISK_FULL = '53100'

/** The statements run as they are, prepared once per connection under their names. */
const SQL = {
  insertBoard: `INSERT INTO boards (id, title, template, created_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (id) DO NOTHING`,
  selectBoard: 'SELECT id, title, template, created_at FROM boards WHERE id = $1',
  lockBoard: 'SELECT id FROM boards WHERE id = $1 FOR UPDATE',
  countBoards: 'SELECT count(*) AS boards FROM boards',
  // Creations one at a time over every process, until the transaction ends (a two-key advisory
  // lock: a key space of its own, apart from the boards' one-key ownership locks).
  lockCreations: 'SELECT pg_advisory_xact_lock(18, 1)',
  insertFirstUpdate: `INSERT INTO board_updates (board_id, board_seq, data) VALUES ($1, 1, $2)`,
  insertOwnerRow: 'INSERT INTO board_owners (board_id, board_seq) VALUES ($1, $2)',
  // One statement for every board of a turn: each board's sequence advances by `bump` (1 when
  // the turn has an update for it), only where the committer's epoch still holds (null: no
  // fence, a single process). A board missing from what it returns was fenced out.
  advanceBoards: `UPDATE board_owners o SET board_seq = o.board_seq + f.bump
    FROM unnest($1::text[], $2::bigint[], $3::integer[]) AS f (board_id, epoch, bump)
    WHERE o.board_id = f.board_id AND (f.epoch IS NULL OR o.epoch = f.epoch)
    RETURNING o.board_id, o.board_seq`,
  // A token bucket per address, refilled by PostgreSQL's clock ($2 capacity, $3 tokens per
  // ms): one token taken when there is one, nothing changed otherwise (no row returned).
  takeCreationToken: `WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
    INSERT INTO creation_budgets AS b (address, tokens, updated_at)
    SELECT $1::text, $2::float8 - 1, now.ms FROM now
    ON CONFLICT (address) DO UPDATE
      SET tokens = least($2::float8, b.tokens + (excluded.updated_at - b.updated_at) * $3::float8) - 1,
        updated_at = excluded.updated_at
      WHERE least($2::float8, b.tokens + (excluded.updated_at - b.updated_at) * $3::float8) >= 1 - 1e-9
    RETURNING tokens`,
  creationWait: `SELECT (1 - least($2::float8, tokens + ((extract(epoch FROM clock_timestamp()) * 1000)
      - updated_at) * $3::float8)) / $3::float8 AS wait_ms
    FROM creation_budgets WHERE address = $1`,
  // Full buckets hold nothing worth keeping.
  sweepCreationBudgets: `DELETE FROM creation_budgets
    WHERE tokens + ((extract(epoch FROM clock_timestamp()) * 1000) - updated_at) * $2::float8 >= $1::float8`,
  selectBoardHeads:
    'SELECT board_id, board_seq, epoch FROM board_owners WHERE board_id = ANY ($1::text[])',
  selectCommittedSnapshot: 'SELECT up_to_board_seq, data FROM board_snapshots WHERE board_id = $1',
  selectCommittedUpdates: `SELECT board_seq, data FROM board_updates
    WHERE board_id = $1 AND board_seq > $2 ORDER BY board_seq LIMIT $3`,
  insertLinks: `INSERT INTO board_links (board_id, kind, token, created_at)
    SELECT $1, kind, token, $4 FROM unnest($2::text[], $3::text[]) AS link (kind, token)`,
  selectLinks: 'SELECT kind, token FROM board_links WHERE board_id = $1',
  rotateLink:
    'UPDATE board_links SET token = $1, created_at = $2 WHERE board_id = $3 AND kind = $4',
  setCalendarKey: `INSERT INTO board_links (board_id, kind, token, created_at)
    VALUES ($1, '${CALENDAR_LINK}', $2, $3)
    ON CONFLICT (board_id, kind) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`,
  claimClients: `INSERT INTO board_client_owners (board_id, client, device)
    SELECT board_id, client, device
    FROM unnest($1::text[], $2::bigint[], $3::text[]) WITH ORDINALITY AS c (board_id, client, device, n)
    ORDER BY n
    ON CONFLICT (board_id, client) DO NOTHING`,
  selectClientOwners: 'SELECT client, device FROM board_client_owners WHERE board_id = $1',
  forgetBallots: `DELETE FROM board_ballots b USING unnest($1::text[], $2::text[]) AS f (board_id, session_id)
    WHERE b.board_id = f.board_id AND b.session_id = f.session_id`,
  deleteBallots: `DELETE FROM board_ballots b
    USING unnest($1::text[], $2::text[], $3::text[]) AS d (board_id, session_id, participant_id)
    WHERE b.board_id = d.board_id AND b.session_id = d.session_id
      AND b.participant_id = d.participant_id`,
  upsertBallots: `INSERT INTO board_ballots (board_id, session_id, participant_id, ballot)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[])
    ON CONFLICT (board_id, session_id, participant_id) DO UPDATE SET ballot = excluded.ballot`,
  selectBallots: 'SELECT session_id, participant_id, ballot FROM board_ballots WHERE board_id = $1',
  forgetPrivateNotes: 'DELETE FROM board_private_notes WHERE board_id = ANY ($1::text[])',
  deletePrivateNotes: `DELETE FROM board_private_notes p
    USING unnest($1::text[], $2::text[]) AS d (board_id, note_id)
    WHERE p.board_id = d.board_id AND p.note_id = d.note_id`,
  upsertPrivateNotes: `INSERT INTO board_private_notes (board_id, note_id, participant_id, round, record)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::json[])
    ON CONFLICT (board_id, note_id) DO UPDATE SET
      participant_id = excluded.participant_id, round = excluded.round, record = excluded.record`,
  selectPrivateNotes:
    'SELECT participant_id, round, record FROM board_private_notes WHERE board_id = $1',
  selectSnapshot: 'SELECT up_to_seq, data FROM board_snapshots WHERE board_id = $1',
  selectUpdates:
    'SELECT seq, data FROM board_updates WHERE board_id = $1 AND seq > $2 ORDER BY seq',
  // up_to_board_seq: the per-board number of the newest row the snapshot folds in (read
  // before those rows are deleted), so replicas know from where the log goes on.
  upsertSnapshot: `INSERT INTO board_snapshots (board_id, up_to_seq, data, updated_at, up_to_board_seq)
    VALUES ($1, $2, $3, $4, (SELECT COALESCE(max(board_seq), 0) FROM board_updates
      WHERE board_id = $1 AND seq <= $2))
    ON CONFLICT (board_id) DO UPDATE
      SET up_to_seq = excluded.up_to_seq, data = excluded.data, updated_at = excluded.updated_at,
        up_to_board_seq = GREATEST(board_snapshots.up_to_board_seq, excluded.up_to_board_seq)
      WHERE excluded.up_to_seq >= board_snapshots.up_to_seq`,
  deleteUpdates: 'DELETE FROM board_updates WHERE board_id = $1 AND seq <= $2',
  insertVersion: `INSERT INTO board_versions (board_id, name, auto, created_at, data)
    VALUES ($1, $2, $3, $4, $5) RETURNING id`,
  selectVersions: `SELECT id, board_id, name, auto, created_at, octet_length(data) AS bytes
    FROM board_versions WHERE board_id = $1 ORDER BY id DESC`,
  selectVersion: `SELECT id, board_id, name, auto, created_at, octet_length(data) AS bytes, data
    FROM board_versions WHERE board_id = $1 AND id = $2`,
  replaceVersionData: 'UPDATE board_versions SET data = $1 WHERE board_id = $2 AND id = $3',
  pruneVersions: `DELETE FROM board_versions WHERE board_id = $1 AND auto AND id NOT IN (
    SELECT id FROM board_versions WHERE board_id = $1 AND auto ORDER BY id DESC LIMIT $2)`,
} as const

type Statement = keyof typeof SQL

/** Something to run statements on: the pool (one statement) or a transaction's client. */
type Queryable = Pick<PoolClient, 'query'>

export interface PostgresStoreOptions {
  /** Connections kept open (node-postgres' default: 10). */
  maxConnections?: number
  /**
   * `application_name` of its connections (default `common-ground`); cluster mode names each
   * process's, so a takeover can end every session of a paused owner.
   */
  applicationName?: string
  /** Where a connection lost while idle is reported (it is replaced on next use). */
  log?: Logger
}

/** `postgresql://host:port/database`: the URL without its user, password and parameters. */
export function describeDatabase(url: string): string {
  try {
    const { protocol, host, pathname } = new URL(url)
    return `${protocol}//${host}${pathname}`
  } catch {
    return 'postgresql (unparsable DATABASE_URL)'
  }
}

export class PostgresBoardStore implements BoardStore {
  /** Where the boards are, for messages (no credentials). */
  readonly location: string
  #pool: Pool
  #closed = false

  /** Connects and brings the schema up to date; rejects when either fails. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresBoardStore> {
    const store = new PostgresBoardStore(url, options)
    try {
      const client = await store.#pool.connect()
      try {
        await migrate(client)
        client.release()
      } catch (error) {
        client.release(error as Error)
        throw error
      }
    } catch (error) {
      await store.close()
      if (error instanceof SchemaTooNewError) throw error
      // "connect ECONNREFUSED" alone does not say which database the server was pointed at.
      throw new Error(`PostgreSQL at ${store.location}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    return store
  }

  private constructor(url: string, options: PostgresStoreOptions) {
    this.location = describeDatabase(url)
    this.#pool = new Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      application_name: options.applicationName ?? 'common-ground',
    })
    // Without a listener, an idle connection that dies (a PostgreSQL restart) kills the process.
    this.#pool.on('error', (error) => {
      options.log?.warn('postgresql connection lost', { error })
    })
    // A connection ended while checked out between two statements (PostgreSQL restarted, or a
    // takeover ended a paused process's sessions) reports it as an event: without a listener that
    // would kill the process. The transaction using it fails on its next statement instead.
    this.#pool.on('connect', (client) => {
      client.on('error', (error) => options.log?.warn('postgresql connection lost', { error }))
    })
  }

  async createBoard(
    board: BoardRecord,
    firstUpdate?: Uint8Array,
    links?: BoardLinkTokens,
    limits: CreateLimits = {},
  ): Promise<boolean> {
    const max = limits.maxBoards ?? 0
    return this.#transaction(async (client) => {
      if (max > 0) {
        // Counted under the lock: two processes creating at once cannot both see max - 1.
        await run(client, 'lockCreations', [])
        const { rows } = await run(client, 'countBoards', [])
        if (Number(rows[0]?.boards) >= max) throw new BoardLimitError(`${max} boards already`)
      }
      const { rowCount } = await run(client, 'insertBoard', [
        board.id,
        board.title,
        board.template,
        board.createdAt,
      ])
      if (rowCount === 0) return false
      if (firstUpdate) await run(client, 'insertFirstUpdate', [board.id, firstUpdate])
      await run(client, 'insertOwnerRow', [board.id, firstUpdate ? 1 : 0])
      if (links) await insertLinks(client, board.id, links)
      return true
    })
  }

  async getBoard(id: string): Promise<BoardRecord | null> {
    const [row] = await this.#read('selectBoard', [id])
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

  async countBoards(): Promise<number> {
    const [row] = await this.#read('countBoards', [])
    return Number(row?.boards)
  }

  async getLinks(boardId: string): Promise<BoardLinkTokens | null> {
    return linksOf(await this.#read('selectLinks', [boardId]))
  }

  async addLinks(boardId: string, links: BoardLinkTokens): Promise<boolean> {
    return this.#transaction(async (client) => {
      // The board's row locked: two callers at once cannot both find it without links.
      if ((await run(client, 'lockBoard', [boardId])).rowCount === 0) return false
      if ((await run(client, 'selectLinks', [boardId])).rowCount !== 0) return false
      await insertLinks(client, boardId, links)
      return true
    })
  }

  async ensureCalendarKey(boardId: string, token: string): Promise<string | null> {
    return this.#transaction(async (client) => {
      // The board's row locked: two callers at once get the same key.
      if ((await run(client, 'lockBoard', [boardId])).rowCount === 0) return null
      const links = linksOf((await run(client, 'selectLinks', [boardId])).rows)
      if (!links) return null
      if (links.calendar) return links.calendar
      await run(client, 'setCalendarKey', [boardId, token, Date.now()])
      return token
    })
  }

  async rotateLink(boardId: string, kind: ShareLinkKind, token: string): Promise<boolean> {
    if (kind === CALENDAR_LINK) {
      return this.#transaction(async (client) => {
        if ((await run(client, 'lockBoard', [boardId])).rowCount === 0) return false
        if (!linksOf((await run(client, 'selectLinks', [boardId])).rows)) return false
        await run(client, 'setCalendarKey', [boardId, token, Date.now()])
        return true
      })
    }
    const { rowCount } = await this.#write((pool) =>
      run(pool, 'rotateLink', [token, Date.now(), boardId, kind]),
    )
    return (rowCount ?? 0) > 0
  }

  async loadUpdates(id: string): Promise<StoredBoardState> {
    // One snapshot of the database for both reads, so a compaction cannot slip between them.
    return this.#transaction(async (client) => {
      const [snapshotRow] = (await run(client, 'selectSnapshot', [id])).rows
      const snapshot = snapshotRow
        ? { upToSeq: Number(snapshotRow.up_to_seq), data: bytes(snapshotRow.data) }
        : null
      const { rows } = await run(client, 'selectUpdates', [id, snapshot?.upToSeq ?? 0])
      return {
        snapshot,
        updates: rows.map((row) => ({ seq: Number(row.seq), data: bytes(row.data) })),
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  }

  async appendUpdates(batch: readonly PendingUpdate[], kept: KeptWithTurn = {}): Promise<number[]> {
    return (await this.appendTurn(batch, kept)).seqs
  }

  /**
   * `appendUpdates`, fenced: `epochs` gives, per board, the epoch its committer holds it under
   * (cluster mode; none: a single process). Every board the turn touches must still be held at
   * that epoch, or nothing is kept and it rejects with `FencedOutError`. Resolves the store-wide
   * seqs and the per-board sequence numbers of the batch's updates, in order.
   */
  async appendTurn(
    batch: readonly PendingUpdate[],
    kept: KeptWithTurn = {},
    epochs?: ReadonlyMap<string, number>,
  ): Promise<{ seqs: number[]; boardSeqs: number[] }> {
    const { claims = [], ballots = [], privateNotes = [] } = kept
    if (batch.length + claims.length + ballots.length + privateNotes.length === 0) {
      return { seqs: [], boardSeqs: [] }
    }
    return this.#transaction(async (client) => {
      // First, so a fenced-out committer writes nothing and waits on no other row.
      const boardSeqs = await advanceBoards(client, batch, kept, epochs)
      if (claims.length > 0) {
        await run(client, 'claimClients', [
          claims.map((claim) => claim.boardId),
          claims.map((claim) => claim.client),
          claims.map((claim) => claim.device),
        ])
      }
      await keepBallots(client, ballots)
      await keepPrivateNotes(client, privateNotes)
      return { seqs: await insertUpdates(client, batch, boardSeqs), boardSeqs }
    })
  }

  /**
   * Board creation's per-address budget shared by every process on this database (cluster
   * mode): `perHour` at once, then one every hour / `perHour`. Resolves 0 when a token was taken,
   * else the milliseconds until one will be there.
   */
  async takeCreationToken(address: string, perHour: number): Promise<number> {
    const rate = perHour / 3_600_000
    if (Math.random() < 1 / 256) {
      await this.#write((pool) => run(pool, 'sweepCreationBudgets', [perHour, rate]))
    }
    const taken = await this.#write((pool) =>
      run(pool, 'takeCreationToken', [address, perHour, rate]),
    )
    if ((taken.rowCount ?? 0) > 0) return 0
    const [row] = await this.#read('creationWait', [address, perHour, rate])
    return Math.max(1, Math.ceil(Number(row?.wait_ms ?? 1)))
  }

  /** The newest per-board sequence number and the owner epoch of each of `boardIds`. */
  async boardHeads(
    boardIds: readonly string[],
  ): Promise<Map<string, { boardSeq: number; epoch: number }>> {
    const heads = new Map<string, { boardSeq: number; epoch: number }>()
    if (boardIds.length === 0) return heads
    for (const row of await this.#read('selectBoardHeads', [boardIds])) {
      heads.set(String(row.board_id), { boardSeq: Number(row.board_seq), epoch: Number(row.epoch) })
    }
    return heads
  }

  /**
   * What was committed to a board after its per-board sequence number `after`, in order: the
   * log rows, preceded by the snapshot when compaction folded rows after `after` into it (a
   * replica that fell that far behind applies the snapshot, Yjs updates being idempotent).
   * At most `limit` rows; `upTo` is the number of the last one given (or of the snapshot).
   */
  async loadCommitted(boardId: string, after: number, limit = 1000): Promise<CommittedState> {
    return this.#transaction(async (client) => {
      const [snapshotRow] = (await run(client, 'selectCommittedSnapshot', [boardId])).rows
      const folded = snapshotRow ? Number(snapshotRow.up_to_board_seq) : 0
      const snapshot = snapshotRow && folded > after ? bytes(snapshotRow.data) : null
      const from = Math.max(after, snapshot ? folded : 0)
      const { rows } = await run(client, 'selectCommittedUpdates', [boardId, from, limit])
      const updates = rows.map((row) => ({
        boardSeq: Number(row.board_seq),
        data: bytes(row.data),
      }))
      return { snapshot, updates, upTo: updates.at(-1)?.boardSeq ?? from }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  }

  async loadBallots(boardId: string): Promise<StoredBallot[]> {
    return (await this.#read('selectBallots', [boardId])).map((row) => ({
      sessionId: String(row.session_id),
      participantId: String(row.participant_id),
      ballot: row.ballot as KeptBallot,
    }))
  }

  async loadPrivateNotes(boardId: string): Promise<StoredPrivateNote[]> {
    return (await this.#read('selectPrivateNotes', [boardId])).map((row) => ({
      participantId: String(row.participant_id),
      round: Number(row.round),
      record: row.record as NoteRecord,
    }))
  }

  async loadClientOwners(boardId: string): Promise<Array<[number, string]>> {
    return (await this.#read('selectClientOwners', [boardId])).map(
      (row) => [Number(row.client), String(row.device)] as [number, string],
    )
  }

  async compact(id: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    await this.#transaction(async (client) => {
      await run(client, 'upsertSnapshot', [id, upToSeq, snapshot, Date.now()])
      await run(client, 'deleteUpdates', [id, upToSeq])
    })
  }

  async saveVersion(version: Omit<StoredVersion, 'id' | 'bytes'>): Promise<number> {
    const { rows } = await this.#write((pool) =>
      run(pool, 'insertVersion', [
        version.boardId,
        version.name,
        version.auto,
        version.createdAt,
        version.data,
      ]),
    )
    return Number(rows[0]?.id)
  }

  async listVersions(boardId: string): Promise<VersionInfo[]> {
    return (await this.#read('selectVersions', [boardId])).map(versionInfo)
  }

  async getVersion(boardId: string, id: number): Promise<StoredVersion | null> {
    const [row] = await this.#read('selectVersion', [boardId, id])
    return row ? { ...versionInfo(row), data: bytes(row.data) } : null
  }

  async replaceVersionData(boardId: string, id: number, data: Uint8Array): Promise<boolean> {
    const { rowCount } = await this.#write((pool) =>
      run(pool, 'replaceVersionData', [data, boardId, id]),
    )
    return (rowCount ?? 0) > 0
  }

  async pruneAutoVersions(boardId: string, keep: number): Promise<void> {
    await this.#write((pool) => run(pool, 'pruneVersions', [boardId, keep]))
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.end()
  }

  async #read(statement: Statement, values: unknown[]): Promise<QueryResultRow[]> {
    return (await run(this.#pool, statement, values)).rows
  }

  /** One statement on its own: atomic by itself, no transaction needed. */
  async #write<T>(work: (pool: Queryable) => Promise<T>): Promise<T> {
    try {
      return await work(this.#pool)
    } catch (error) {
      throw storageError(error)
    }
  }

  async #transaction<T>(work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.#pool.connect().catch((error: unknown) => {
      throw storageError(error)
    })
    try {
      await client.query(begin)
      const result = await work(client)
      await client.query('COMMIT')
      client.release()
      return result
    } catch (error) {
      // A connection that failed mid-transaction may be unusable: it is dropped, not pooled.
      await client.query('ROLLBACK').then(
        () => client.release(),
        (failure: Error) => client.release(failure),
      )
      throw storageError(error)
    }
  }
}

function run(on: Queryable, statement: Statement, values: unknown[]) {
  return on.query({ name: statement, text: SQL[statement], values })
}

async function insertLinks(client: Queryable, boardId: string, links: BoardLinkTokens) {
  const kinds: string[] = [...LINK_KINDS]
  const tokens = LINK_KINDS.map((kind) => links[kind])
  if (links.calendar) {
    kinds.push(CALENDAR_LINK)
    tokens.push(links.calendar)
  }
  await run(client, 'insertLinks', [boardId, kinds, tokens, Date.now()])
}

/**
 * Advances the sequence of every board the turn touches (see `advanceBoards` in SQL) and
 * resolves the per-board number of each update of the batch, in order. A batch holds at most
 * one update per board (one row per board per turn; two are numbered one after the other).
 */
async function advanceBoards(
  client: Queryable,
  batch: readonly PendingUpdate[],
  kept: KeptWithTurn,
  epochs: ReadonlyMap<string, number> | undefined,
): Promise<number[]> {
  const bumps = new Map<string, number>()
  for (const { boardId } of batch) bumps.set(boardId, (bumps.get(boardId) ?? 0) + 1)
  if (epochs) {
    // Claims, ballots and notes are the owner's too: a fenced-out process keeps none of them.
    const touched = [
      ...(kept.claims ?? []),
      ...(kept.ballots ?? []),
      ...(kept.privateNotes ?? []),
    ].map((change) => change.boardId)
    for (const boardId of touched) if (!bumps.has(boardId)) bumps.set(boardId, 0)
  }
  if (bumps.size === 0) return []
  const boards = [...bumps.keys()]
  const { rows } = await run(client, 'advanceBoards', [
    boards,
    boards.map((boardId) => epochs?.get(boardId) ?? null),
    boards.map((boardId) => bumps.get(boardId) ?? 0),
  ])
  const heads = new Map(rows.map((row) => [String(row.board_id), Number(row.board_seq)]))
  const fenced = boards.filter((boardId) => !heads.has(boardId))
  if (fenced.length > 0) throw new FencedOutError(fenced)
  // Each board's updates take the numbers just below its new head, in batch order.
  const next = new Map(boards.map((id) => [id, (heads.get(id) ?? 0) - (bumps.get(id) ?? 0)]))
  return batch.map(({ boardId }) => {
    const boardSeq = (next.get(boardId) ?? 0) + 1
    next.set(boardId, boardSeq)
    return boardSeq
  })
}

/**
 * The turn's updates in one statement, binary parameters (no hex). The identity column numbers
 * the rows in the order VALUES lists them; sorting what RETURNING gives back pairs them up
 * without relying on RETURNING's order.
 */
async function insertUpdates(
  client: Queryable,
  batch: readonly PendingUpdate[],
  boardSeqs: readonly number[],
): Promise<number[]> {
  if (batch.length === 0) return []
  const rows = batch.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ')
  const { rows: inserted } = await client.query<{ seq: string }>(
    `INSERT INTO board_updates (board_id, board_seq, data) VALUES ${rows} RETURNING seq`,
    batch.flatMap(({ boardId, update }, i) => [boardId, boardSeqs[i], update]),
  )
  return inserted.map((row) => Number(row.seq)).sort((a, b) => a - b)
}

async function keepBallots(client: Queryable, changes: KeptWithTurn['ballots'] = []) {
  if (changes.length === 0) return
  const { forgotten, ballots } = netBallotChanges(changes)
  if (forgotten.length > 0) {
    await run(client, 'forgetBallots', [
      forgotten.map((vote) => vote.boardId),
      forgotten.map((vote) => vote.sessionId),
    ])
  }
  const removed = ballots.filter((change) => change.ballot === null)
  if (removed.length > 0) {
    await run(client, 'deleteBallots', [
      removed.map((change) => change.boardId),
      removed.map((change) => change.sessionId),
      removed.map((change) => change.participantId),
    ])
  }
  const kept = ballots.filter((change) => change.ballot !== null)
  if (kept.length > 0) {
    await run(client, 'upsertBallots', [
      kept.map((change) => change.boardId),
      kept.map((change) => change.sessionId),
      kept.map((change) => change.participantId),
      kept.map((change) => JSON.stringify(change.ballot)),
    ])
  }
}

async function keepPrivateNotes(client: Queryable, changes: KeptWithTurn['privateNotes'] = []) {
  if (changes.length === 0) return
  const { forgotten, notes } = netPrivateNoteChanges(changes)
  if (forgotten.length > 0) await run(client, 'forgetPrivateNotes', [forgotten])
  const removed = notes.filter((change) => change.record === null)
  if (removed.length > 0) {
    await run(client, 'deletePrivateNotes', [
      removed.map((change) => change.boardId),
      removed.map((change) => change.noteId),
    ])
  }
  const kept = notes.filter((change) => change.record !== null)
  if (kept.length > 0) {
    await run(client, 'upsertPrivateNotes', [
      kept.map((change) => change.boardId),
      kept.map((change) => change.noteId),
      kept.map((change) => change.participantId),
      kept.map((change) => change.round),
      kept.map((change) => JSON.stringify(change.record)),
    ])
  }
}

function linksOf(rows: readonly QueryResultRow[]): BoardLinkTokens | null {
  const tokens: Partial<BoardLinkTokens> = {}
  for (const row of rows) {
    if (LINK_KINDS.includes(row.kind as LinkKind) || row.kind === CALENDAR_LINK)
      tokens[row.kind as LinkKind | typeof CALENDAR_LINK] = String(row.token)
  }
  // A board has all three links or none; a partial set (never written by us) opens nothing,
  // and a calendar key alone (never written by us either) opens nothing.
  return LINK_KINDS.every((kind) => tokens[kind]) ? (tokens as BoardLinkTokens) : null
}

function versionInfo(row: QueryResultRow): VersionInfo {
  return {
    id: Number(row.id),
    boardId: String(row.board_id),
    name: String(row.name),
    auto: row.auto === true,
    createdAt: Number(row.created_at),
    bytes: Number(row.bytes),
  }
}

/** bytea arrives as a Buffer: handed on as the plain Uint8Array view the other stores give. */
function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array)
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  throw new TypeError(`expected bytea, got ${typeof value}`)
}

/**
 * How PostgreSQL being away shows: the connection refused or cut, the server shutting down or
 * starting (SQLSTATE class 08, 57P01–57P03), a pooled connection that died.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
])
const UNAVAILABLE_MESSAGE =
  /Connection terminated|not queryable|timeout exceeded when trying to connect/

/**
 * A full disk as the store's own error, so the API answers 507 as it does with SQLite; an
 * unreachable PostgreSQL as `StorageUnavailableError`, so sockets are told "storage unavailable".
 */
function storageError(error: unknown): unknown {
  const code = String((error as { code?: unknown }).code ?? '')
  if (code === DISK_FULL) {
    return new StorageFullError(`PostgreSQL has no room to store it: ${(error as Error).message}`)
  }
  if (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    UNAVAILABLE_MESSAGE.test(String((error as Error).message))
  ) {
    return new StorageUnavailableError(`PostgreSQL is unavailable: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return error
}
