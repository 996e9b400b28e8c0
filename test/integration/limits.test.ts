/**
 * Each limit of a real server process, set low through its environment variable, answered with
 * its documented response (server/README.md), while the server keeps serving everyone else.
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type CreatedBoard, createBoard } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { closeOf, upgradeStatus } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

const servers: RunningServer[] = []
const clients: YClient[] = []
const sockets: WebSocket[] = []

afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const ws of sockets) ws.terminate()
  for (const server of servers) {
    await server.stop()
    await removeDataDir(server.dataDir)
  }
})

async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer({ env: { LOG_LEVEL: 'info', ...env } })
  servers.push(server)
  return server
}

/** The sync URL of a board, with its key when boards have keys. */
function syncUrl(server: RunningServer, board: CreatedBoard): string {
  const token = (board as { tokens?: { facilitate?: string } }).tokens?.facilitate
  return `${server.wsUrl}/sync/${board.id}${token ? `?token=${token}` : ''}`
}

/**
 * A raw socket whose board has loaded (the server's sync step 1 arrived). Listens from the start:
 * the first frame can arrive in the same chunk as the upgrade's answer.
 */
function joined(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url)
  sockets.push(ws)
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('message', () => resolve(ws))
    ws.once('error', reject)
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)))
  })
}

/** How the server closes a socket right after accepting it (listening from the start). */
function refusedWith(url: string): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(url)
  sockets.push(ws)
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

function client(server: RunningServer, board: CreatedBoard): YClient {
  const created = connectClient(server.wsUrl, board.id)
  clients.push(created)
  return created
}

/** Resolves the code of the provider's next close. */
function nextClose(yclient: YClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const onClose = (event: CloseEvent | null) => {
      if (!event) return
      yclient.provider.off('connection-close', onClose)
      resolve({ code: event.code, reason: event.reason })
    }
    yclient.provider.on('connection-close', onClose)
  })
}

/** A client on another board of the same server still syncs (nobody else pays for a limit). */
async function expectOthersServed(server: RunningServer): Promise<void> {
  const board = await createBoard(server)
  const [a, b] = [client(server, board), client(server, board)]
  await Promise.all([a.whenSynced(), b.whenSynced()])
  const shape = note('still-served', 'others are served')
  a.board.records.set(shape.id, shape)
  await waitFor(() => b.board.records.get(shape.id), { what: 'the other board to sync' })
  a.destroy()
  b.destroy()
}

describe('limits', () => {
  it('MAX_CONNECTIONS_PER_IP: the next upgrade from that address gets HTTP 429', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_IP: '3' })
    const board = await createBoard(server)
    const open = [await joined(syncUrl(server, board)), await joined(syncUrl(server, board))]
    open.push(await joined(syncUrl(server, board)))
    expect(await upgradeStatus(syncUrl(server, board))).toBe(429)
    await server.waitForLog((line) => line.reason === 'too many connections')

    // A closed connection frees its place.
    const closed = closeOf(open[0] as WebSocket)
    open[0]?.close()
    await closed
    let status = 429
    for (let i = 0; i < 50 && status === 429; i++) {
      status = await upgradeStatus(syncUrl(server, board))
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(status).toBe(101)
  })

  it('MAX_CONNECTIONS_PER_BOARD: one more closes with 1013 "board full"; other boards are served', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_BOARD: '2' })
    const board = await createBoard(server)
    await joined(syncUrl(server, board))
    await joined(syncUrl(server, board))
    expect(await refusedWith(syncUrl(server, board))).toEqual({ code: 1013, reason: 'board full' })
    await expectOthersServed(server)
  })

  it('MAX_UPDATES_PER_SECOND: a storm closes with 4029; a client on the same board keeps syncing', async () => {
    const server = await start({ MAX_UPDATES_PER_SECOND: '20' })
    const board = await createBoard(server)
    const [a, b] = [client(server, board), client(server, board)]
    await Promise.all([a.whenSynced(), b.whenSynced()])

    const storm = await joined(syncUrl(server, board))
    const closed = closeOf(storm)
    // Query-awareness messages: valid, cheap, and each one counts. 20/s allows a burst of 60.
    for (let i = 0; i < 200; i++) storm.send(new Uint8Array([3]))
    expect(await closed).toEqual({ code: 4029, reason: 'too many updates per second' })

    const shape = note('after-storm', 'written after the storm')
    a.board.records.set(shape.id, shape)
    await waitFor(() => b.board.records.get(shape.id), { what: 'the note after the storm' })
  })

  it('MAX_LOADED_BOARDS: an idle board is unloaded to make room; with all boards in use, 1013', async () => {
    const server = await start({ MAX_LOADED_BOARDS: '2', ROOM_GRACE_MS: '600000' })
    const [first, second, third] = [
      await createBoard(server),
      await createBoard(server),
      await createBoard(server),
    ]
    const onFirst = await joined(syncUrl(server, first))
    await joined(syncUrl(server, second))

    expect(await refusedWith(syncUrl(server, third))).toEqual({
      code: 1013,
      reason: 'server busy: too many boards open',
    })

    // The first board goes idle (its grace period is long): it is the one unloaded.
    const closed = closeOf(onFirst)
    onFirst.close()
    await closed
    let loaded: WebSocket | null = null
    for (let i = 0; i < 50 && !loaded; i++) {
      loaded = await joined(syncUrl(server, third)).catch(() => null)
      if (!loaded) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(loaded).not.toBeNull()
    await server.waitForLog((line) => line.msg === 'idle room evicted' && line.board === first.id)
    await server.waitForLog((line) => line.msg === 'room unloaded' && line.board === first.id)
  })

  it('MAX_BOARD_BYTES: a change past the size closes with 4413; the board still opens for reading', async () => {
    const server = await start({ MAX_BOARD_BYTES: '40000', COMPACT_AFTER_UPDATES: '1000000' })
    const board = await createBoard(server)
    const writer = client(server, board)
    await writer.whenSynced()
    const closed = nextClose(writer)
    const text = 'A long note about shared transport between the two organizations. '.repeat(10)
    let written = 0
    const writing = setInterval(() => {
      const shape = note(`big-${written}`, `${written} ${text}`)
      writer.board.records.set(shape.id, shape)
      written++
    }, 5)
    const close = await closed
    clearInterval(writing)
    expect(close).toEqual({ code: 4413, reason: 'board size limit reached' })
    expect(written).toBeGreaterThan(10)

    // A reader joins and stays: only changes are refused.
    const reader = client(server, board)
    await reader.whenSynced()
    expect(reader.board.records.get(note('big-0', '').id)).toBeDefined()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(reader.provider.wsconnected).toBe(true)
    await expectOthersServed(server)
  })
})
