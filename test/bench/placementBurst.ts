/**
 * Placement burst: 60 Node Yjs clients (as many browsers) each place 12 issues on impact and
 * effort through the server (one `MESSAGE_ROUND` request per issue, as the app sends them) at
 * random moments within a 10 s window; once every mark is answered the facilitator reveals and
 * the server writes the averages into the board. Measured: last mark → every mark answered,
 * reveal → the result on every client, the server's CPU, and the bytes each participant received.
 */
import { MESSAGE_ROUND, type Notice } from '@common-ground/shared/board'
import { readRoundState, revealRound, startRound } from '@common-ground/shared/vote'
import { createBoard, participantOf } from '../support/boards.ts'
import { type RunningServer, withServer } from '../support/server.ts'
import { connectClient, jsonMessage, waitFor, type YClient } from '../support/yclient.ts'
import { watchCpu } from './compare/procStats.ts'
import type { Measurement } from './report.ts'

const suite = 'placement burst'
const PEOPLE = 60
const ITEMS = Array.from({ length: 12 }, (_, i) => `shape:issue-${i}`)

const answered = (client: YClient) =>
  (client.notices as Notice[]).filter(
    (notice): notice is Extract<Notice, { kind: 'round-ballot' }> =>
      notice.kind === 'round-ballot' && notice.roundId === 'burst',
  )

async function burst(server: RunningServer, windowMs: number): Promise<Measurement[]> {
  const pid = server.process.pid
  if (pid === undefined) throw new Error('the server has no pid')
  const { id } = await createBoard(server, { title: 'Placement burst', template: 'blank' })
  const facilitator = connectClient(server.wsUrl, id)
  const clients: YClient[] = [facilitator]
  try {
    await facilitator.whenSynced()
    startRound(facilitator.doc, {
      id: 'burst',
      kind: 'placement',
      title: 'Impact and effort',
      itemIds: ITEMS,
      now: Date.now(),
    })
    const people = Array.from({ length: PEOPLE }, () => {
      const client = connectClient(server.wsUrl, id, { params: participantOf(id).params })
      clients.push(client)
      return client
    })
    await Promise.all(people.map((client) => client.whenSynced()))
    await waitFor(() => people.every((client) => readRoundState(client.doc).rounds.has('burst')), {
      what: 'the round on every client',
    })
    const bytes = people.map((client) => {
      let count = 0
      client.provider.ws?.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as ArrayBuffer | Uint8Array
        count += data.byteLength
      })
      return () => count
    })
    const resultAt = new Map<YClient, number>()
    for (const client of clients) {
      client.doc.on('update', () => {
        if (!resultAt.has(client) && readRoundState(client.doc).results.has('burst'))
          resultAt.set(client, performance.now())
      })
    }
    const cpu = watchCpu(pid)
    const startedAt = performance.now()
    let lastMarkAt = 0
    await Promise.all(
      people.map(async (client) => {
        const times = ITEMS.map(() => Math.random() * windowMs).sort((a, b) => a - b)
        for (const [k, itemId] of ITEMS.entries()) {
          const wait = startedAt + (times[k] as number) - performance.now()
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
          const mark = {
            impact: Math.floor(Math.random() * 11),
            effort: Math.floor(Math.random() * 11),
          }
          client.provider.ws?.send(jsonMessage(MESSAGE_ROUND, { roundId: 'burst', itemId, mark }))
          lastMarkAt = Math.max(lastMarkAt, performance.now())
        }
      }),
    )
    await waitFor(
      () =>
        people.every(
          (client) => Object.keys(answered(client).at(-1)?.marks ?? {}).length === ITEMS.length,
        ),
      { what: 'an answer to every mark', timeoutMs: 20_000, intervalMs: 5 },
    )
    const answeredAt = performance.now()
    const refused = people.flatMap((client) => answered(client).filter((n) => n.refused))
    if (refused.length > 0) throw new Error(`marks refused: ${JSON.stringify(refused[0])}`)
    revealRound(facilitator.doc, 'burst', Date.now())
    await waitFor(() => resultAt.size === clients.length, {
      what: 'the result on every client',
      timeoutMs: 20_000,
      intervalMs: 5,
    })
    const settledAt = Math.max(...resultAt.values())
    const { usedMs } = cpu.stop()
    const received = bytes.map((count) => count())
    const result = readRoundState(facilitator.doc).results.get('burst')
    if (result?.voters !== PEOPLE) throw new Error(`the result counts ${result?.voters} people`)
    return [
      {
        suite,
        metric: 'last mark → every mark answered',
        value: Math.max(0, answeredAt - lastMarkAt),
        unit: 'ms',
        note: `${PEOPLE} people × ${ITEMS.length} issues within ${windowMs / 1000} s`,
      },
      {
        suite,
        metric: `reveal → result on all ${clients.length} clients`,
        value: settledAt - answeredAt,
        unit: 'ms',
      },
      { suite, metric: 'server CPU used by the burst', value: Math.round(usedMs), unit: 'ms' },
      {
        suite,
        metric: 'bytes each participant received during the round (mean)',
        value: Math.round(received.reduce((sum, n) => sum + n, 0) / received.length),
        unit: 'B',
        note: 'own marks, turnout, the result',
      },
    ]
  } finally {
    for (const client of clients) client.destroy()
  }
}

export async function placementBurst(quick: boolean): Promise<Measurement[]> {
  return withServer((server) => burst(server, quick ? 3000 : 10_000))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.ts')
  printTable(await placementBurst(process.argv.includes('--quick')))
}
