import { openBoardDoc } from '@common-ground/shared/board'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebSocketServer } from 'ws'
import * as Y from 'yjs'
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
    await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()))
  })

  const join = (room: string) => {
    const client = new BenchClient(url, room, 'y-websocket', { timeoutMs: 5_000 })
    clients.push(client)
    return client
  }

  it('syncs a client with an empty answer and forwards its writes to its room only, itself included', async () => {
    const [ana, ben, other] = [join('board-a'), join('board-a'), join('board-b')]
    await Promise.all([ana.synced, ben.synced, other.synced])
    // The answer held no document: what each client has is what it started with.
    const untouched = new Y.Doc()
    openBoardDoc(untouched)
    expect(ana.docBytes()).toBe(Y.encodeStateAsUpdate(untouched).byteLength)
    const before = { ana: ana.messagesIn, other: other.messagesIn }

    ana.board.records.set('shape:bench1', noteRecord(1, 7))
    await expect
      .poll(() => ben.board.records.get('shape:bench1')?.id, { timeout: 5_000 })
      .toBe('shape:bench1')
    // The echo: the sender is written the same bytes as everyone else.
    await expect.poll(() => ana.messagesIn, { timeout: 5_000 }).toBe(before.ana + 1)
    // The other room gets its own write back (so anything sent to it before has arrived), and
    // nothing of board-a's.
    other.board.records.set('shape:bench2', noteRecord(2, 7))
    await expect.poll(() => other.messagesIn, { timeout: 5_000 }).toBe(before.other + 1)
    expect(other.board.records.get('shape:bench1')).toBeUndefined()
    expect(ben.board.records.get('shape:bench2')).toBeUndefined()
  })
})
