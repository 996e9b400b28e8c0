/**
 * Runs the real server as a child process (`node server/src/main.ts`, the same Node as the test
 * runner) on an ephemeral port with its own data directory, and reads its JSON log lines.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const SERVER_DIR = fileURLToPath(new URL('../../server', import.meta.url))
export const SERVER_MAIN = path.join(SERVER_DIR, 'src', 'main.ts')
/** The Node flags of the service command (README.md, "Running it as a service"). */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4']

export interface StartServerOptions {
  /** Reuse a data directory (a restart); a fresh temporary one by default. */
  dataDir?: string
  /** A fixed port (e.g. the previous one, so clients reconnect on their own); 0 by default. */
  port?: number
  /** Extra environment for the server (MAX_FRAME_BYTES, ROOM_GRACE_MS, DATABASE_URL, …). */
  env?: Record<string, string>
  /** How long to wait for the "listening" line. */
  timeoutMs?: number
}

export interface LogLine {
  time: string
  level: string
  msg: string
  [field: string]: unknown
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** `ws://127.0.0.1:<port>` (append `/sync`, or `/sync/<id>` for raw sockets) */
  wsUrl: string
  port: number
  dataDir: string
  process: ChildProcess
  /** Every JSON line the server logged so far. */
  logs: LogLine[]
  /** Raw stdout and stderr so far, for failure messages. */
  output(): string
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
  /** SIGTERM (graceful shutdown); resolves the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL: no shutdown code runs at all. */
  kill9(): Promise<void>
}

const running = new Set<RunningServer>()

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'cg-test-'))
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** Kills whatever a test left running (for `afterAll`). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.kill9()))
}

/** Runs `use` with a fresh server, then stops it and removes the data directory it made. */
export async function withServer<T>(
  use: (server: RunningServer) => Promise<T>,
  options: StartServerOptions = {},
): Promise<T> {
  const server = await startServer(options)
  try {
    return await use(server)
  } finally {
    await server.stop()
    if (!options.dataDir) await removeDataDir(server.dataDir)
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await makeDataDir())
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_MAIN], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      DATA_DIR: dataDir,
      // SQLite unless a test asks for PostgreSQL: a DATABASE_URL of the caller's is not the tests'.
      DATABASE_URL: '',
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })

  const logs: LogLine[] = []
  interface Waiter {
    match: (line: LogLine) => boolean
    resolve: (line: LogLine) => void
  }
  const waiters = new Set<Waiter>()
  let raw = ''
  let pending = ''
  child.stdout?.setEncoding('utf8')
  child.stderr?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    raw += chunk
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const text of lines) {
      let line: LogLine
      try {
        line = JSON.parse(text) as LogLine
      } catch {
        continue
      }
      logs.push(line)
      for (const waiter of waiters) {
        if (waiter.match(line)) {
          waiters.delete(waiter)
          waiter.resolve(line)
        }
      }
    }
  })
  child.stderr?.on('data', (chunk: string) => {
    raw += chunk
  })
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 10_000) => {
    const seen = logs.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        reject(new Error(`no matching server log line within ${timeoutMs} ms; output:\n${raw}`))
      }, timeoutMs)
      const waiter: Waiter = {
        match,
        resolve: (line) => {
          clearTimeout(timer)
          resolve(line)
        },
      }
      waiters.add(waiter)
      void exited.then(() => {
        if (!waiters.has(waiter)) return
        waiters.delete(waiter)
        clearTimeout(timer)
        reject(new Error(`server exited before the expected log line; output:\n${raw}`))
      })
    })
  }

  const listening = await waitForLog(
    (line) => line.msg === 'listening',
    options.timeoutMs ?? 20_000,
  )
  const url = String(listening.url)
  const port = Number(new URL(url).port)
  const hasExited = () => child.exitCode !== null || child.signalCode !== null

  const server: RunningServer = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port,
    dataDir,
    process: child,
    logs,
    output: () => raw,
    waitForLog,
    async stop() {
      if (!hasExited()) child.kill('SIGTERM')
      const code = await exited
      running.delete(server)
      return code
    },
    async kill9() {
      if (!hasExited()) child.kill('SIGKILL')
      await exited
      running.delete(server)
    },
  }
  running.add(server)
  return server
}
