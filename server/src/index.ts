/**
 * The Common Ground server: one HTTP server on one port serving the client, the JSON API and the
 * y-websocket sync endpoint, with boards persisted in a BoardStore (SQLite by default).
 */
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CLOSE, NEXT_RETREAT, setBoardClosed, setLinkedBoard } from '@common-ground/shared/board'
import { accessHooks, linkOf } from './access/access.ts'
import { boardExistsHooks } from './boards.ts'
import type { Cluster } from './cluster/Cluster.ts'
import type { Config } from './config.ts'
import { History } from './history.ts'
import { createHistoryRouter } from './historyRoutes.ts'
import { createHttpApp } from './http.ts'
import { createLogger, type Logger } from './log.ts'
import { Metrics } from './metrics.ts'
import type { BoardStore } from './store/BoardStore.ts'
import { SqliteBoardStore } from './store/SqliteBoardStore.ts'
import type { SyncHooks } from './sync/hooks.ts'
import { SERVER_ORIGIN } from './sync/Room.ts'
import { type BoardChanges, Rooms } from './sync/Rooms.ts'
import { createSyncEndpoint } from './sync/websocket.ts'

export type { Config } from './config.ts'
export { loadConfig } from './config.ts'
export type { Logger } from './log.ts'
export type { BoardStore } from './store/BoardStore.ts'
export type { ConnectionInfo, Refusal, SyncHooks } from './sync/hooks.ts'

export interface ServerOptions {
  /** Extension points (roles, validation, history), called in order. */
  hooks?: readonly SyncHooks[]
  /** Defaults to JSON lines on stdout at `config.logLevel`. */
  logger?: Logger
  /**
   * Boards and their links. Defaults to SQLite under `config.dataDir`; the server closes it on
   * `close()`.
   */
  store?: BoardStore
  /**
   * False runs roles at connect only, without judging what clients write: for measuring what the
   * write review costs (bench), never for serving people.
   */
  reviewWrites?: boolean
  /**
   * Cluster mode (cluster/Cluster.ts, started on the PostgreSQL store given as `store`): the
   * rooms hold only the boards this process owns, commits are fenced, sockets of other boards
   * are served from replicas. The server closes it on `close()`.
   */
  cluster?: Cluster
}

export interface ListeningAddress {
  host: string
  port: number
  /** `http://host:port`, for logs and links. */
  url: string
}

export interface CommonGroundServer {
  listen(): Promise<ListeningAddress>
  /** Graceful: commits what is pending, closes sockets with 1012, closes the store. */
  close(): Promise<void>
  /** The loaded rooms (for tests and diagnostics). */
  readonly rooms: Rooms
}

export function createServer(config: Config, options: ServerOptions = {}): CommonGroundServer {
  const log = options.logger ?? createLogger({ level: config.logLevel })
  const { cluster } = options
  const store: BoardStore =
    cluster?.store ??
    options.store ??
    new SqliteBoardStore(config.dataDir, { maxDatabaseBytes: config.maxDatabaseBytes })
  const metrics = new Metrics()
  const history = new History({
    store,
    log,
    rooms: (): BoardChanges => cluster ?? rooms,
    intervalMs: config.snapshotIntervalMs,
    kept: config.snapshotsKept,
  })
  // An unknown board is refused (4404) before anything else looks at it; then roles and
  // validation: other hooks only see writes the rules let through.
  const access = accessHooks(store)
  if (options.reviewWrites === false) delete access.reviewWrites
  const hooks = [boardExistsHooks(store), access, ...(options.hooks ?? []), history.hooks]
  const rooms = new Rooms({
    store,
    log,
    hooks,
    graceMs: config.roomGraceMs,
    compactAfterUpdates: config.compactAfterUpdates,
    maxLoadedBoards: config.maxLoadedBoards,
    metrics,
    ...(cluster ? { placement: cluster.placement } : {}),
  })
  const attached = cluster?.attach(rooms, metrics)
  const sync = createSyncEndpoint({
    rooms: cluster ?? rooms,
    log,
    hooks,
    maxFrameBytes: config.maxFrameBytes,
    pingIntervalMs: config.pingIntervalMs,
    metrics,
    limits: {
      maxConnectionsPerBoard: config.maxConnectionsPerBoard,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      maxUpdatesPerSecond: config.maxUpdatesPerSecond,
      maxBoardBytes: config.maxBoardBytes,
      maxSendBufferBytes: config.maxSendBufferBytes,
    },
  })
  metrics.observe({ roomsLoaded: () => rooms.size, connections: () => sync.connectionCount })
  const http = createHttpServer(
    createHttpApp({
      store,
      log,
      metrics,
      creation: {
        maxBoardsPerHourPerIp: config.maxBoardsPerHourPerIp,
        // Cluster mode: one budget per address for all processes, in PostgreSQL.
        ...(cluster ? { limiter: cluster.creationLimiter(config.maxBoardsPerHourPerIp) } : {}),
        maxBoards: config.maxBoards,
      },
      history: createHistoryRouter({ history, store, log }),
      clientDist: config.clientDist,
      listeningOn(): AddressInfo | null {
        const address: AddressInfo | string | null = http.address()
        return address && typeof address === 'object' ? address : null
      },
      async setClosed(boardId, closed) {
        await (cluster ?? rooms).applyChange(boardId, 'change', (room) => {
          setBoardClosed(room.doc, closed, SERVER_ORIGIN)
          return true
        })
      },
      async setNextRetreat(boardId, next) {
        await (cluster ?? rooms).applyChange(boardId, 'change', (room) => {
          setLinkedBoard(room.doc, NEXT_RETREAT, next, SERVER_ORIGIN)
          return true
        })
      },
      onLinkRotated(boardId, kind) {
        if (cluster) return cluster.linkReplaced(boardId, kind)
        for (const connection of rooms.loaded(boardId)?.connections ?? []) {
          if (linkOf(connection) === kind) {
            connection.close(CLOSE.linkRefused, 'this link was replaced')
          }
        }
      },
    }),
  )
  http.on('upgrade', sync.handleUpgrade)

  let closing: Promise<void> | null = null

  return {
    rooms,
    async listen() {
      await attached
      await store.ready?.()
      return new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(config.port, config.host, () => {
          http.off('error', reject)
          const { port } = http.address() as AddressInfo
          const host = config.host.includes(':') ? `[${config.host}]` : config.host
          resolve({ host: config.host, port, url: `http://${host}:${port}` })
        })
      })
    },
    close() {
      closing ??= (async () => {
        sync.stopAccepting()
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
        http.closeIdleConnections()
        history.stop()
        await rooms.close(CLOSE.serviceRestart, 'server restarting')
        await cluster?.close()
        await sync.closeRemaining(CLOSE.serviceRestart, 'server restarting', 1000)
        await history.settled()
        await store.close()
        http.closeAllConnections()
        await stopped
        log.info('server closed')
      })()
      return closing
    },
  }
}
