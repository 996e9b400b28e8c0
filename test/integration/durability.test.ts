/**
 * Restarts of a real server process: nothing any client has received may be lost to `kill -9`,
 * a restarted server answers simultaneous first connections with the full state, and clients
 * carry on by themselves after a graceful restart.
 */

import { note as fixtureNote } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoard as createBoardOverHttp } from '../support/boards.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { coversStateOf, waitFor } from '../support/yclient.ts'

const { start, client } = useRestartableServers()

async function createBoard(server: RunningServer): Promise<string> {
  return (await createBoardOverHttp(server, { title: 'Durability' })).id
}

/** A schema-valid note; `key` is the record id (`shape:…`). */
const note = (key: string, text: string) => fixtureNote(key.slice('shape:'.length), text)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('durability across restarts', () => {
  it('keeps every update that any client had received when the server is killed with -9', async () => {
    const server = await start()
    const boardId = await createBoard(server)
    const writer = client(server, boardId)
    const watchers = [client(server, boardId), client(server, boardId)]
    await Promise.all([writer, ...watchers].map((c) => c.whenSynced()))

    // The writer streams edits; the server dies in the middle of the stream.
    let written = 0
    const stream = setInterval(() => {
      writer.board.records.set(
        `shape:n${written % 40}`,
        note(`shape:n${written % 40}`, `edit ${written}`),
      )
      written++
    }, 2)
    await waitFor(() => watchers.every((w) => w.board.records.get('shape:n39')), {
      what: 'edits to flow',
    })
    await sleep(50)
    await server.kill9()
    clearInterval(stream)
    // Freeze what each client had: no reconnect may add to it.
    for (const c of [writer, ...watchers]) c.provider.destroy()
    expect(written).toBeGreaterThan(40)

    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, boardId)
    await fresh.whenSynced()
    for (const watcher of watchers) {
      expect(coversStateOf(fresh.doc, watcher.doc)).toBe(true)
      for (const [key, { val }] of watcher.board.records.map) {
        expect(fresh.board.records.get(key), key).toBeDefined()
        if (key === 'document:document') expect(fresh.board.records.get(key)).toEqual(val)
      }
    }
    await restarted.stop()
  })

  it('serves the full state of a large persisted board to two clients connecting at once after a restart', async () => {
    const server = await start({ env: { COMPACT_AFTER_UPDATES: '1000000' } })
    const boardId = await createBoard(server)
    const writer = client(server, boardId)
    const checker = client(server, boardId)
    await Promise.all([writer.whenSynced(), checker.whenSynced()])

    // ~3 MB over hundreds of transactions spread over many turns: a long log to replay.
    const text = 'Shared childcare rota for evening classes. '.repeat(24)
    const total = 3000
    for (let start = 0; start < total; start += 5) {
      writer.doc.transact(() => {
        for (let i = start; i < start + 5; i++)
          writer.board.records.set(`shape:big${i}`, note(`shape:big${i}`, `${i} ${text}`))
      })
      if (start % 50 === 0) await sleep(1)
    }
    // The checker receives only what is committed: once it has everything, so does the disk.
    await waitFor(() => checker.board.records.get(`shape:big${total - 1}`), {
      timeoutMs: 30_000,
      what: 'the last record',
    })
    await waitFor(() => coversStateOf(checker.doc, writer.doc), {
      timeoutMs: 30_000,
      what: 'the checker to catch up',
    })
    const expected = Y.encodeStateVector(writer.doc)
    await server.kill9()
    writer.provider.destroy()
    checker.provider.destroy()

    const restarted = await start({ dataDir: server.dataDir })
    const [first, second] = [client(restarted, boardId), client(restarted, boardId)]
    await Promise.all([first.whenSynced(30_000), second.whenSynced(30_000)])
    for (const fresh of [first, second]) {
      expect(Y.encodeStateVector(fresh.doc)).toEqual(expected)
      expect(fresh.board.records.get(`shape:big${total - 1}`)).toEqual(
        writer.board.records.get(`shape:big${total - 1}`),
      )
      const bigRecords = [...fresh.board.records.map.keys()].filter((key) =>
        key.startsWith('shape:big'),
      )
      expect(bigRecords).toHaveLength(total)
    }
    const loads = restarted.logs.filter(
      (line) => line.msg === 'room loaded' && line.board === boardId,
    )
    expect(loads).toHaveLength(1)
    expect(loads[0]).toMatchObject({ snapshot: false }) // replayed from the update log
    // Broadcasts merge per turn, so the row count depends on load; any log at all is the point.
    expect(loads[0]?.updates).toBeGreaterThan(1)
    await restarted.stop()
  })

  it('clients reconnect by themselves after a graceful restart and keep editing', async () => {
    const server = await start()
    const boardId = await createBoard(server)
    const ana = client(server, boardId)
    const ben = client(server, boardId)
    await Promise.all([ana.whenSynced(), ben.whenSynced()])
    ana.board.records.set('shape:before', note('shape:before', 'before the restart'))
    await waitFor(() => ben.board.records.get('shape:before'), { what: 'the first note' })

    const closes: number[] = []
    ben.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code)
    })
    expect(await server.stop()).toBe(0)
    await waitFor(() => closes.length > 0, { what: 'the close' })
    expect(closes[0]).toBe(1012)

    // Edited offline; delivered once the server is back on the same port.
    ana.board.records.set('shape:offline', note('shape:offline', 'written while down'))
    const restarted = await start({ dataDir: server.dataDir, port: server.port })
    await waitFor(() => ben.board.records.get('shape:offline'), { what: 'the offline note' })
    expect(
      restarted.logs.some((line) => line.msg === 'room loaded' && line.board === boardId),
    ).toBe(true)
    expect(ben.board.records.get('shape:before')).toBeDefined()
    await restarted.stop()
  })
})
