/**
 * Entry point: `node src/main.ts` (Node 24 strips the types; there is no build step).
 * Reads the environment, serves, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from './config.ts'
import { createServer } from './index.ts'
import { createLogger } from './log.ts'
import { openBoardStore } from './store/openBoardStore.ts'

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
  const { store, location } = await openBoardStore(config, log)
  server = createServer(config, { logger: log, store })
  const { url } = await server.listen()
  log.info('listening', { url, store: location })
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
