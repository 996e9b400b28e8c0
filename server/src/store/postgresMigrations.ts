/**
 * The PostgreSQL schema, as an ordered list of migrations applied at start. Each is applied once,
 * in its own transaction, and recorded in `schema_migrations`; an advisory lock makes processes
 * that start together take turns, so exactly one of them applies what is missing and the others
 * find it done. A migration is never edited once released: a change is a new entry at the end.
 *
 * The tables mean what they mean in the SQLite store (SqliteBoardStore.ts), with PostgreSQL's
 * types: `bytea` for Yjs data, `bigint` for times in milliseconds and Yjs client ids (unsigned
 * 32-bit), `json` (kept as written, key order included) for ballots and private notes.
 */
import type { ClientBase } from 'pg'

export interface Migration {
  /** Increasing, never reused. */
  version: number
  /** What it does, for `schema_migrations` and for people reading it. */
  name: string
  sql: string
}

/**
 * Key of the session advisory lock held while migrating. A fixed number of our own ("CG" and
 * 1); later per-board ownership locks take keys of their own form, so they never meet this one.
 */
export const MIGRATION_LOCK = 0x4347_0000_0001

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'boards, links, update log, snapshots, versions, client owners, ballots, private notes',
    sql: `
      -- One row per board. Every other table refers to it (cluster mode fences commits on
      -- board_owners, migration 2).
      CREATE TABLE boards (
        id text PRIMARY KEY,
        title text NOT NULL,
        template text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE TABLE board_links (
        board_id text NOT NULL REFERENCES boards (id),
        kind text NOT NULL,
        token text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (board_id, kind)
      );
      -- seq comes from one sequence for the whole store: increasing, never reused, so a
      -- snapshot's up_to_seq stays meaningful after the rows it covers are deleted.
      CREATE TABLE board_updates (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        board_id text NOT NULL REFERENCES boards (id),
        data bytea NOT NULL
      );
      CREATE INDEX board_updates_by_board ON board_updates (board_id, seq);
      CREATE TABLE board_snapshots (
        board_id text PRIMARY KEY REFERENCES boards (id),
        up_to_seq bigint NOT NULL,
        data bytea NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE board_versions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        board_id text NOT NULL REFERENCES boards (id),
        name text NOT NULL,
        auto boolean NOT NULL,
        created_at bigint NOT NULL,
        data bytea NOT NULL
      );
      CREATE INDEX board_versions_by_board ON board_versions (board_id, id);
      CREATE TABLE board_client_owners (
        board_id text NOT NULL REFERENCES boards (id),
        client bigint NOT NULL,
        device text NOT NULL,
        PRIMARY KEY (board_id, client)
      );
      CREATE TABLE board_ballots (
        board_id text NOT NULL REFERENCES boards (id),
        session_id text NOT NULL,
        participant_id text NOT NULL,
        ballot json NOT NULL,
        PRIMARY KEY (board_id, session_id, participant_id)
      );
      CREATE TABLE board_private_notes (
        board_id text NOT NULL REFERENCES boards (id),
        note_id text NOT NULL,
        participant_id text NOT NULL,
        round integer NOT NULL,
        record json NOT NULL,
        PRIMARY KEY (board_id, note_id)
      );
    `,
  },
  {
    version: 2,
    name: 'cluster mode: board owners fenced by an epoch, a per-board sequence, process heartbeats, creation budgets',
    sql: `
      -- One row per board: the epoch its owner holds it under (bumped at every takeover), and
      -- the last per-board sequence number given to a committed turn. Every commit updates
      -- this row WHERE epoch = <the committer's>, in the turn's transaction: zero rows updated
      -- means the committer was fenced out. The row lock also orders commits and takeovers.
      CREATE TABLE board_owners (
        board_id text PRIMARY KEY REFERENCES boards (id),
        epoch bigint NOT NULL DEFAULT 0,
        board_seq bigint NOT NULL DEFAULT 0,
        owner_process text,
        claimed_at timestamptz
      );
      -- The processes of a cluster, each heartbeating on the connection that holds its board
      -- locks: a stale heartbeat is what lets another process take over a paused owner.
      CREATE TABLE cluster_processes (
        process_id text PRIMARY KEY,
        lock_backend_pid integer NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      -- Contiguous per board (1, 2, 3, …): a replica that sees n+2 after n knows it missed one.
      ALTER TABLE board_updates ADD COLUMN board_seq bigint;
      UPDATE board_updates u SET board_seq = numbered.n
        FROM (SELECT seq, row_number() OVER (PARTITION BY board_id ORDER BY seq) AS n
              FROM board_updates) AS numbered
        WHERE u.seq = numbered.seq;
      ALTER TABLE board_updates ALTER COLUMN board_seq SET NOT NULL;
      CREATE UNIQUE INDEX board_updates_by_board_seq ON board_updates (board_id, board_seq);
      ALTER TABLE board_snapshots ADD COLUMN up_to_board_seq bigint NOT NULL DEFAULT 0;
      -- The per-address budget of board creation (MAX_BOARDS_PER_HOUR_PER_IP) in cluster mode, so
      -- that N processes do not give one address N budgets: a token bucket per address.
      CREATE TABLE creation_budgets (
        address text PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at bigint NOT NULL
      );
      INSERT INTO board_owners (board_id, board_seq)
        SELECT b.id, COALESCE(max(u.board_seq), 0)
        FROM boards b LEFT JOIN board_updates u ON u.board_id = b.id
        GROUP BY b.id;
    `,
  },
]

/** The database holds a schema from a newer server than this one: refuse to run on it. */
export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError'
}

/**
 * Applies the migrations `client`'s database lacks, oldest first; resolves the versions it
 * applied (none when another process got there first). `client` is one session: the advisory
 * lock is held on it and released before this returns.
 */
export async function migrate(
  client: ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `)
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    )
    const applied = new Set(rows.map((row) => row.version))
    const known = new Set(migrations.map((migration) => migration.version))
    const unknown = [...applied].filter((version) => !known.has(version))
    if (unknown.length > 0) {
      throw new SchemaTooNewError(
        `the database has schema migrations this server does not know (${unknown.join(', ')}): ` +
          'it was used by a newer version of Common Ground; run that version or newer',
      )
    }
    const done: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(migration.sql)
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ])
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
      done.push(migration.version)
    }
    return done
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
  }
}
