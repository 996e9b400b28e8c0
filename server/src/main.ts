/**
 * Entry point: `node src/main.ts` (Node 24 strips the types; there is no build step).
 * Reads the environment, serves, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { Cluster, newProcessId } from './cluster/Cluster.ts'
import { applicationNameOf } from './cluster/Ownership.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createServer } from './index.ts'
import { createLogger } from './log.ts'
import { openBoardStore } from './store/openBoardStore.ts'
import { PostgresBoardStore } from './store/PostgresBoardStore.ts'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`common-ground: invalid configuration: ${error.message}\n`)
  process.exit(1)
}

const log = createLogger({ level: config.logLevel })

// Handlers are wrapped so bad input cannot get here; if something does, it is a bug. Log it and
// exit: a supervisor restarts the process and clients resync (nothing acknowledged is lost).
process.on('uncaughtException', (error) => {
  log.error('uncaught exception', { error })
  process.exit(1)
})
process.on('unhandledRejection', (error) => {
  log.error('unhandled rejection', { error })
  process.exit(1)
})

let server: ReturnType<typeof createServer>
try {
  if (config.databaseUrl && config.redisUrl) {
    // Cluster mode: this process's sessions are named after it, so a takeover can find them.
    const processId = newProcessId()
    const store = await PostgresBoardStore.open(config.databaseUrl, {
      log,
      applicationName: applicationNameOf(processId),
    })
    const cluster = await Cluster.start(
      store,
      {
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
        prefix: config.clusterPrefix,
        log,
        graceMs: config.roomGraceMs,
        maxBoardBytes: config.maxBoardBytes,
        maxConnectionsPerBoard: config.maxConnectionsPerBoard,
      },
      processId,
    )
    server = createServer(config, { logger: log, store, cluster })
    const { url } = await server.listen()
    log.info('listening', { url, store: store.location, cluster: processId })
  } else {
    const { store, location } = await openBoardStore(config, log)
    server = createServer(config, { logger: log, store })
    const { url } = await server.listen()
    log.info('listening', { url, store: location })
  }
} catch (error) {
  log.error('could not start', { error })
  process.stderr.write(`common-ground: could not start: ${(error as Error).message}\n`)
  process.exit(1)
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1) // a second signal: stop waiting
    stopping = true
    log.info('shutting down', { signal })
    const timeout = setTimeout(() => {
      log.error('shutdown timed out')
      process.exit(1)
    }, 10_000)
    timeout.unref()
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  })
}
