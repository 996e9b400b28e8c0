/**
 * One real server process per integration file, and the Node clients its tests open: started
 * before the file's tests, everything closed after (the data directory removed too). The
 * end-to-end twin, with a browser, is `e2e/session.ts`.
 */
import { afterAll, beforeAll } from 'vitest'
import { type CreatedBoard, type LinkKind, participantOf } from './boards.ts'
import {
  type RunningServer,
  removeDataDir,
  type StartServerOptions,
  startServer,
  stopAllServers,
} from './server.ts'
import { type ConnectOptions, connectClient, type YClient } from './yclient.ts'

export interface ServerSession {
  server: RunningServer
  /** A client on a board (the facilitate key of a board the tests created, unless `params`). */
  client(boardId: string, options?: ConnectOptions): YClient
  /** A person opening one of a created board's links, synced, with their two ids. */
  join(
    board: CreatedBoard,
    kind: LinkKind,
  ): Promise<{ client: YClient; participantId: string; personId: string }>
}

export function useServer(options: StartServerOptions = {}): ServerSession {
  const clients: YClient[] = []
  const session: ServerSession = {
    server: undefined as unknown as RunningServer,
    client(boardId, connectOptions) {
      const client = connectClient(session.server.wsUrl, boardId, connectOptions)
      clients.push(client)
      return client
    },
    async join(board, kind) {
      const person = participantOf(board.id, kind)
      const client = session.client(board.id, { params: person.params })
      await client.whenSynced()
      return { client, participantId: person.participantId, personId: person.personId }
    },
  }
  beforeAll(async () => {
    session.server = await startServer(options)
  })
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await session.server?.stop()
    if (session.server) await removeDataDir(session.server.dataDir)
  })
  return session
}

export interface RestartSession {
  /** A server process, restartable on the same data (`{ dataDir }`); logs at info level. */
  start(options?: StartServerOptions): Promise<RunningServer>
  /** A client of `server` (the facilitate key unless `options.params`), closed after the file. */
  client(server: RunningServer, boardId: string, options?: ConnectOptions): YClient
  /** A directory of the test's own, removed after the file. */
  removeAfter(dir: string): void
}

/**
 * For files that kill, restart and compare servers: every server they start is stopped and every
 * data directory removed after the file.
 */
export function useRestartableServers(): RestartSession {
  const dataDirs = new Set<string>()
  const clients: YClient[] = []
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await stopAllServers()
    for (const dir of dataDirs) await removeDataDir(dir)
  })
  return {
    async start(options = {}) {
      const server = await startServer({ ...options, env: { LOG_LEVEL: 'info', ...options.env } })
      dataDirs.add(server.dataDir)
      return server
    },
    client(server, boardId, options) {
      const client = connectClient(server.wsUrl, boardId, options)
      clients.push(client)
      return client
    },
    removeAfter(dir) {
      dataDirs.add(dir)
    },
  }
}
