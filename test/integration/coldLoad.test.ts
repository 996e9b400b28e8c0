/**
 * A board loaded from disk after it was unloaded (issue 22's cold load): it comes back from the
 * one snapshot row its unload left, the first clients get the whole board, and a client that
 * writes the moment it connects is judged by the write review and loses nothing.
 */

import { note as fixtureNote } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import type { LogLine } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor } from '../support/yclient.ts'

const { start, client } = useRestartableServers()

const note = (id: string, text: string) => fixtureNote(id, text)
const loadsOf = (logs: LogLine[], boardId: string) =>
  logs.filter((line) => line.msg === 'room loaded' && line.board === boardId)

describe('a cold load', () => {
  it('serves a board unloaded to one row, and reviews and keeps what a client writes at once', async () => {
    const server = await start({ env: { ROOM_GRACE_MS: '50' } })
    const { id: boardId } = await createBoard(server, { title: 'Cold' })
    const writer = client(server, boardId)
    await writer.whenSynced()
    writer.doc.transact(() => {
      for (let i = 0; i < 300; i++) writer.board.records.set(`shape:n${i}`, note(`n${i}`, `${i}`))
    })
    await waitFor(() => writer.provider.synced && writer.board.records.get('shape:n299'), {
      what: 'the notes',
    })
    // Everyone leaves: the board is compacted into its snapshot and unloaded.
    const checker = client(server, boardId)
    await waitFor(() => checker.board.records.get('shape:n299'), { what: 'the notes stored' })
    writer.destroy()
    checker.destroy()
    await server.waitForLog((line) => line.msg === 'room unloaded' && line.board === boardId)

    // Back from disk: one client writes a note the moment it connects, another writes `meta`
    // (the server's) as it connects, a third only reads.
    const eager = client(server, boardId)
    eager.board.records.set('shape:eager', note('eager', 'written before the sync'))
    const intruder = client(server, boardId, { reloadOnRefusal: false })
    intruder.board.meta.set('title', 'Not the title')
    const reader = client(server, boardId)
    await Promise.all([eager.whenSynced(), intruder.whenSynced(), reader.whenSynced()])

    // The log comes through the server's stdout, which may arrive after the sockets' answers.
    await server.waitForLog(
      (line) => line.msg === 'room loaded' && line.board === boardId && line.snapshot === true,
    )
    const loads = loadsOf(server.logs, boardId)
    expect(loads).toHaveLength(2)
    expect(loads[1]).toMatchObject({ snapshot: true, updates: 0 })
    expect(loads[1]?.steps).toMatchObject({ read: expect.any(Number), decode: expect.any(Number) })
    await waitFor(() => reader.board.records.get('shape:eager'), { what: 'the eager note' })
    expect(reader.board.records.map.size).toBeGreaterThanOrEqual(301)
    await waitFor(
      () => intruder.notices.some((n) => (n as { kind?: string }).kind === 'write-refused'),
      { what: 'the refusal' },
    )
    expect(
      intruder.notices.find((n) => (n as { kind?: string }).kind === 'write-refused'),
    ).toMatchObject({ code: 'server-only', resync: true })
    expect(reader.board.meta.get('title')).toBe('Cold')

    // Kept on disk: a restart serves the eager note and the title as they were.
    for (const c of [eager, intruder, reader]) c.destroy()
    await server.kill9()
    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, boardId)
    await fresh.whenSynced()
    expect(fresh.board.records.get('shape:eager')).toMatchObject({ id: 'shape:eager' })
    expect(fresh.board.records.get('shape:n299')).toBeDefined()
    expect(fresh.board.meta.get('title')).toBe('Cold')
    await restarted.stop()
  })
})
