/**
 * Reconnect storm: N Node clients on one board, the server is killed and restarted on the same
 * port; how long until every client is synced again, and how hard the server works meanwhile.
 * Once with y-websocket's own retry timing (exponential, no jitter), once with ours (the
 * browser app's policy: exponential with jitter).
 */
import { isPermanentClose, reconnectDelay } from '@common-ground/shared/board'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createBoard, participantOf } from '../support/boards.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { watchCpu } from './compare/procStats.ts'
import type { Measurement } from './report.ts'

type Timing = 'y-websocket default' | 'ours (jitter)'

interface StormClient {
  provider: WebsocketProvider
  attempts: number
  /** When the client last became synced (ms since epoch). */
  syncedAt: number
  destroy(): void
}

function connect(server: RunningServer, boardId: string, timing: Timing): StormClient {
  const doc = new Y.Doc()
  const client: StormClient = {
    attempts: 0,
    syncedAt: 0,
    provider: null as unknown as WebsocketProvider,
    destroy() {
      client.provider.destroy()
      doc.destroy()
    },
  }
  let retries = 0
  client.provider = new WebsocketProvider(`${server.wsUrl}/sync`, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: participantOf(boardId).params,
    ...(timing === 'ours (jitter)'
      ? {
          shouldReconnect: (event: CloseEvent) => {
            if (!isPermanentClose(event.code)) {
              setTimeout(() => client.provider.connect(), reconnectDelay(retries++))
            }
            return false
          },
        }
      : {}),
  })
  // The server's notices (message type 100: the role on joining) are not this bench's business.
  client.provider.messageHandlers[100] = () => {}
  client.provider.on('sync', (synced: boolean) => {
    if (synced) client.syncedAt = Date.now()
  })
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connecting') client.attempts++
    if (status === 'connected') retries = 0
  })
  return client
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}

async function storm(count: number, downMs: number, timing: Timing): Promise<Measurement[]> {
  let server = await startServer()
  const { id } = await createBoard(server, { title: 'Storm' })
  const clients = Array.from({ length: count }, () => connect(server, id, timing))
  try {
    await waitUntil(() => clients.every((c) => c.provider.synced), 60_000)
    const { dataDir, port } = server
    await server.kill9()
    await new Promise((resolve) => setTimeout(resolve, downMs))
    const attemptsBefore = clients.reduce((sum, c) => sum + c.attempts, 0)

    const started = Date.now()
    server = await startServer({ dataDir, env: { PORT: String(port) } })
    const cpu = watchCpu(server.process.pid as number)
    const allSynced = await waitUntil(() => clients.every((c) => c.provider.synced), 60_000)
    const elapsed = Date.now() - started
    const { peakPercent: peak, usedMs: cpuUsed } = cpu.stop()
    const attempts = clients.reduce((sum, c) => sum + c.attempts, 0) - attemptsBefore
    const perClient = clients.map((c) => c.syncedAt - started).sort((a, b) => a - b)
    const medianClient = perClient[Math.floor(perClient.length / 2)] ?? Number.NaN
    const suite = `storm ${count} clients`
    return [
      {
        suite,
        metric: `${timing}: restart → all synced`,
        value: allSynced ? elapsed : Number.NaN,
        unit: 'ms',
        note: `server down ${downMs} ms`,
      },
      {
        suite,
        metric: `${timing}: restart → median client synced`,
        value: medianClient,
        unit: 'ms',
      },
      {
        suite,
        metric: `${timing}: server CPU peak`,
        value: Math.round(peak),
        unit: '% of a core',
        note: '100 ms samples',
      },
      { suite, metric: `${timing}: server CPU used`, value: Math.round(cpuUsed), unit: 'ms' },
      { suite, metric: `${timing}: connection attempts`, value: attempts, unit: '' },
    ]
  } finally {
    for (const client of clients) client.destroy()
    await server.stop()
  }
}

export async function reconnectStorm(quick: boolean): Promise<Measurement[]> {
  const count = quick ? 100 : 200
  const rows: Measurement[] = []
  for (const timing of ['y-websocket default', 'ours (jitter)'] as const) {
    rows.push(...(await storm(count, 3000, timing)))
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.ts')
  printTable(await reconnectStorm(process.argv.includes('--quick')))
}
