/**
 * Cluster mode for tests: several real server processes on one PostgreSQL database of the test's
 * own and one Redis, under a Redis key prefix of the test's own (so tests sharing the machine's
 * Redis never hear each other), and a Redis of a test's own (`redis-server` on a free port, a
 * child process the test may kill and restart) for the tests where Redis fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import * as Y from 'yjs'
import type { TestDatabase } from './postgres.ts'
import { type RunningServer, type StartServerOptions, startServer } from './server.ts'

/** The machine's Redis (scripts/ensure-services.sh), or TEST_REDIS_URL's. */
export const MACHINE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface ClusterSettings {
  database: TestDatabase
  redisUrl: string
  /** Redis key and channel prefix of this test. */
  prefix: string
}

export function clusterSettings(database: TestDatabase, redisUrl = MACHINE_REDIS_URL) {
  return { database, redisUrl, prefix: `cg-test-${randomBytes(6).toString('hex')}:` }
}

/** One more process of the cluster. */
export function startMember(
  settings: ClusterSettings,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  return startServer({
    ...options,
    env: {
      LOG_LEVEL: 'info',
      DATABASE_URL: settings.database.url,
      REDIS_URL: settings.redisUrl,
      CLUSTER_PREFIX: settings.prefix,
      ...options.env,
    },
  })
}

/** The process (of `members`) that owns `boardId` now, as PostgreSQL's lock table says. */
export async function ownerOf(
  database: TestDatabase,
  members: readonly RunningServer[],
  boardId: string,
): Promise<RunningServer | undefined> {
  const [row] = await database.query<{ owner_process: string }>(
    'SELECT owner_process FROM board_owners WHERE board_id = $1',
    [boardId],
  )
  if (!row) return undefined
  return members.find((member) => processIdOf(member) === row.owner_process)
}

/** A member's cluster process id, from its "listening" log line. */
export function processIdOf(member: RunningServer): string | undefined {
  const line = member.logs.find((entry) => entry.msg === 'listening')
  return line ? String(line.cluster) : undefined
}

/** The board's per-board sequence numbers as stored: 1, 2, 3… when nothing is missing. */
export async function boardSeqsOf(database: TestDatabase, boardId: string): Promise<number[]> {
  const rows = await database.query<{ board_seq: string }>(
    'SELECT board_seq FROM board_updates WHERE board_id = $1 ORDER BY board_seq',
    [boardId],
  )
  return rows.map((row) => Number(row.board_seq))
}

/** Whether the numbers run from their first without a hole (compaction may fold the start). */
export function contiguous(numbers: readonly number[]): boolean {
  return numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1)
}

/** Every update of another client that `seen` holds is in `fresh` too (what is missing). */
export function missingFrom(fresh: Y.Doc, seen: Y.Doc, own = true): string[] {
  const have = Y.decodeStateVector(Y.encodeStateVector(fresh))
  const missing: string[] = []
  for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) {
    if (own && id === seen.clientID) continue // its own latest edits may not have reached a server
    if ((have.get(id) ?? 0) < clock) missing.push(`${id}: ${have.get(id) ?? 0} < ${clock}`)
  }
  return missing
}

export interface OwnRedis {
  url: string
  port: number
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  restart(): Promise<void>
}

/** A `redis-server` of the test's own on a free port, keeping nothing on disk. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort()
  let child: ChildProcess | null = null
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    for (let i = 0; i < 100; i++) {
      if (await answers(port)) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`redis-server did not answer on port ${port}`)
  }
  await start()
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      const running = child
      if (!running || running.exitCode !== null || running.signalCode !== null) return
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGKILL')
      await exited
    },
    restart: start,
  }
  return own
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.connect(port, '127.0.0.1')
  })
}

export interface OwnPostgres {
  /** A database on it, for DATABASE_URL and for looking inside. */
  database: TestDatabase
  /** `pg_ctl stop -m immediate`: as if the machine lost power (WAL recovery at the next start). */
  stop(): Promise<void>
  start(): Promise<void>
  /** Stops it and removes its files. */
  remove(): Promise<void>
}

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, a free port), for the
 * tests that stop PostgreSQL: the machine's is never stopped. As root it runs as the `postgres`
 * user (PostgreSQL refuses root).
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin()
  const dir = await mkdtemp(path.join(tmpdir(), 'cg-pg-'))
  const root = process.getuid?.() === 0
  if (root) await run('chown', ['postgres', dir])
  const as = (command: string, args: string[]) =>
    root
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args])
      : run(path.join(bin, command), args)
  const data = path.join(dir, 'data')
  await as('initdb', ['-D', data, '--auth=trust', '--username=root', '-E', 'UTF8', '--no-sync'])
  const port = await freePort()
  const start = () =>
    as('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
      'start',
    ])
  await start()
  const url = `postgresql://root@127.0.0.1:${port}/postgres`
  const database: TestDatabase = {
    url,
    async query(sql, values) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        return (await client.query(sql, values)).rows
      } finally {
        await client.end()
      }
    },
    drop: async () => {},
  }
  const stop = () => as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
  return {
    database,
    stop,
    start,
    async remove() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions) {
    const bin = path.join(root, version, 'bin')
    if (existsSync(path.join(bin, 'initdb'))) return bin
  }
  throw new Error(
    'initdb not found under /usr/lib/postgresql (scripts/ensure-services.sh installs it)',
  )
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let errors = ''
    child.stderr?.on('data', (chunk) => {
      errors += String(chunk)
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${errors}`)),
    )
  })
}
