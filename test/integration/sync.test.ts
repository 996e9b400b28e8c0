/**
 * Several Node Yjs clients (y-websocket, as in the browser) against a real server process:
 * convergence of concurrent record edits, presence, unknown boards refused, liveness.
 */
import { newBoardId, readBoardMeta } from '@common-ground/shared/board'
import { note as fixtureNote } from '@common-ground/shared/fixtures'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createBoard as createBoardOverHttp, withToken } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

let server: RunningServer
const clients: YClient[] = []

beforeAll(async () => {
  server = await startServer({ env: { PING_INTERVAL_MS: '300' } })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  await removeDataDir(server.dataDir)
})

function client(boardId: string): YClient {
  const created = connectClient(server.wsUrl, boardId)
  clients.push(created)
  return created
}

async function createBoard(title: string): Promise<string> {
  return (await createBoardOverHttp(server, { title })).id
}

/** A schema-valid note (the server refuses records tldraw would not accept). */
function note(id: string, text: string, x: number) {
  return fixtureNote(id, text, { x })
}

function recordsOf(c: YClient): Record<string, unknown> {
  return Object.fromEntries(
    [...c.board.records.map.entries()].map(([key, entry]) => [key, entry.val]).sort(),
  )
}

describe('sync between clients', () => {
  it('three clients converge on concurrent YKeyValue record edits', async () => {
    const boardId = await createBoard('Convergence')
    const [ana, ben, caro] = [client(boardId), client(boardId), client(boardId)]
    await Promise.all([ana.whenSynced(), ben.whenSynced(), caro.whenSynced()])
    const people = [ana, ben, caro] as const

    for (let round = 0; round < 30; round++) {
      people.forEach((person, index) => {
        // Own notes, plus the same shared note overwritten by everyone in the same round.
        person.board.records.set(
          `shape:p${index}-${round % 10}`,
          note(`p${index}-${round % 10}`, `r${round}`, index),
        )
        person.board.records.set('shape:shared', note('shared', `by ${index} in ${round}`, round))
      })
      if (round % 5 === 0) ana.board.records.delete(`shape:p1-${round % 10}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }

    await waitFor(
      () => {
        const reference = JSON.stringify(recordsOf(ana))
        return people.every((person) => JSON.stringify(recordsOf(person)) === reference)
      },
      { what: 'the three record maps to match' },
    )
    const records = recordsOf(ana)
    expect(Object.keys(records).filter((key) => key.startsWith('shape:p0-'))).toHaveLength(10)
    expect(Object.keys(records).filter((key) => key.startsWith('shape:p2-'))).toHaveLength(10)
    expect(records['shape:shared']).toBeDefined()
    expect(records['document:document']).toBeDefined()
    // The YKeyValue array holds each key once (no duplicates left behind).
    for (const person of people) {
      const keys = person.board.records.yarray.toArray().map((entry) => entry.key)
      expect(new Set(keys).size).toBe(keys.length)
    }
  })

  it('sends every connection the same bytes, the sender included; its echo changes nothing', async () => {
    const boardId = await createBoard('Echo')
    const typist = client(boardId)
    const watcher = client(boardId)
    await Promise.all([typist.whenSynced(), watcher.whenSynced()])
    // The raw sync-update messages each receives (Yjs would silently ignore an echo).
    const receivedBy = (person: ReturnType<typeof client>) => {
      const received: string[] = []
      const handlers = person.provider.messageHandlers
      const handleSync = handlers[0]
      handlers[0] = (encoder, decoder, provider, emitSynced, messageType) => {
        if (decoding.peekVarUint(decoder) === 2) {
          received.push(Buffer.from(decoder.arr.subarray(decoder.pos)).toString('base64'))
        }
        handleSync?.(encoder, decoder, provider, emitSynced, messageType)
      }
      return received
    }
    const typistGot = receivedBy(typist)
    const watcherGot = receivedBy(watcher)
    const typistChanges: unknown[] = []
    typist.board.records.on('change', (changes: Map<string, unknown>, tr: { local: boolean }) => {
      if (!tr.local) typistChanges.push(...changes.keys())
    })
    for (let i = 1; i <= 30; i++) {
      typist.board.records.set('shape:typed', note('typed', 'Childcare'.slice(0, (i % 9) + 1), i))
      await new Promise((resolve) => setTimeout(resolve, 3))
    }
    const typed = () => watcher.board.records.get('shape:typed') as { x?: number } | undefined
    await waitFor(() => typed()?.x === 30, { what: 'the last keystroke' })
    await waitFor(() => typistGot.length === watcherGot.length, { what: 'the echo' })
    expect(typistGot.length).toBeGreaterThan(0)
    expect(typistGot).toEqual(watcherGot)
    // The typist's own edits came back and changed nothing: no change events, no duplicates.
    expect(typistChanges).toEqual([])
    const keys = typist.board.records.yarray.toArray().map((entry) => entry.key)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('refuses an unknown (valid) board id with 4404 and creates nothing; a created one is seeded once', async () => {
    const boardId = newBoardId()
    expect((await fetch(`${server.url}/api/boards/${boardId}`)).status).toBe(404)
    const refused = await closeOf(await openSocket(`${server.wsUrl}/sync/${boardId}`))
    expect(refused).toEqual({ code: 4404, reason: 'board not found' })
    expect((await fetch(`${server.url}/api/boards/${boardId}`)).status).toBe(404)

    const created = await createBoard('Seeded once')
    const [first, second] = [client(created), client(created)]
    await Promise.all([first.whenSynced(), second.whenSynced()])
    expect(readBoardMeta(first.doc).title).toBe('Seeded once')
    const pages = first.board.records.yarray
      .toArray()
      .filter((entry) => entry.val.typeName === 'page')
    expect(pages).toHaveLength(1)
  })

  it('shares presence and removes it when a connection goes away', async () => {
    const boardId = await createBoard('Presence')
    const watcher = client(boardId)
    const ana = client(boardId)
    await Promise.all([watcher.whenSynced(), ana.whenSynced()])
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana' })
    await waitFor(() => watcher.provider.awareness.getStates().get(ana.doc.clientID), {
      what: 'Ana',
    })

    // A client that vanishes without saying goodbye: its presence must still disappear.
    const ghost = new awarenessProtocol.Awareness(new Y.Doc())
    ghost.setLocalState({ user: { name: 'Ghost' } })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(ghost, [ghost.clientID]),
    )
    const raw = await openSocket(withToken(`${server.wsUrl}/sync/${boardId}`, boardId))
    raw.send(encoding.toUint8Array(encoder))
    await waitFor(() => watcher.provider.awareness.getStates().has(ghost.clientID), {
      what: 'the ghost',
    })
    raw.terminate()
    await waitFor(() => !watcher.provider.awareness.getStates().has(ghost.clientID), {
      what: 'the ghost to leave',
    })
    expect(watcher.provider.awareness.getStates().get(ana.doc.clientID)).toEqual({
      user: { name: 'Ana' },
    })
    ghost.destroy()
  })

  it('drops a connection that stops answering pings and keeps live ones', async () => {
    const boardId = await createBoard('Liveness')
    const live = client(boardId)
    await live.whenSynced()
    const silent = await openSocket(withToken(`${server.wsUrl}/sync/${boardId}`, boardId), {
      autoPong: false,
    })
    const closed = await closeOf(silent)
    expect(closed.code).toBe(1006) // terminated, no close frame
    expect(live.provider.wsconnected).toBe(true)
    await server.waitForLog((line) => line.msg === 'connection timed out' && line.board === boardId)
  })
})
