/**
 * The servers compared, each started as its own child process on a free loopback port and
 * stopped (SIGTERM, then SIGKILL) when done. Ours runs through the test harness's real process.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeDataDir, removeDataDir, SERVER_NODE_FLAGS, startServer } from '../../support/server.ts'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

export const SERVER_KINDS = [
  'ours',
  'ours-memory',
  'ours-unreviewed',
  'y-websocket',
  'hocuspocus',
  'hocuspocus-sqlite',
  'relay',
] as const

export type ServerKind = (typeof SERVER_KINDS)[number]

export const isServerKind = (name: string): name is ServerKind =>
  (SERVER_KINDS as readonly string[]).includes(name)

/** How a client talks to the server: the y-websocket URL scheme, or Hocuspocus's framing. */
export type Dialect = 'ours' | 'y-websocket' | 'hocuspocus'

export interface ServerInfo {
  kind: ServerKind
  label: string
  version: string
  settings: string
  dialect: Dialect
  /** Persists to disk. */
  persistent: boolean
}

export interface BenchServer extends ServerInfo {
  wsUrl: string
  pid: number
  /** Log lines `ours` printed (room load timings). */
  logs(): { msg: string; [field: string]: unknown }[]
  stop(): Promise<void>
}

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    // Not exported: walk up from the resolved entry point instead.
  }
  try {
    let dir = dirname(require.resolve(name))
    for (let depth = 0; depth < 6; depth++) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const info = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
        if (info.name === name) return info.version ?? 'unknown'
      }
      dir = dirname(dir)
    }
  } catch {
    // not resolvable: reported as unknown
  }
  return 'unknown'
}

export function serverInfo(kind: ServerKind): ServerInfo {
  switch (kind) {
    case 'ours':
      return {
        kind,
        label: 'ours',
        version: 'workspace',
        settings: 'SQLite WAL synchronous=FULL, commit before broadcast',
        dialect: 'ours',
        persistent: true,
      }
    case 'ours-memory':
      return {
        kind,
        label: 'ours (memory)',
        version: 'workspace',
        settings: 'MemoryBoardStore, same commit queue',
        dialect: 'ours',
        persistent: false,
      }
    case 'ours-unreviewed':
      return {
        kind,
        label: 'ours (no review)',
        version: 'workspace',
        settings: 'as ours, without the write review (roles and schema checks of every write)',
        dialect: 'ours',
        persistent: true,
      }
    case 'y-websocket':
      return {
        kind,
        label: 'y-websocket',
        version: `@y/websocket-server ${versionOf('@y/websocket-server')}`,
        settings: 'bin server.js as shipped, in-memory (no YPERSISTENCE)',
        dialect: 'y-websocket',
        persistent: false,
      }
    case 'hocuspocus':
      return {
        kind,
        label: 'hocuspocus',
        version: `@hocuspocus/server ${versionOf('@hocuspocus/server')}`,
        settings: 'defaults, in-memory',
        dialect: 'hocuspocus',
        persistent: false,
      }
    case 'hocuspocus-sqlite':
      return {
        kind,
        label: 'hocuspocus+sqlite',
        version: `@hocuspocus/server ${versionOf('@hocuspocus/server')}, extension-database ${versionOf('@hocuspocus/extension-database')}`,
        settings: 'defaults (store debounce 2 s), Database extension on node:sqlite WAL',
        dialect: 'hocuspocus',
        persistent: true,
      }
    case 'relay':
      return {
        kind,
        label: 'relay (floor)',
        version: `ws ${versionOf('ws')}`,
        settings:
          'no document, no review, no store: writes each update and awareness message, framed once, to every socket',
        dialect: 'y-websocket',
        persistent: false,
      }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface StartOptions {
  /** Reuse a data directory (reload from the store). */
  dataDir?: string
  /** Ours: how long an idle room stays loaded. */
  roomGraceMs?: number
}

export async function startBenchServer(
  kind: ServerKind,
  options: StartOptions = {},
): Promise<BenchServer> {
  const info = serverInfo(kind)
  if (kind === 'ours') {
    const server = await startServer({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      env: {
        LOG_LEVEL: 'info',
        ROOM_GRACE_MS: String(options.roomGraceMs ?? 30_000),
        // Every bench client comes from 127.0.0.1, hundreds on one board: the defaults would refuse.
        MAX_CONNECTIONS_PER_IP: '100000',
        MAX_CONNECTIONS_PER_BOARD: '100000',
        MAX_UPDATES_PER_SECOND: '100000',
        // ...and makes hundreds of boards through the API (see `newRoom`).
        MAX_BOARDS_PER_HOUR_PER_IP: '0',
      },
    })
    const ownDir = !options.dataDir
    return {
      ...info,
      wsUrl: server.wsUrl,
      pid: server.process.pid ?? 0,
      logs: () => server.logs,
      async stop() {
        const timer = setTimeout(() => void server.kill9(), 10_000)
        await server.stop()
        clearTimeout(timer)
        if (ownDir) await removeDataDir(server.dataDir)
      },
    }
  }

  const port = await freePort()
  const dataDir = options.dataDir ?? (info.persistent ? await makeDataDir() : '')
  const ownDir = info.persistent && !options.dataDir
  let child: ChildProcess
  if (kind === 'y-websocket') {
    const main = join(dirname(require.resolve('@y/websocket-server/package.json')), 'src/server.js')
    child = spawn(process.execPath, [main], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  } else {
    // Ours with the flags of its service command; the others as shipped.
    const flags = kind.startsWith('ours') ? SERVER_NODE_FLAGS : []
    const main = join(here, 'serverChild.ts')
    child = spawn(process.execPath, [...flags, main, kind, String(port), dataDir], {
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${kind} did not start within 20 s:\n${output}`))
    }, 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/listening|running at/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`${kind} exited before listening:\n${output}`))
    })
  })
  return {
    ...info,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    logs: () => [],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
      if (ownDir) await removeDataDir(dataDir)
    },
  }
}
