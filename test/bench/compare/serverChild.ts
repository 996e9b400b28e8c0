/**
 * One comparison server in its own process, so its CPU and memory can be sampled on their own:
 * `node serverChild.ts <kind> <port> [dataDir]`. Prints `listening <port>` once it accepts.
 * The reference servers run as shipped: only the in-memory defaults, or Hocuspocus's documented
 * Database extension (fetch/store) backed by `node:sqlite`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { Database } from '@hocuspocus/extension-database'
import { Server } from '@hocuspocus/server'
import { createServer, loadConfig } from '../../../server/src/index.ts'
import { MemoryBoardStore } from '../../../server/src/store/MemoryBoardStore.ts'
import { startRelay } from './relayServer.ts'

const [kind, portText, dataDir = ''] = process.argv.slice(2)
const port = Number(portText)

if (kind === 'ours-unreviewed') {
  // Ours as `ours` runs (SQLite, commit before broadcast), minus the write review.
  const config = loadConfig({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    MAX_CONNECTIONS_PER_IP: '100000',
    MAX_CONNECTIONS_PER_BOARD: '100000',
    MAX_UPDATES_PER_SECOND: '100000',
    MAX_BOARDS_PER_HOUR_PER_IP: '0',
  })
  const server = createServer(config, { reviewWrites: false })
  await server.listen()
  process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)))
} else if (kind === 'ours-memory') {
  const config = loadConfig({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // The limits `ours` runs with: the defaults refuse 500 clients from one address (429).
    MAX_CONNECTIONS_PER_IP: '100000',
    MAX_CONNECTIONS_PER_BOARD: '100000',
    MAX_UPDATES_PER_SECOND: '100000',
    MAX_BOARDS_PER_HOUR_PER_IP: '0',
  })
  const server = createServer(config, { store: new MemoryBoardStore() })
  await server.listen()
  process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)))
} else if (kind === 'hocuspocus' || kind === 'hocuspocus-sqlite') {
  const extensions = []
  if (kind === 'hocuspocus-sqlite') {
    mkdirSync(dataDir, { recursive: true })
    const db = new DatabaseSync(join(dataDir, 'hocuspocus.sqlite'))
    db.exec('PRAGMA journal_mode = WAL;')
    db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)')
    const select = db.prepare('SELECT data FROM documents WHERE name = ?')
    const upsert = db.prepare(
      'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
    )
    extensions.push(
      new Database({
        fetch: async ({ documentName }) => {
          const row = select.get(documentName)
          return row ? new Uint8Array(row.data as Uint8Array) : null
        },
        store: async ({ documentName, state }) => {
          upsert.run(documentName, state)
        },
      }),
    )
  }
  const server = new Server({ port, address: '127.0.0.1', quiet: true, extensions })
  await server.listen()
  process.on('SIGTERM', () => void server.destroy().finally(() => process.exit(0)))
} else if (kind === 'relay') {
  const relay = await startRelay(port)
  process.on('SIGTERM', () => {
    // `close` waits for every connection to end: end them first.
    for (const client of relay.clients) client.terminate()
    relay.close(() => process.exit(0))
  })
} else {
  throw new Error(`unknown server kind ${kind}`)
}
console.log(`listening ${port}`)
