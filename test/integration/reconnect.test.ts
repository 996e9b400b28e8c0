/**
 * A server restart under a full room: 50 Node clients (the y-websocket protocol, as browsers
 * speak it) keep editing while the server is gone, reconnect by themselves, and all converge
 * with nothing lost.
 */

import { note } from '@common-ground/shared/fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { shapeCount } from '../support/records.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { connectClient, coversStateOf, waitFor, type YClient } from '../support/yclient.ts'

const CLIENTS = 50
const running: RunningServer[] = []
const clients: YClient[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const server of running.splice(0)) await server.stop()
})

describe('restart under 50 connected clients', () => {
  it('every client reconnects and converges; nothing written before or during the outage is lost', async () => {
    const server = await startServer()
    running.push(server)
    const { id: boardId } = await createBoard(server, { title: 'Full room' })

    for (let i = 0; i < CLIENTS; i++) clients.push(connectClient(server.wsUrl, boardId))
    await Promise.all(clients.map((client) => client.whenSynced()))
    clients.forEach((client, i) => {
      client.board.records.set(
        `shape:before-${i}`,
        note(`before-${i}`, `idea ${i}`, { x: i * 220 }),
      )
    })
    await waitFor(() => clients.every((client) => shapeCount(client) === CLIENTS), {
      what: 'everyone to see the first 50 notes',
    })

    await server.kill9()
    running.splice(running.indexOf(server), 1)
    // Everyone keeps working while the server is gone.
    clients.forEach((client, i) => {
      client.board.records.set(
        `shape:during-${i}`,
        note(`during-${i}`, `offline ${i}`, { x: i * 220, y: 300 }),
      )
    })

    const restarted = await startServer({
      dataDir: server.dataDir,
      env: { PORT: String(server.port) },
    })
    running.push(restarted)
    await waitFor(() => clients.every((client) => shapeCount(client) === 2 * CLIENTS), {
      timeoutMs: 30_000,
      what: 'every client to hold all 100 notes',
    })
    for (const client of clients)
      expect(coversStateOf(client.doc, clients[0]?.doc as never)).toBe(true)

    // A newcomer after the storm sees exactly what everyone wrote: it all reached the store.
    const newcomer = connectClient(restarted.wsUrl, boardId)
    clients.push(newcomer)
    await newcomer.whenSynced()
    await waitFor(() => shapeCount(newcomer) === 2 * CLIENTS, {
      what: 'the newcomer to see 100 notes',
    })
  })
})
