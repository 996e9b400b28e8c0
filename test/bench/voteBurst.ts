/**
 * Vote burst: 60 Node Yjs clients (as many browsers) each place 5 dots at random moments within
 * a 10 s window, each dot its own transaction as in the app. Measured: the time from the last dot
 * to the moment every client holds the correct ranking, and the server's CPU during the burst.
 */
import { placeDot, rank, tally, VOTES, type VoteSession } from '@common-ground/shared/vote'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { ballotOf, rankingOf, startVoteBurst } from '../support/voting.ts'
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

async function burst(server: RunningServer, windowMs: number): Promise<Measurement[]> {
  const pid = server.process.pid
  if (pid === undefined) throw new Error('the server has no pid')
  const { id } = await createBoard(server, { title: 'Vote burst', template: 'blank' })
  const facilitator = connectClient(server.wsUrl, id)
  const clients: YClient[] = [facilitator]
  try {
    const { session, people, voters } = await startVoteBurst(facilitator, id, {
      itemIds: ITEMS,
      count: VOTERS,
      connect: (params) => {
        const client = connectClient(server.wsUrl, id, { params })
        clients.push(client)
        return client
      },
    })

    const plans = voters.map(() => randomDots())
    const expected = JSON.stringify(rank(tally(session, plans.map(ballotOf))))

    // Each client notes when its ranking first became the correct one.
    const correctAt = new Map<YClient, number>()
    for (const client of clients) {
      client.doc.getMap(VOTES).observe(() => {
        if (!correctAt.has(client) && rankingKey(client, session) === expected)
          correctAt.set(client, performance.now())
      })
    }

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
          placeDot(client.doc, {
            sessionId: session.id,
            participantId: (people[v] as (typeof people)[number]).participantId,
            itemId,
          })
          lastDotAt = Math.max(lastDotAt, performance.now())
        }
      }),
    )
    await waitFor(() => correctAt.size === clients.length, {
      what: 'the correct ranking on every client',
      timeoutMs: 20_000,
      intervalMs: 5,
    })
    const settledAt = Math.max(...correctAt.values())
    const burstMs = settledAt - startedAt
    const { peakPercent: peak, usedMs: cpuUsed } = cpu.stop()
    return [
      {
        suite,
        metric: `last dot → correct ranking on all ${clients.length} clients`,
        value: Math.max(0, settledAt - lastDotAt),
        unit: 'ms',
        note: `${VOTERS} voters × ${DOTS} dots within ${windowMs / 1000} s`,
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
    ]
  } finally {
    for (const client of clients) client.destroy()
  }
}

export async function voteBurst(quick: boolean): Promise<Measurement[]> {
  const server = await startServer()
  try {
    return await burst(server, quick ? 3000 : 10_000)
  } finally {
    await server.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./report.ts')
  printTable(await voteBurst(process.argv.includes('--quick')))
}
