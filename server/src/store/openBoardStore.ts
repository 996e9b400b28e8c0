/**
 * Which store the server and its command-line tools use: PostgreSQL when DATABASE_URL is set,
 * otherwise SQLite under DATA_DIR (the default, one process, nothing to install).
 */
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { BoardStore } from './BoardStore.ts'
import { PostgresBoardStore } from './PostgresBoardStore.ts'
import { SqliteBoardStore } from './SqliteBoardStore.ts'

export interface OpenedStore {
  store: BoardStore
  /** Where the boards are, for logs and messages: a file, or a database without credentials. */
  location: string
}

/** Opens the configured store; PostgreSQL's schema is brought up to date first. */
export async function openBoardStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'maxDatabaseBytes'>,
  log?: Logger,
): Promise<OpenedStore> {
  if (config.databaseUrl) {
    const store = await PostgresBoardStore.open(config.databaseUrl, log ? { log } : {})
    return { store, location: store.location }
  }
  const store = new SqliteBoardStore(config.dataDir, { maxDatabaseBytes: config.maxDatabaseBytes })
  return { store, location: store.file }
}
