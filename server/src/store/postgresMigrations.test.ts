/**
 * Migrations on a real PostgreSQL server, each test on a fresh database of its own: applied once
 * and recorded, a second run is a no-op, processes starting together do not race, a failed
 * migration leaves nothing half done, and a schema from a newer server is refused.
 */
import { Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { PostgresBoardStore } from './PostgresBoardStore.ts'
import { MIGRATIONS, migrate, SchemaTooNewError } from './postgresMigrations.ts'
import { createTestDatabase, type TestDatabase } from './testDatabase.ts'

const databases: TestDatabase[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) await client.end()
  for (const database of databases.splice(0)) await database.drop()
})

async function freshDatabase(): Promise<string> {
  const database = await createTestDatabase()
  databases.push(database)
  return database.url
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url })
  await client.connect()
  clients.push(client)
  return client
}

/** The tables of the database's public schema, and its recorded migrations. */
async function schemaOf(client: Client) {
  const tables = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  )
  const applied = await client.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  )
  return {
    tables: tables.rows.map((row) => row.name),
    versions: applied.rows.map((row) => row.version),
  }
}

const ALL = MIGRATIONS.map((migration) => migration.version)

describe('PostgreSQL schema migrations', () => {
  it('apply once; running them again changes nothing', async () => {
    const url = await freshDatabase()
    const client = await connect(url)
    expect(await migrate(client)).toEqual(ALL)
    const schema = await schemaOf(client)
    expect(schema.versions).toEqual(ALL)
    expect(schema.tables).toEqual(
      expect.arrayContaining(['boards', 'board_updates', 'board_ballots', 'schema_migrations']),
    )
    expect(await migrate(client)).toEqual([])
    expect(await schemaOf(client)).toEqual(schema)
    // The lock was given back: another session can take it at once.
    const other = await connect(url)
    const { rows } = await other.query('SELECT pg_try_advisory_lock($1) AS got', [0x4347_0000_0001])
    expect(rows).toEqual([{ got: true }])
  })

  it('let stores that open one fresh database at once all start', async () => {
    const url = await freshDatabase()
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresBoardStore.open(url)))
    try {
      // Each can use the schema, and it was applied exactly once.
      await Promise.all(
        stores.map((store, i) =>
          store.createBoard({ id: `board-000${i}`, title: 'T', template: 'blank', createdAt: 1 }),
        ),
      )
      expect(await stores[0]?.countBoards()).toBe(4)
      expect((await schemaOf(await connect(url))).versions).toEqual(ALL)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('roll a failed migration back whole and apply the rest on the next start', async () => {
    const client = await connect(await freshDatabase())
    const first = { version: 1, name: 'one', sql: 'CREATE TABLE one (id int)' }
    const broken = {
      version: 2,
      name: 'two',
      sql: 'CREATE TABLE two (id int); SELECT 1 / 0',
    }
    await expect(migrate(client, [first, broken])).rejects.toThrow(/division by zero/)
    expect(await schemaOf(client)).toEqual({ tables: ['one', 'schema_migrations'], versions: [1] })
    const fixed = { ...broken, sql: 'CREATE TABLE two (id int)' }
    expect(await migrate(client, [first, fixed])).toEqual([2])
    expect(await schemaOf(client)).toEqual({
      tables: ['one', 'schema_migrations', 'two'],
      versions: [1, 2],
    })
  })

  it('refuse a database migrated by a newer server', async () => {
    const url = await freshDatabase()
    const client = await connect(url)
    await migrate(client)
    await client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
    await expect(PostgresBoardStore.open(url)).rejects.toThrow(SchemaTooNewError)
    await expect(PostgresBoardStore.open(url)).rejects.toThrow(/newer version of Common Ground/)
  })
})
