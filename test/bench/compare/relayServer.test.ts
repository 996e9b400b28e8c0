import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocketServer } from 'ws'
import { BenchClient } from './client.ts'
import { startRelay } from './relayServer.ts'
import { freePort } from './servers.ts'
import { noteRecord } from './workloads.ts'

describe('the relay (the fan-out floor)', () => {
  let relay: WebSocketServer
  let url: string
  const clients: BenchClient[] = []

  beforeAll(async () => {
    const port = await freePort()
    relay = await startRelay(port)
    url = `ws://127.0.0.1:${port}`
  })

  afterAll(async () => {
    for (const client of clients) client.close()
    await new Promise((resolve) => relay?.close(resolve))
  })

  const join = (room: string) => {
    const client = new BenchClient(url, room, 'y-websocket', { timeoutMs: 5_000 })
    clients.push(client)
    return client
  }

  it('syncs a client with an empty answer and forwards its writes to its room only, itself included', async () => {
    const [ana, ben, other] = [join('board-a'), join('board-a'), join('board-b')]
    await Promise.all([ana.synced, ben.synced, other.synced])
    const before = { ana: ana.messagesIn, other: other.messagesIn }

    ana.board.records.set('shape:bench1', noteRecord(1, 7))
    await expect
      .poll(() => ben.board.records.get('shape:bench1')?.id, { timeout: 5_000 })
      .toBe('shape:bench1')
    // The echo: the sender is written the same bytes as everyone else.
    await expect.poll(() => ana.messagesIn, { timeout: 5_000 }).toBe(before.ana + 1)
    expect(other.messagesIn).toBe(before.other)
    expect(other.board.records.get('shape:bench1')).toBeUndefined()
  })
})
