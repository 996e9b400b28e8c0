/**
 * Hostile traffic against a real server process: thousands of generated frames (random bytes,
 * valid y-websocket framing around garbage, text, frames over the size limit), 1,000 connections
 * opened and dropped, board ids that try to climb out of the path. The server stays up, logs no
 * internal error, and an honest pair of clients on the same board keeps syncing with a p99
 * latency within HONEST_P99_BOUND_MS — a generous robustness bound, not a speed claim (speed is
 * measured in `pnpm bench`).
 */
import { readdirSync } from 'node:fs'
import { note } from '@common-ground/shared/fixtures'
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type CreatedBoard, createBoard } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { upgradeStatus } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

/** The honest client's p99 write-to-receipt latency while the fuzzing runs. */
const HONEST_P99_BOUND_MS = 1000
const MAX_FRAME_BYTES = 64 * 1024

let server: RunningServer
let board: CreatedBoard
let writer: YClient
let reader: YClient
const latencies: number[] = []
let honest: NodeJS.Timeout | undefined

beforeAll(async () => {
  server = await startServer({
    env: {
      LOG_LEVEL: 'info',
      MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
      MAX_CONNECTIONS_PER_IP: '5000',
      MAX_CONNECTIONS_PER_BOARD: '5000',
    },
  })
  board = await createBoard(server)
  writer = connectClient(server.wsUrl, board.id)
  reader = connectClient(server.wsUrl, board.id)
  await Promise.all([writer.whenSynced(), reader.whenSynced()])

  // The honest pair: one note every 50 ms, timed from the write to its arrival at the reader.
  const sentAt = new Map<string, number>()
  reader.board.records.yarray.observe((event) => {
    for (const item of event.changes.added) {
      for (const entry of item.content.getContent() as { key: string }[]) {
        const started = sentAt.get(entry.key)
        if (started !== undefined) {
          latencies.push(performance.now() - started)
          sentAt.delete(entry.key)
        }
      }
    }
  })
  let count = 0
  honest = setInterval(() => {
    const shape = note(`honest-${count++}`, `honest edit ${count}`)
    sentAt.set(shape.id, performance.now())
    writer.board.records.set(shape.id, shape)
  }, 50)
})

afterAll(async () => {
  clearInterval(honest)
  writer?.destroy()
  reader?.destroy()
  await server?.stop()
  await removeDataDir(server.dataDir)
})

function syncUrl(boardId = board.id): string {
  const token = (board as { tokens?: { facilitate?: string } }).tokens?.facilitate
  return `${server.wsUrl}/sync/${boardId}${token ? `?token=${token}` : ''}`
}

/** `varUint type`, then each part: a number as varUint, bytes as varUint8Array. */
function framed(parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part)
    else encoding.writeVarUint8Array(encoder, part)
  }
  return encoding.toUint8Array(encoder)
}

type Frame = { data: Uint8Array | string; binary: boolean }

const garbage = fc.uint8Array({ maxLength: 512 })
const frame: fc.Arbitrary<Frame> = fc.oneof(
  // Random bytes.
  {
    weight: 4,
    arbitrary: fc.uint8Array({ maxLength: 2048 }).map((data) => ({ data, binary: true })),
  },
  // Valid framing (sync step 1/2/update, awareness, query, unknown types) around garbage.
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constantFrom(0, 1, 3), fc.nat(300)),
        fc.oneof(fc.constantFrom(0, 1, 2), fc.nat(300)),
        garbage,
      )
      .map(([type, step, payload]) => ({
        data: type === 0 ? framed([type, step, payload]) : framed([type, payload]),
        binary: true,
      })),
  },
  // Text frames, some huge.
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.string({ maxLength: 200 }),
        fc.nat(200_000).map((n) => 'x'.repeat(n)),
      )
      .map((data) => ({ data, binary: false })),
  },
  // Over MAX_FRAME_BYTES.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: MAX_FRAME_BYTES + 1, max: 3 * MAX_FRAME_BYTES })
      .map((size) => ({ data: new Uint8Array(size).fill(7), binary: true })),
  },
)

/** Opens a socket to the board, sends the frames, and resolves once closed (or after 300 ms). */
function attack(frames: Frame[]): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(syncUrl())
    const done = () => {
      clearTimeout(timer)
      ws.terminate()
      resolve()
    }
    const timer = setTimeout(done, 300)
    ws.on('error', done)
    ws.on('close', done)
    ws.on('open', () => {
      for (const { data, binary } of frames) ws.send(data, { binary })
    })
  })
}

async function expectHealthy(): Promise<void> {
  expect(server.process.exitCode).toBeNull()
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  const errors = server.logs.filter((line) => line.level === 'error')
  expect(errors).toEqual([])
}

describe('fuzzing the sync endpoint', () => {
  it('survives thousands of generated frames while an honest client keeps its latency', async () => {
    let sent = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(frame, { minLength: 1, maxLength: 3 }), { minLength: 20, maxLength: 20 }),
        async (batch) => {
          // Twenty sockets at once, each with one to three frames.
          await Promise.all(batch.map((frames) => attack(frames)))
          sent += batch.reduce((sum, frames) => sum + frames.length, 0)
          return server.process.exitCode === null
        },
      ),
      { numRuns: 100 },
    )
    expect(sent).toBeGreaterThan(2000)
    await expectHealthy()

    const before = latencies.length
    await waitFor(() => latencies.length > before + 5, { what: 'honest edits after the fuzzing' })
    expect(latencies.length).toBeGreaterThan(50)
    const sorted = [...latencies].sort((a, b) => a - b)
    const p99 = sorted[Math.ceil(sorted.length * 0.99) - 1] ?? Number.POSITIVE_INFINITY
    expect(p99).toBeLessThan(HONEST_P99_BOUND_MS)
    expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true)
  })

  it('1,000 connections opened and dropped leave nothing behind', async () => {
    const sockets: WebSocket[] = []
    for (let i = 0; i < 10; i++) {
      const opened = await Promise.all(
        Array.from(
          { length: 100 },
          () =>
            new Promise<WebSocket>((resolve, reject) => {
              const ws = new WebSocket(syncUrl())
              ws.once('open', () => resolve(ws))
              ws.once('error', reject)
            }),
        ),
      )
      sockets.push(...opened)
    }
    expect(sockets).toHaveLength(1000)
    for (const ws of sockets) ws.terminate() // dropped, no close handshake
    let connections = Number.NaN
    for (let i = 0; i < 200; i++) {
      const text = await (await fetch(`${server.url}/metrics`)).text()
      connections = Number(/^cg_connections (\d+)$/m.exec(text)?.[1])
      if (connections === 2) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(connections).toBe(2) // the honest pair
    await expectHealthy()
  })

  it('refuses board ids that try to leave the path, creating nothing', async () => {
    const files = () => readdirSync(server.dataDir).sort()
    const before = files()
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '..', '%2E%2E%2Fboards', 'board%00-0001']) {
      expect([400, 404]).toContain(await upgradeStatus(`${server.wsUrl}/sync/${id}`))
      const response = await fetch(`${server.url}/api/boards/${id}`)
      expect([400, 404]).toContain(response.status)
    }
    expect(await upgradeStatus(`${server.wsUrl}/sync/..%2F${board.id}`)).toBe(400)
    expect(files()).toEqual(before)
    await expectHealthy()
  })
})
