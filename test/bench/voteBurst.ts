/**
 * Vote burst: 60 Node Yjs clients (as many browsers) each cast 5 dots through the server's
 * ballot box at random moments within a 10 s window, each dot its own request as in the app.
 * Once every dot is answered the facilitator reveals, and the server writes the outcome into the
 * board. Measured: the time from the last dot to the moment every client holds the correct
 * revealed ranking (and its two parts), the server's CPU during the burst, and the bytes each
 * participant received during the vote (turnout notices, its own ballot, the outcome).
 */
import { isDeepStrictEqual } from 'node:util'
import { closeVote, rank, revealVote, tally, type VoteSession } from '@common-ground/shared/vote'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, withServer } from '../support/server.ts'
import { ballotNotices, ballotOf, rankingOf, startVoteBurst } from '../support/voting.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'
import { watchCpu } from './compare/procStats.ts'
import type { Measurement } from './report.ts'

const suite = 'vote burst'
const VOTERS = 60
const DOTS = 5
const ITEMS = Array.from({ length: 12 }, (_, i) => `shape:issue-${i}`)

/** A voter's dots: random items, at most 3 on one (the default cap). */
function randomDots(): string[] {
  const dots: string[] = []
  while (dots.length < DOTS) {
    const itemId = ITEMS[Math.floor(Math.random() * ITEMS.length)] as string
    if (dots.filter((placed) => placed === itemId).length < 3) dots.push(itemId)
  }
  return dots
}

function rankingKey(client: YClient, session: VoteSession): string {
  return JSON.stringify(rankingOf(client, session))
}

/** Counts the bytes of every frame the server sends `client` from now on (this connection). */
function countBytes(client: YClient): () => number {
  const ws = client.provider.ws
  if (!ws) throw new Error('the client is not connected')
  let bytes = 0
  ws.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as ArrayBuffer | Uint8Array | string
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
  })
  return () => {
    // A reconnect would hide what the new socket received: the count would be short.
    if (client.provider.ws !== ws) throw new Error('a voter reconnected during the burst')
    return bytes
  }
}

const stats = (values: readonly number[]) => ({
  mean: values.reduce((sum, value) => sum + value, 0) / values.length,
  max: Math.max(...values),
})

async function burst(server: RunningServer, windowMs: number): Promise<Measurement[]> {
  const pid = server.process.pid
  if (pid === undefined) throw new Error('the server has no pid')
  const { id } = await createBoard(server, { title: 'Vote burst', template: 'blank' })
  const facilitator = connectClient(server.wsUrl, id)
  const clients: YClient[] = [facilitator]
  try {
    const { session, voters } = await startVoteBurst(facilitator, id, {
      itemIds: ITEMS,
      count: VOTERS,
      connect: (params) => {
        const client = connectClient(server.wsUrl, id, { params })
        clients.push(client)
        return client
      },
    })

    const plans = voters.map(() => randomDots())
    const ballots = plans.map(ballotOf)
    const expected = JSON.stringify(rank(tally(session, ballots)))

    // Each client notes when its ranking first became the correct one (from the outcome).
    const correctAt = new Map<YClient, number>()
    for (const client of clients) {
      client.doc.on('update', () => {
        if (!correctAt.has(client) && rankingKey(client, session) === expected)
          correctAt.set(client, performance.now())
      })
    }
    const received = voters.map(countBytes)

    const cpu = watchCpu(pid)
    const startedAt = performance.now()
    let lastDotAt = 0
    await Promise.all(
      voters.map(async (client, v) => {
        const times = (plans[v] as string[])
          .map(() => Math.random() * windowMs)
          .sort((a, b) => a - b)
        for (const [k, itemId] of (plans[v] as string[]).entries()) {
          const wait = startedAt + (times[k] as number) - performance.now()
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
          client.sendDot({ sessionId: session.id, itemId, delta: 1 })
          lastDotAt = Math.max(lastDotAt, performance.now())
        }
      }),
    )
    // Every dot answered with the voter's whole ballot: nothing is left in flight.
    await waitFor(
      () =>
        voters.every((client, v) =>
          isDeepStrictEqual(ballotNotices(client, session.id).at(-1)?.dots, ballots[v]?.dots),
        ),
      { what: 'an answer to every dot', timeoutMs: 20_000, intervalMs: 5 },
    )
    const answeredAt = performance.now()
    const refused = voters.flatMap((client) =>
      ballotNotices(client, session.id).filter((notice) => notice.refused !== undefined),
    )
    if (refused.length > 0) throw new Error(`dots refused: ${JSON.stringify(refused)}`)

    facilitator.doc.transact(() => {
      closeVote(facilitator.doc, session.id, Date.now())
      revealVote(facilitator.doc, session.id, Date.now())
    })
    await waitFor(() => correctAt.size === clients.length, {
      what: 'the revealed ranking on every client',
      timeoutMs: 20_000,
      intervalMs: 5,
    })
    const settledAt = Math.max(...correctAt.values())
    const burstMs = settledAt - startedAt
    const { peakPercent: peak, usedMs: cpuUsed } = cpu.stop()
    const bytes = stats(received.map((count) => count()))
    const note = `${VOTERS} voters × ${DOTS} dots within ${windowMs / 1000} s`
    return [
      {
        suite,
        metric: `last dot → revealed ranking on all ${clients.length} clients`,
        value: Math.max(0, settledAt - lastDotAt),
        unit: 'ms',
        note: `${note}; every dot answered, then the reveal`,
      },
      {
        suite,
        metric: 'last dot → every dot answered',
        value: Math.max(0, answeredAt - lastDotAt),
        unit: 'ms',
      },
      {
        suite,
        metric: `reveal → ranking on all ${clients.length} clients`,
        value: settledAt - answeredAt,
        unit: 'ms',
        note: 'the server writes the outcome',
      },
      {
        suite,
        metric: 'server CPU during the burst (mean)',
        value: Math.round((cpuUsed / burstMs) * 100),
        unit: '% of a core',
      },
      {
        suite,
        metric: 'server CPU during the burst (peak)',
        value: Math.round(peak),
        unit: '% of a core',
        note: '100 ms samples',
      },
      { suite, metric: 'server CPU used by the burst', value: Math.round(cpuUsed), unit: 'ms' },
      {
        suite,
        metric: 'bytes each participant received during the vote (mean)',
        value: Math.round(bytes.mean),
        unit: 'B',
        note: 'first dot to the revealed ranking: turnout, own ballot, outcome',
      },
      {
        suite,
        metric: 'bytes each participant received during the vote (max)',
        value: bytes.max,
        unit: 'B',
      },
    ]
  } finally {
    for (const client of clients) client.destroy()
  }
}

export async function voteBurst(quick: boolean): Promise<Measurement[]> {
  return withServer((server) => burst(server, quick ? 3000 : 10_000))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.ts')
  printTable(await voteBurst(process.argv.includes('--quick')))
}
