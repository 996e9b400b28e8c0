/**
 * Vote burst: 60 Node Yjs clients (as many browsers) each place 5 dots at random moments within
 * a 10 s window, each dot its own transaction as in the app. Measured: the time from the last dot
 * to the moment every client holds the correct ranking, and the server's CPU during the burst.
 */
import { readFileSync } from 'node:fs'
import {
  placeDot,
  rank,
  readVoteState,
  startVote,
  tally,
  VOTES,
  type VoteSession,
} from '@common-ground/shared'
import { createBoard, participantOf } from '../support/boards.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'
import type { Measurement } from './report.ts'

const suite = 'vote burst'
const VOTERS = 60
const DOTS = 5
const ITEMS = Array.from({ length: 12 }, (_, i) => `shape:issue-${i}`)

/** CPU time (user + system) of a process so far, in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // USER_HZ is 100 on Linux
}

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
  const ballots = readVoteState(client.doc).ballots.get(session.id)
  return JSON.stringify(rank(tally(session, ballots?.values() ?? [])))
}

async function burst(server: RunningServer, windowMs: number): Promise<Measurement[]> {
  const pid = server.process.pid
  if (pid === undefined) throw new Error('the server has no pid')
  const { id } = await createBoard(server, { title: 'Vote burst', template: 'blank' })
  const facilitator = connectClient(server.wsUrl, id)
  const clients: YClient[] = [facilitator]
  try {
    await facilitator.whenSynced()
    const session = startVote(facilitator.doc, {
      id: 'burst',
      title: 'Which issues first?',
      itemIds: ITEMS,
      now: Date.now(),
    })
    const people = Array.from({ length: VOTERS }, () => participantOf(id))
    const voters = people.map((person) =>
      connectClient(server.wsUrl, id, { params: person.params }),
    )
    clients.push(...voters)
    await Promise.all(voters.map((client) => client.whenSynced()))
    await waitFor(() => voters.every((client) => client.doc.getMap(VOTES).size > 0), {
      what: 'the session on every client',
    })

    const plans = voters.map(() => randomDots())
    const expected = JSON.stringify(
      rank(
        tally(
          session,
          plans.map((dots) => {
            const counts: Record<string, number> = {}
            for (const itemId of dots) counts[itemId] = (counts[itemId] ?? 0) + 1
            return { dots: counts }
          }),
        ),
      ),
    )

    // Each client notes when its ranking first became the correct one.
    const correctAt = new Map<YClient, number>()
    for (const client of clients) {
      client.doc.getMap(VOTES).observe(() => {
        if (!correctAt.has(client) && rankingKey(client, session) === expected)
          correctAt.set(client, performance.now())
      })
    }

    let peak = 0
    let lastCpu = cpuMs(pid)
    let lastAt = performance.now()
    const sampler = setInterval(() => {
      const now = performance.now()
      const cpu = cpuMs(pid)
      peak = Math.max(peak, ((cpu - lastCpu) / (now - lastAt)) * 100)
      lastCpu = cpu
      lastAt = now
    }, 100)
    const cpuAtStart = cpuMs(pid)
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
    const cpuUsed = cpuMs(pid) - cpuAtStart
    clearInterval(sampler)
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
