/**
 * The server's settings, read once from the environment. Every value is validated here so a typo
 * in a deployment stops the process at start with a message naming the variable, instead of
 * surfacing later as odd behaviour.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LOG_LEVELS, type LogLevel } from './log.ts'

export interface Config {
  host: string
  /** 0 asks the OS for a free port (tests). */
  port: number
  /** Absolute directory holding the SQLite database. */
  dataDir: string
  /**
   * PostgreSQL connection URL: boards are stored there instead of in SQLite under `dataDir`.
   * Null (the default): SQLite.
   */
  databaseUrl: string | null
  /**
   * Redis URL. With `databaseUrl` too, the server runs in cluster mode: several processes on one
   * PostgreSQL and one Redis share the boards (server/src/cluster/). Null: a single process.
   */
  redisUrl: string | null
  /** Prefix of the cluster's Redis keys and channels, so clusters can share one Redis. */
  clusterPrefix: string
  /** Largest WebSocket frame a client may send; bigger frames close the connection (1009). */
  maxFrameBytes: number
  /** Open sync connections one board accepts; more close with 1013 "board full". */
  maxConnectionsPerBoard: number
  /** Open sync connections from one address; more are refused with HTTP 429. */
  maxConnectionsPerIp: number
  /** Messages per second one connection may send (a burst of 3 s worth); more close with 4029. */
  maxUpdatesPerSecond: number
  /** Boards held in memory; idle ones are unloaded first, then new ones close with 1013. */
  maxLoadedBoards: number
  /** Stored bytes of one board (snapshot + log); past it, changes close with 4413. */
  maxBoardBytes: number
  /**
   * Cap on the whole database file (0: none, the disk is the limit). Past it every write fails
   * exactly as on a full disk; tests use it to fill the "disk" for real.
   */
  maxDatabaseBytes: number
  /**
   * Boards one remote address may create per hour through `POST /api/boards` (a token bucket:
   * all at once, then one every hour / N); more answer 429. 0: no limit.
   */
  maxBoardsPerHourPerIp: number
  /** Boards the store may hold in all; past it `POST /api/boards` answers 507. 0: no cap. */
  maxBoards: number
  /** How long a room stays in memory after its last connection leaves. */
  roomGraceMs: number
  /** Stored updates a board may accumulate before they are folded into one snapshot. */
  compactAfterUpdates: number
  /** Liveness: every connection is pinged this often and dropped if it missed the last ping. */
  pingIntervalMs: number
  /**
   * Bytes waiting to be sent to one connection, besides the largest message on its way (a whole
   * board to a slow device), past which it is closed (4008 "send buffer full").
   */
  maxSendBufferBytes: number
  /** Automatic version of every board that changed, this often (0: none). */
  snapshotIntervalMs: number
  /** Automatic versions kept per board (named ones are never dropped). */
  snapshotsKept: number
  logLevel: LogLevel
  /** Absolute directory of the built client (index.html + assets/). */
  clientDist: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** `<repo>/client/dist`, found from this file so it does not depend on the working directory. */
export const DEFAULT_CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url))

type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const databaseUrl = serviceUrl(
    env,
    'DATABASE_URL',
    ['postgres:', 'postgresql:'],
    'postgresql://user@host:port/database',
  )
  const maxDatabaseBytes = integer(env, 'MAX_DATABASE_BYTES', 0, 0, 2 ** 50)
  if (databaseUrl && maxDatabaseBytes > 0) {
    // SQLite's own cap (max_page_count); PostgreSQL's space is the disk's or the operator's quota.
    throw new ConfigError(
      'MAX_DATABASE_BYTES applies to the SQLite store only: unset it or DATABASE_URL',
    )
  }
  const redisUrl = serviceUrl(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://host:port')
  if (redisUrl && !databaseUrl) {
    throw new ConfigError(
      'REDIS_URL needs DATABASE_URL: cluster mode keeps the boards in PostgreSQL',
    )
  }
  const clusterPrefix = text(env, 'CLUSTER_PREFIX', 'cg:')
  if (!/^[\w:.-]{1,64}$/.test(clusterPrefix)) {
    throw new ConfigError('CLUSTER_PREFIX must be 1 to 64 letters, digits, or _ : . -')
  }
  return {
    host: text(env, 'HOST', '127.0.0.1'),
    port: integer(env, 'PORT', 8787, 0, 65_535),
    dataDir: path.resolve(cwd, text(env, 'DATA_DIR', './data')),
    databaseUrl,
    redisUrl,
    clusterPrefix,
    maxFrameBytes: integer(env, 'MAX_FRAME_BYTES', 1_048_576, 1024, 256 * 1024 * 1024),
    maxConnectionsPerBoard: integer(env, 'MAX_CONNECTIONS_PER_BOARD', 500, 1, 1_000_000),
    maxConnectionsPerIp: integer(env, 'MAX_CONNECTIONS_PER_IP', 200, 1, 1_000_000),
    maxUpdatesPerSecond: integer(env, 'MAX_UPDATES_PER_SECOND', 300, 1, 1_000_000),
    maxLoadedBoards: integer(env, 'MAX_LOADED_BOARDS', 1000, 1, 1_000_000),
    maxBoardBytes: integer(env, 'MAX_BOARD_BYTES', 64 * 1024 * 1024, 1024, 2 ** 40),
    maxDatabaseBytes,
    maxBoardsPerHourPerIp: integer(env, 'MAX_BOARDS_PER_HOUR_PER_IP', 60, 0, 1_000_000),
    maxBoards: integer(env, 'MAX_BOARDS', 0, 0, 1_000_000_000),
    roomGraceMs: integer(env, 'ROOM_GRACE_MS', 30_000, 0, 24 * 60 * 60 * 1000),
    compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', 500, 1, 1_000_000),
    pingIntervalMs: integer(env, 'PING_INTERVAL_MS', 30_000, 100, 10 * 60 * 1000),
    maxSendBufferBytes: integer(env, 'MAX_SEND_BUFFER_BYTES', 32 * 1024 * 1024, 65_536, 2 ** 40),
    snapshotIntervalMs: integer(
      env,
      'SNAPSHOT_INTERVAL_MS',
      10 * 60 * 1000,
      0,
      7 * 24 * 3600 * 1000,
    ),
    snapshotsKept: integer(env, 'SNAPSHOTS_KEPT', 48, 1, 100_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    clientDist: path.resolve(cwd, text(env, 'CLIENT_DIST', DEFAULT_CLIENT_DIST)),
  }
}

/** An empty variable counts as unset: env files often carry `PORT=` lines. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function text(env: Env, name: string, fallback: string): string {
  return read(env, name) ?? fallback
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`)
  }
  return value
}

/**
 * A service's URL (`protocols` e.g. `postgres:`), or null when unset. Never echoed: it may hold a
 * password. `shape` is how the error shows one.
 */
function serviceUrl(
  env: Env,
  name: string,
  protocols: readonly string[],
  shape: string,
): string | null {
  const raw = read(env, name)
  if (raw === undefined) return null
  let protocol = ''
  try {
    protocol = new URL(raw).protocol
  } catch {}
  if (!protocols.includes(protocol)) throw new ConfigError(`${name} must be a ${shape} URL`)
  return raw
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`)
  }
  return raw as T
}
