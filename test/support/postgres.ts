/**
 * A PostgreSQL database of a test's own on this machine's server (scripts/ensure-services.sh
 * starts it for `pnpm test`): created under a random name, its URL handed to server processes as
 * DATABASE_URL, dropped after. TEST_DATABASE_URL names another server.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres'

export interface TestDatabase {
  /** DATABASE_URL for a server process. */
  url: string
  /** One query on a connection of the test's own, as an operator would look. */
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>
  /** Drops it, closing whatever is still connected. */
  drop(): Promise<void>
}

export async function createDatabase(): Promise<TestDatabase> {
  const name = `cg_test_${randomBytes(6).toString('hex')}`
  await run(SERVER_URL, `CREATE DATABASE ${name}`)
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    query: (sql, values) => run(url.toString(), sql, values),
    drop: () => run(SERVER_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}),
  }
}

async function run<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (error) {
    const { host } = new URL(url)
    throw new Error(
      `PostgreSQL is not reachable at ${host} (${(error as Error).message}): ` +
        'run `bash scripts/ensure-services.sh`, or set TEST_DATABASE_URL',
    )
  }
  try {
    return (await client.query<R>(sql, values)).rows
  } finally {
    await client.end()
  }
}
