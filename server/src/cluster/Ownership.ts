/**
 * Which boards this process owns, decided by PostgreSQL alone. A board's owner holds a session
 * advisory lock on it, on ONE dedicated connection per process (never pooled: the lock lives
 * and dies with that session). Winning the lock, it bumps the board's epoch in `board_owners`;
 * every commit then advances the board's sequence only where that epoch still holds
 * (PostgresBoardStore.appendTurn), so an owner that lost the board without knowing it (paused,
 * then taken over) is fenced out at its next commit.
 *
 * The same connection writes the process's heartbeat (`cluster_processes`) every second. A
 * process that wants a board whose owner's heartbeat is older than TAKEOVER_AFTER_MS ends that
 * owner's sessions (`pg_terminate_backend`: the lock is freed, a transaction it had open is
 * rolled back) and then takes the lock. A killed owner's lock frees itself when its connection
 * dies.
 */
import pg from 'pg'
import type { Logger } from '../log.ts'

/** A heartbeat older than this marks its process as gone (paused, cut off, wedged). */
export const TAKEOVER_AFTER_MS = 5000
const HEARTBEAT_MS = 1000

/** Every session of a cluster process is named so, which is how a takeover finds them all. */
export function applicationNameOf(processId: string): string {
  return `common-ground/${processId}`
}

/** The advisory lock key of a board: a 64-bit hash of its id (a seed of our own). */
const LOCK_KEY = 'hashtextextended($1, 18)'

const SQL = {
  tryLock: `SELECT pg_try_advisory_lock(${LOCK_KEY}) AS won`,
  unlock: `SELECT pg_advisory_unlock(${LOCK_KEY}) AS released`,
  heartbeat: `INSERT INTO cluster_processes (process_id, lock_backend_pid)
    VALUES ($1, pg_backend_pid())
    ON CONFLICT (process_id) DO UPDATE
      SET heartbeat_at = clock_timestamp(), lock_backend_pid = excluded.lock_backend_pid`,
  bumpEpoch: `INSERT INTO board_owners (board_id, epoch, owner_process, claimed_at)
    VALUES ($1, 1, $2, clock_timestamp())
    ON CONFLICT (board_id) DO UPDATE
      SET epoch = board_owners.epoch + 1, owner_process = excluded.owner_process,
        claimed_at = excluded.claimed_at
    RETURNING epoch`,
  // The session holding the board's lock (a bigint key is split into classid and objid), its
  // process, and whether that process's heartbeat is stale.
  holder: `WITH k AS (SELECT ${LOCK_KEY} AS key)
    SELECT a.application_name,
      coalesce(clock_timestamp() - p.heartbeat_at > make_interval(secs => $2 / 1000.0), true) AS stale
    FROM k, pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    LEFT JOIN cluster_processes p ON 'common-ground/' || p.process_id = a.application_name
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = ((k.key >> 32) & 4294967295)::oid
      AND l.objid = (k.key & 4294967295)::oid`,
  terminate: `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
    WHERE application_name = $1 AND datname = current_database()`,
  forget: 'DELETE FROM cluster_processes WHERE process_id = $1',
  forgetOld: `DELETE FROM cluster_processes
    WHERE clock_timestamp() - heartbeat_at > interval '1 hour'`,
} as const

export interface OwnershipOptions {
  url: string
  processId: string
  log: Logger
  /** The dedicated session ended: every board this process held is no longer its own. */
  onLost(boards: readonly string[]): void
}

/** Who holds a board's lock: a process of the cluster (or another session, `process` null). */
export interface Holder {
  process: string | null
  /** Its heartbeat is older than TAKEOVER_AFTER_MS (or it has none). */
  stale: boolean
}

export class Ownership {
  readonly processId: string
  #options: OwnershipOptions
  #session: pg.Client | null = null
  /** A few pooled connections for what must not wait behind the session (epochs, lookups). */
  #pool: pg.Pool
  #held = new Map<string, number>()
  /** Boards being claimed right now: one claim per board at a time. */
  #claiming = new Map<string, Promise<number | null>>()
  #heartbeat: NodeJS.Timeout | null = null
  #closed = false
  #connecting: Promise<pg.Client> | null = null

