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
 * owner's lock session (`pg_terminate_backend`), which frees the lock, and then takes it; if the
 * stale owner also sits in an open transaction on the board's row, its other sessions are ended
 * too (the transaction rolls back: nobody had been sent any of it). A killed owner's lock frees
 * itself when its connection dies.
 *
 * When this process's own lock session ends (PostgreSQL restarted, or a takeover ended it while
 * the process was paused), its boards are not dropped at once: commits keep being fenced by the
 * epochs held, and the locks are taken again on a new session. A board whose epoch moved
 * meanwhile was taken over: it is lost (`onLost`), if its next commit has not already found out.
 */
import pg from 'pg'
import type { Logger } from '../log.ts'

/** How long a board taken over stays with a process that lost its lock session, unless a commit
 * finds out first (see `#reclaim`). */
const LOST_AFTER_MS = 1000

/** SQLSTATE lock_not_available: `lock_timeout` ran out. */
const LOCK_NOT_AVAILABLE = '55P03'

/** A board's row is held by another process's open transaction: it cannot be claimed now. */
export class RowBusyError extends Error {
  override name = 'RowBusyError'
  constructor(boardId: string) {
    super(`board ${boardId} is held in another process's open transaction`)
  }
}

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
  // Every board of $1 at once (one look at pg_locks per round, however many replicas).
  holders: `WITH k AS (SELECT board, hashtextextended(board, 18) AS key
      FROM unnest($1::text[]) AS board)
    SELECT k.board, a.application_name, a.pid,
      coalesce(clock_timestamp() - p.heartbeat_at > make_interval(secs => $2 / 1000.0), true) AS stale
    FROM k, pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    LEFT JOIN cluster_processes p ON 'common-ground/' || p.process_id = a.application_name
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = ((k.key >> 32) & 4294967295)::oid
      AND l.objid = (k.key & 4294967295)::oid`,
  terminateSession: 'SELECT pg_terminate_backend($1) AS ended',
  terminateAll: `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
    WHERE application_name = $1 AND datname = current_database()`,
  epochOf: 'SELECT epoch FROM board_owners WHERE board_id = $1',
  stale: `SELECT coalesce(bool_and(clock_timestamp() - heartbeat_at > make_interval(secs => $2 / 1000.0)), true) AS stale
    FROM cluster_processes WHERE process_id = $1`,
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
  /** The backend pid of the session holding the lock. */
  pid: number
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
    // As in PostgresBoardStore: a checked-out connection that ends must not kill the process.
    this.#pool.on('connect', (client) => {
      client.on('error', (error) => options.log.warn('postgresql connection lost', { error }))
    })
  }

  async start(): Promise<void> {
    await this.#connect()
    await this.#pool.query(SQL.forgetOld).catch(() => undefined)
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  /** How many boards this process owns. */
  get heldCount(): number {
    return this.#held.size
  }

  /** The epoch this process holds the board under; undefined when it does not own it. */
  epochOf(boardId: string): number | undefined {
    return this.#held.get(boardId)
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
    return (await this.holdersOf([boardId])).get(boardId) ?? null
  }

  /** Who holds each of the boards (absent: nobody). */
  async holdersOf(boardIds: readonly string[]): Promise<Map<string, Holder>> {
    const holders = new Map<string, Holder>()
    if (boardIds.length === 0) return holders
    const { rows } = await this.#pool.query<{
      board: string
      application_name: string
      pid: number
      stale: boolean
    }>(SQL.holders, [boardIds, TAKEOVER_AFTER_MS])
    const prefix = applicationNameOf('')
    for (const row of rows) {
      const name = row.application_name
      holders.set(row.board, {
        process: name.startsWith(prefix) ? name.slice(prefix.length) : null,
        pid: row.pid,
        stale: row.stale,
      })
    }
    return holders
  }

  /** Whether a process's heartbeat is older than TAKEOVER_AFTER_MS (or it has none). */
  async isStale(processId: string): Promise<boolean> {
    const { rows } = await this.#pool.query<{ stale: boolean }>(SQL.stale, [
      processId,
      TAKEOVER_AFTER_MS,
    ])
    return rows[0]?.stale !== false
  }

  /**
   * Frees the locks of a process whose heartbeat went stale (a paused owner) by ending the
   * session that holds them (`holder.pid`); with `everything`, every session of the process (one
   * may hold the board's row in an open transaction, which then rolls back).
   */
  async takeOverFrom(holder: Holder, everything = false): Promise<void> {
    if (!holder.process) return
    if (everything) {
      const { rows } = await this.#pool.query<{ ended: number }>(SQL.terminateAll, [
        applicationNameOf(holder.process),
      ])
      this.#options.log.warn('ended every session of a stale process', {
        process: holder.process,
        ended: rows[0]?.ended ?? 0,
      })
      return
    }
    await this.#pool.query(SQL.terminateSession, [holder.pid])
    this.#options.log.warn('took the locks of a stale process', { process: holder.process })
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
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
        // The previous owner sits in a transaction on the row (paused mid-commit): it is ended
        // by the next takeover (everything), and the board claimed on a later try.
        throw new RowBusyError(boardId)
      }
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
      await client.query("SET LOCAL lock_timeout = '2s'")
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

  /** The session ended: its locks went with it. Take them again where the epoch did not move. */
  #lost(session: pg.Client): void {
    if (this.#session !== session) return
    this.#session = null
    if (this.#closed || this.#held.size === 0) return
    this.#options.log.warn('ownership session lost', { boards: this.#held.size })
    void this.#reclaim()
  }

  async #reclaim(): Promise<void> {
    for (let attempt = 0; !this.#closed && this.#held.size > 0; attempt++) {
      try {
        const session = this.#session ?? (await this.#connect())
        for (const [boardId, epoch] of [...this.#held]) {
          const { rows } = await session.query<{ won: boolean }>(SQL.tryLock, [boardId])
          const won = rows[0]?.won === true
          const current = won
            ? Number((await this.#pool.query(SQL.epochOf, [boardId])).rows[0]?.epoch)
            : null
          if (won && current === epoch) continue // nobody took it meanwhile: still ours
          if (won) await session.query(SQL.unlock, [boardId])
          if (this.#held.get(boardId) !== epoch) continue // released or lost meanwhile
          // The fence decides first: a room with a turn to commit finds out there (and is
          // dropped). This is the backstop for a room with nothing to commit.
          setTimeout(() => {
            if (this.#held.get(boardId) !== epoch) return
            this.#held.delete(boardId)
            this.#options.log.error('board ownership lost', { board: boardId, epoch })
            this.#options.onLost([boardId])
          }, LOST_AFTER_MS).unref()
        }
        return
      } catch (error) {
        this.#options.log.warn('taking the board locks again failed', { error, attempt })
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
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
