/**
 * Malformed traffic against a real server process: each kind gets its specific close code or
 * HTTP status and one log line, the server stays up, and a client on the same board keeps
 * syncing throughout.
 */

import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { frame } from '../support/attack.ts'
import { createBoard, withToken } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { closeOf, openSocket, upgradeStatus } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

const MAX_FRAME_BYTES = 4096

let server: RunningServer
let boardId: string
let writer: YClient
let reader: YClient
let edits = 0

beforeAll(async () => {
  server = await startServer({ env: { MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) } })
  boardId = (await createBoard(server)).id
  writer = connectClient(server.wsUrl, boardId)
  reader = connectClient(server.wsUrl, boardId)
  await Promise.all([writer.whenSynced(), reader.whenSynced()])
})

afterAll(async () => {
  writer?.destroy()
  reader?.destroy()
  await server?.stop()
  await removeDataDir(server.dataDir)
})

/** The bystanders still sync and the server still answers. */
async function expectServerHealthy() {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  const key = `edit-${edits++}`
  writer.board.records.set(`shape:${key}`, note(key, 'still syncing'))
  await waitFor(() => reader.board.records.get(`shape:${key}`), { what: `${key} to arrive` })
  expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true)
}

async function closeAfterSending(data: Uint8Array | string, options: { binary?: boolean } = {}) {
  const ws = await openSocket(withToken(`${server.wsUrl}/sync/${boardId}`, boardId))
  const closed = closeOf(ws)
  ws.send(data, { binary: options.binary ?? typeof data !== 'string' })
  return closed
}

describe('malformed input', () => {
  it.each([
    ['a text frame', () => closeAfterSending('{"type":"sync"}'), 1003],
    ['an empty frame', () => closeAfterSending(new Uint8Array()), 1007],
    ['a truncated varint', () => closeAfterSending(new Uint8Array([0x80, 0x80])), 1007],
    [
      'a length prefix longer than the frame',
      () => closeAfterSending(new Uint8Array([0, 2, 50, 1, 2, 3])),
      1007,
    ],
    [
      'bytes that are no Yjs update',
      () => closeAfterSending(frame(0, 2, new Uint8Array([255, 255, 255, 255]))),
      1007,
    ],
    [
      'an awareness update that is not JSON',
      () => closeAfterSending(frame(1, new Uint8Array([1, 5, 1, 3, 123, 123, 123]))),
      1007,
    ],
    ['an unknown message type', () => closeAfterSending(frame(42)), 1003],
    ['an unknown sync step', () => closeAfterSending(frame(0, 7)), 1003],
    [
      'a frame over MAX_FRAME_BYTES',
      () => closeAfterSending(new Uint8Array(MAX_FRAME_BYTES + 1)),
      1009,
    ],
  ])('closes the connection on %s', async (_case, send, code) => {
    const closed = await send()
    expect(closed.code).toBe(code)
    if (code !== 1009) expect(closed.reason).not.toBe('')
    await expectServerHealthy()
  })

  it('logs one line per refusal naming the board, the address and the reason', async () => {
    await closeAfterSending(frame(42))
    const line = await server.waitForLog(
      (entry) =>
        entry.msg === 'connection closed for bad input' &&
        entry.reason === 'unknown message type 42',
    )
    expect(line).toMatchObject({ level: 'warn', board: boardId, remote: '127.0.0.1', code: 1003 })
  })

  it.each([
    ['/sync/short', 400],
    ['/sync/has%20space00', 400],
    [`/sync/${'x'.repeat(65)}`, 400],
    ['/sync/', 400],
    ['/sync/abcdefgh/extra', 404],
    ['/elsewhere/abcdefgh', 404],
    ['/', 404],
  ])('refuses the upgrade to %s with HTTP %i', async (path, status) => {
    expect(await upgradeStatus(`${server.wsUrl}${path}`)).toBe(status)
    await expectServerHealthy()
  })

  it('creates no room for a refused board id', async () => {
    await upgradeStatus(`${server.wsUrl}/sync/nope`)
    await expectServerHealthy()
    // The log comes through the server's stdout, which may arrive after the HTTP answers: the
    // refusal's line first, then nothing of a room for that id up to it.
    const refusal = await server.waitForLog(
      (line) => line.msg === 'upgrade refused' && line.board === 'nope',
    )
    expect(refusal).toMatchObject({ reason: 'invalid board id' })
    expect(server.logs.some((line) => line.msg === 'room loaded' && line.board === 'nope')).toBe(
      false,
    )
  })

  it('survives a burst of garbage from many sockets at once', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 20 }, () =>
        openSocket(withToken(`${server.wsUrl}/sync/${boardId}`, boardId)),
      ),
    )
    const closes = sockets.map((ws) => closeOf(ws))
    sockets.forEach((ws, index) => {
      ws.send(new Uint8Array([index % 2 === 0 ? 0x80 : 9, 0xff, 0xff]))
    })
    const codes = (await Promise.all(closes)).map((closed) => closed.code)
    expect(new Set(codes)).toEqual(new Set([1003, 1007]))
    await expectServerHealthy()
  })
})
