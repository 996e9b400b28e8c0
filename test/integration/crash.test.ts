/**
 * Crash safety of a real server process: `kill -9` in the middle of a burst from 20 clients loses
 * nothing any client had received; a torn last write (a partial WAL frame) is skipped on start;
 * a damaged database file stops the server with a clear message; SIGTERM commits what it has and
 * tells clients "server restarting".
 */
import { statSync, truncateSync } from 'node:fs'
import path from 'node:path'
import { note } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoard } from '../support/boards.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor } from '../support/yclient.ts'

const DATABASE = 'common-ground.sqlite'
const { start, client } = useRestartableServers()

/** Every update from another client that `seen` holds is in `fresh` too. */
function missingFrom(fresh: Y.Doc, seen: Y.Doc): string[] {
  const have = Y.decodeStateVector(Y.encodeStateVector(fresh))
  const missing: string[] = []
  for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) {
    if (id === seen.clientID) continue // its own edits may not have reached the server
    if ((have.get(id) ?? 0) < clock) missing.push(`${id}: ${have.get(id) ?? 0} < ${clock}`)
  }
  return missing
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('crash safety', () => {
  it('kill -9 during a burst from 20 clients: every update any client saw is there after a restart', async () => {
    const server = await start()
    const { id } = await createBoard(server)
    const writers = Array.from({ length: 20 }, () => client(server, id))
    await Promise.all(writers.map((writer) => writer.whenSynced()))

    let edits = 0
    const bursts = writers.map((writer, w) => {
      let own = 0
      return setInterval(() => {
        const shape = note(`w${w}-${own++ % 30}`, `writer ${w}, edit ${edits++}`)
        writer.board.records.set(shape.id, shape)
      }, 25)
    })
    // Everyone has seen a good share of the others' edits before the crash.
    await waitFor(() => writers.every((writer) => writer.board.records.get(note('w19-5', '').id)), {
      what: 'the burst to flow',
    })
    await sleep(300)
    await server.kill9()
    for (const burst of bursts) clearInterval(burst)
    for (const writer of writers) writer.provider.destroy() // freeze what each one had
    expect(edits).toBeGreaterThan(200)

    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, id)
    await fresh.whenSynced()
    for (const writer of writers) expect(missingFrom(fresh.doc, writer.doc)).toEqual([])
    await restarted.stop()
  })

  it('skips a torn last write: a partial WAL frame is discarded and the rest loads', async () => {
    const server = await start()
    const { id } = await createBoard(server)
    const [writer, watcher] = [client(server, id), client(server, id)]
    await Promise.all([writer.whenSynced(), watcher.whenSynced()])
    for (let i = 0; i < 5; i++) {
      const shape = note(`torn-${i}`, `note ${i}`)
      writer.board.records.set(shape.id, shape)
      await waitFor(() => watcher.board.records.get(shape.id), { what: shape.id })
    }
    await server.kill9() // no checkpoint: the commits are still in the WAL
    writer.provider.destroy()
    watcher.provider.destroy()

    // The machine died while writing the last frame: its tail never reached the disk.
    const wal = path.join(server.dataDir, `${DATABASE}-wal`)
    const size = statSync(wal).size
    expect(size).toBeGreaterThan(4096)
    truncateSync(wal, size - 100)

    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, id)
    await fresh.whenSynced()
    // The torn commit is gone as a whole (it never finished, so nobody was sent it); every
    // commit before it is there.
    for (let i = 0; i < 4; i++)
      expect(fresh.board.records.get(note(`torn-${i}`, '').id)).toBeDefined()
    expect(restarted.logs.filter((line) => line.level === 'error')).toEqual([])
    await restarted.stop()
  })

  it('refuses to start on a truncated database file, saying what to do', async () => {
    const server = await start()
    const { id } = await createBoard(server)
    const [writer, watcher] = [client(server, id), client(server, id)]
    await Promise.all([writer.whenSynced(), watcher.whenSynced()])
    for (let i = 0; i < 200; i++) {
      const shape = note(`bulk-${i}`, `note ${i} `.repeat(20))
      writer.board.records.set(shape.id, shape)
    }
    await waitFor(() => watcher.board.records.get(note('bulk-199', '').id), { what: 'the notes' })
    writer.provider.destroy()
    watcher.provider.destroy()
    await server.stop() // checkpoints the WAL into the file
    const file = path.join(server.dataDir, DATABASE)
    const size = statSync(file).size
    expect(size).toBeGreaterThan(8192)
    truncateSync(file, Math.floor(size / 2))

    const failed = await start({ dataDir: server.dataDir }).then(
      () => null,
      (error: Error) => error.message,
    )
    expect(failed).toMatch(/could not start: the database .*common-ground\.sqlite is damaged/)
    expect(failed).toMatch(/pnpm restore/)
  })

  it('SIGTERM commits what it received and closes clients with 1012 "server restarting"', async () => {
    const server = await start()
    const { id } = await createBoard(server)
    const [writer, watcher] = [client(server, id), client(server, id)]
    await Promise.all([writer.whenSynced(), watcher.whenSynced()])
    const closes: { code: number; reason: string }[] = []
    watcher.provider.on('connection-close', (event) => {
      if (event) closes.push({ code: event.code, reason: event.reason })
    })
    let written = 0
    const stream = setInterval(() => {
      const shape = note(`term-${written}`, `edit ${written++}`)
      writer.board.records.set(shape.id, shape)
    }, 5)
    await waitFor(() => watcher.board.records.get(note('term-20', '').id), { what: 'edits' })
    const stopped = server.stop()
    await waitFor(() => closes.length > 0, { what: 'the close' })
    clearInterval(stream)
    writer.provider.destroy()
    watcher.provider.destroy()
    expect(await stopped).toBe(0)
    expect(closes[0]).toEqual({ code: 1012, reason: 'server restarting' })
    await server.waitForLog((line) => line.msg === 'server closed')

    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, id)
    await fresh.whenSynced()
    expect(missingFrom(fresh.doc, watcher.doc)).toEqual([])
    await restarted.stop()
  })
})