  constructor(options: OwnershipOptions) {
    this.#options = options
    this.processId = options.processId
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: 3,
      application_name: applicationNameOf(options.processId),
    })
    this.#pool.on('error', (error) => options.log.warn('postgresql connection lost', { error }))
  }

  async start(): Promise<void> {
    await this.#connect()
    await this.#pool.query(SQL.forgetOld).catch(() => undefined)
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  /** The epoch this process holds the board under; undefined when it does not own it. */
  epochOf(boardId: string): number | undefined {
    return this.#held.get(boardId)
  }

  get held(): ReadonlyMap<string, number> {
    return this.#held
  }

  /**
   * Makes this process the board's owner if nobody else is: resolves the new epoch, or null when
   * another session holds the board.
   */
  claim(boardId: string): Promise<number | null> {
    const held = this.#held.get(boardId)
    if (held !== undefined) return Promise.resolve(held)
    const pending = this.#claiming.get(boardId)
    if (pending) return pending
    const claim = this.#claim(boardId).finally(() => this.#claiming.delete(boardId))
    this.#claiming.set(boardId, claim)
    return claim
  }

  /** Lets the board go (its room is gone). */
  release(boardId: string): void {
    if (!this.#held.delete(boardId)) return
    const session = this.#session
    if (!session) return
    session.query(SQL.unlock, [boardId]).catch((error: unknown) => {
      this.#options.log.warn('releasing a board failed', { board: boardId, error })
    })
  }

  /** Who holds the board now (null: nobody). */
  async holderOf(boardId: string): Promise<Holder | null> {
    const { rows } = await this.#pool.query<{ application_name: string; stale: boolean }>(
      SQL.holder,
      [boardId, TAKEOVER_AFTER_MS],
    )
    const [row] = rows
    if (!row) return null
    const prefix = applicationNameOf('')
    const name = row.application_name
    return {
      process: name.startsWith(prefix) ? name.slice(prefix.length) : null,
      stale: row.stale,
    }
  }

  /**
   * Ends every session of a process whose heartbeat went stale (a paused owner): its locks are
   * freed and whatever it had open is rolled back. Resolves how many sessions were ended.
   */
  async takeOverFrom(processId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ ended: number }>(SQL.terminate, [
      applicationNameOf(processId),
    ])
    const ended = rows[0]?.ended ?? 0
    this.#options.log.warn('took over from a stale process', { process: processId, ended })
    return ended
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    this.#held.clear()
    const session = this.#session
    this.#session = null
    if (session) {
      // Ending the session frees every lock it holds.
      await session.query(SQL.forget, [this.processId]).catch(() => undefined)
      await session.end().catch(() => undefined)
    }
    await this.#pool.end().catch(() => undefined)
  }

  async #claim(boardId: string): Promise<number | null> {
    const session = this.#session ?? (await this.#connect())
    const { rows } = await session.query<{ won: boolean }>(SQL.tryLock, [boardId])
    if (!rows[0]?.won) return null
    if (this.#session !== session) return null // the session died meanwhile: the lock with it
    try {
      const epoch = await this.#bumpEpoch(boardId)
      this.#held.set(boardId, epoch)
      this.#options.log.info('board claimed', { board: boardId, epoch })
      return epoch
    } catch (error) {
      await session.query(SQL.unlock, [boardId]).catch(() => undefined)
      throw error
    }
  }

  /**
   * In its own transaction, waiting at most a few seconds for the row: an in-flight commit of the
   * previous owner finishes first (so what we load afterwards holds it), and one that cannot
   * finish (its process is paused) was ended by the takeover.
   */
  async #bumpEpoch(boardId: string): Promise<number> {
    const client = await this.#pool.connect()
    try {
      await client.query('BEGIN')
      await client.query("SET LOCAL lock_timeout = '5s'")
      const { rows } = await client.query<{ epoch: string }>(SQL.bumpEpoch, [
        boardId,
        this.processId,
      ])
      await client.query('COMMIT')
      client.release()
      return Number(rows[0]?.epoch)
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      client.release(error as Error)
      throw error
    }
  }

  #connect(): Promise<pg.Client> {
    this.#connecting ??= (async () => {
      const session = new pg.Client({
        connectionString: this.#options.url,
        application_name: applicationNameOf(this.processId),
      })
      session.on('error', (error) => {
        this.#options.log.warn('ownership session lost', { error })
        this.#lost(session)
      })
      session.on('end', () => this.#lost(session))
      await session.connect()
      await session.query(SQL.heartbeat, [this.processId])
      this.#session = session
      return session
    })().finally(() => {
      this.#connecting = null
    })
    return this.#connecting
  }

  /** The session ended: its locks went with it. */
  #lost(session: pg.Client): void {
    if (this.#session !== session) return
    this.#session = null
    const boards = [...this.#held.keys()]
    this.#held.clear()
    if (boards.length > 0) {
      this.#options.log.error('board ownership lost', { boards: boards.length })
      this.#options.onLost(boards)
    }
  }

  async #beat(): Promise<void> {
    if (this.#closed) return
    try {
      const session = this.#session ?? (await this.#connect())
      await session.query(SQL.heartbeat, [this.processId])
    } catch (error) {
      this.#options.log.debug('cluster heartbeat failed', { error })
    }
  }
}
