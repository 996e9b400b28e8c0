/**
 * A PostgreSQL database of a test's own: created under a random name, dropped after. The server
 * is the one TEST_DATABASE_URL names (default: this machine's, as `pnpm test` sets it up with
 * scripts/ensure-services.sh); any database on it serves to create the others.
 */
import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { describeDatabase } from './PostgresBoardStore.ts'

export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres'

export interface TestDatabase {
  name: string
  /** TEST_SERVER_URL with this database in it. */
  url: string
  /** Drops it, closing whatever is still connected to it. */
  drop(): Promise<void>
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `cg_test_${randomBytes(6).toString('hex')}`
  await onServer(`CREATE DATABASE ${name}`)
  const url = new URL(TEST_SERVER_URL)
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_SERVER_URL })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${describeDatabase(TEST_SERVER_URL)} (${(error as Error).message}): ` +
        'run `bash scripts/ensure-services.sh`, or set TEST_DATABASE_URL',
    )
  }
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
