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
} from './server.ts'
import { type ConnectOptions, connectClient, type YClient } from './yclient.ts'

export interface ServerSession {
  server: RunningServer
  /** A client on a board (the facilitate key of a board the tests created, unless `params`). */
  client(boardId: string, options?: ConnectOptions): YClient
  /** A person opening one of a created board's links, synced, with their participant id. */
  join(board: CreatedBoard, kind: LinkKind): Promise<{ client: YClient; participantId: string }>
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
      return { client, participantId: person.participantId }
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
