/**
 * `GET /metrics` of a real server process: Prometheus text that follows what the server does
 * (rooms, connections, updates and bytes both ways, refusals, commit latency, event-loop lag).
 */
import { note } from '@common-ground/shared/fixtures'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

let server: RunningServer
const clients: YClient[] = []

beforeAll(async () => {
  server = await startServer()
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server?.stop()
  await removeDataDir(server.dataDir)
})

/** The samples of a scrape: `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/metrics`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const samples = new Map<string, number>()
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    samples.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return samples
}

describe('GET /metrics', () => {
  it('counts rooms, connections, updates, bytes, refusals and commits', async () => {
    const before = await scrape()
    expect(before.get('cg_rooms_loaded')).toBe(0)
    expect(before.get('cg_connections')).toBe(0)
    // Default process metrics and the event-loop lag come with it.
    expect(before.get('process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(before.has('nodejs_eventloop_lag_p99_seconds')).toBe(true)

    const created = await createBoard(server)
    const { id } = created
    const [ana, ben] = [connectClient(server.wsUrl, id), connectClient(server.wsUrl, id)]
    clients.push(ana, ben)
    await Promise.all([ana.whenSynced(), ben.whenSynced()])
    for (let i = 0; i < 5; i++) {
      ana.board.records.set(`shape:k${i}`, note(`k${i}`, 'hello'))
      await waitFor(() => ben.board.records.get(`shape:k${i}`), { what: `k${i}` })
    }

    // With the board's key when boards have keys, so the refusal is the text frame's.
    const token = (created as { tokens?: { facilitate?: string } }).tokens?.facilitate
    const ws = await openSocket(`${server.wsUrl}/sync/${id}${token ? `?token=${token}` : ''}`)
    const closed = closeOf(ws)
    ws.send('not binary')
    expect((await closed).code).toBe(1003)

    // The refused socket's close reaches the server a moment after ours.
    let after = await scrape()
    for (let i = 0; i < 100 && after.get('cg_connections') !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      after = await scrape()
    }
    expect(after.get('cg_connections')).toBe(2)
    expect(after.get('cg_rooms_loaded')).toBe(1)
    expect(after.get('cg_room_loads_total')).toBe(1)
    expect(after.get('cg_updates_received_total')).toBeGreaterThanOrEqual(5)
    expect(after.get('cg_updates_sent_total')).toBeGreaterThanOrEqual(5)
    expect(after.get('cg_bytes_received_total')).toBeGreaterThan(0)
    expect(after.get('cg_bytes_sent_total')).toBeGreaterThan(0)
    expect(after.get('cg_messages_sent_total')).toBeGreaterThan(
      after.get('cg_updates_sent_total') ?? 0,
    )
    expect(
      after.get('cg_connections_refused_total{code="1003",reason="text frames are not supported"}'),
    ).toBe(1)
    expect(after.get('cg_commit_duration_seconds_count')).toBeGreaterThanOrEqual(5)
    expect(after.get('cg_commit_failures_total')).toBe(0)
    expect(after.has('cg_updates_rejected_total')).toBe(false) // labelled: no sample until one
  })
})
