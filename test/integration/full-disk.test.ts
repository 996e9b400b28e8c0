/**
 * A full disk, for real: the server runs with MAX_DATABASE_BYTES (SQLite's max_page_count), and
 * the test fills the database file up to it from a connection of its own, as another program
 * filling the disk would. Writes then fail inside SQLite with SQLITE_FULL, exactly the error a
 * full disk gives. Deleting the filler frees the pages again ("space returns").
 */
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { note as fixtureNote } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const MAX_DATABASE_BYTES = 2 * 1024 * 1024
const servers = useRestartableServers()

interface Closed {
  code: number
  reason: string
}

/** A client and every close code/reason the server sent it. */
function watched(server: RunningServer, boardId: string): { client: YClient; closes: Closed[] } {
  const client = servers.client(server, boardId)
  const closes: Closed[] = []
  client.provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason) })
  })
  return { client, closes }
}

/** One transaction of notes big enough to need fresh pages (text spills into overflow pages). */
function writeNotes(client: YClient, prefix: string, count: number): string[] {
  const keys: string[] = []
  client.doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const shape = fixtureNote(`${prefix}${i}`, `${prefix} ${i} `.repeat(400))
      client.board.records.set(shape.id, shape)
      keys.push(shape.id)
    }
  })
  return keys
}

describe('a full disk', () => {
  it('tells the writers, broadcasts nothing unstored, keeps serving, and resyncs once space returns', async () => {
    const server = await servers.start({
      env: { MAX_DATABASE_BYTES: String(MAX_DATABASE_BYTES), ROOM_GRACE_MS: '60000' },
    })
    const full = (await createBoard(server, { title: 'Full disk' })).id
    const other = (await createBoard(server, { title: 'Other board' })).id
    const writer = watched(server, full)
    const watcher = watched(server, full)
    const elsewhere = watched(server, other)
    await Promise.all([writer, watcher, elsewhere].map(({ client }) => client.whenSynced()))
    const before = writeNotes(writer.client, 'before', 1)
    await waitFor(() => watcher.client.board.records.get(before[0] ?? ''), { what: 'a first edit' })
    const [otherNote = ''] = writeNotes(elsewhere.client, 'other', 1)
    // Committed before the disk fills: a client that got it was sent it after the commit.
    const reader = watched(server, other)
    await waitFor(() => reader.client.board.records.get(otherNote), { what: 'the other note' })

    // Another program fills the disk: the database file grows past the cap the server has.
    const db = new DatabaseSync(path.join(server.dataDir, 'common-ground.sqlite'))
    db.exec('PRAGMA busy_timeout = 5000; CREATE TABLE filler (data BLOB NOT NULL)')
    db.prepare('INSERT INTO filler (data) VALUES (?)').run(new Uint8Array(MAX_DATABASE_BYTES))

    const lost = writeNotes(writer.client, 'during', 20)
    await server.waitForLog((line) => line.msg === 'commit failed')
    await waitFor(() => writer.closes.find((close) => close.code === 1011), {
      what: "the writer's close",
    })
    expect(writer.closes).toContainEqual({ code: 1011, reason: 'storage failure' })
    expect(watcher.closes).toContainEqual({ code: 1011, reason: 'storage failure' })
    const failure = server.logs.find((line) => line.msg === 'commit failed')
    expect(String(JSON.stringify(failure?.error))).toMatch(/full/i)

    // While the disk stays full, the clients keep reconnecting and resending, and keep being
    // refused: the watcher must never be sent what could not be stored.
    const seenWhileFull = new Set<string>()
    const spy = setInterval(() => {
      for (const key of lost) if (watcher.client.board.records.get(key)) seenWhileFull.add(key)
    }, 5)
    await waitFor(() => writer.closes.filter((close) => close.code === 1011).length >= 2, {
      what: 'a resend refused too',
    })
    // The other board is still served: its client stayed connected, a newcomer syncs and reads.
    expect(elsewhere.closes).toEqual([])
    const newcomer = watched(server, other)
    await newcomer.client.whenSynced()
    expect(newcomer.client.board.records.get(otherNote)).toBeDefined()
    expect(coversStateOf(newcomer.client.doc, elsewhere.client.doc)).toBe(true)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    clearInterval(spy)
    expect([...seenWhileFull]).toEqual([])
    for (const key of lost) expect(watcher.client.board.records.get(key)).toBeUndefined()

    // Space returns: the filler is deleted, its pages are free for the server's writes again.
    db.exec('DROP TABLE filler')
    db.close()
    await waitFor(() => lost.every((key) => watcher.client.board.records.get(key)), {
      what: 'the writer to resync what it held',
    })
    await writer.client.whenSynced()
    expect(writer.client.board.records.get(before[0] ?? '')).toBeDefined()

    // It is stored, not just relayed: a restarted server has everything the writer held.
    await server.stop()
    const restarted = await servers.start({ dataDir: server.dataDir })
    const fresh = servers.client(restarted, full)
    await fresh.whenSynced()
    expect(coversStateOf(fresh.doc, writer.client.doc)).toBe(true)
    for (const key of [...before, ...lost]) expect(fresh.board.records.get(key)).toBeDefined()
  }, 60_000)
})
