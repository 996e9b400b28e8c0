/**
 * Churn: clients join boards, edit, leave and come back for a long while (full: 10 minutes,
 * `--quick`: 40 s). Measures the server's RSS once the first stretch is over (minute 1; 10 s in
 * quick mode) against the end, and whether every board is unloaded once everyone has left (the
 * `cg_rooms_loaded` gauge of /metrics after the grace period). Runs on its own with
 * `node bench/churn.ts [--quick]`, or as part of `pnpm bench`.
 */
import { fileURLToPath } from 'node:url'
import { note } from '@common-ground/shared/fixtures'
import { createBoard } from '../support/boards.ts'
import { type RunningServer, startServer } from '../support/server.ts'
import { connectClient, type YClient } from '../support/yclient.ts'
import { sampleProcess } from './compare/procStats.ts'
import { type Measurement, printTable } from './report.ts'

const BOARDS = 20
const CONCURRENT_CLIENTS = 60
const GRACE_MS = 2_000
/** Keys a board's notes cycle through: the documents stop growing, so memory should too. */
const NOTE_KEYS = 40

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T

async function gauge(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
}

/** One person's visits: join a board, edit for a few seconds, leave, pause, join again. */
async function visitor(
  server: RunningServer,
  boards: string[],
  until: number,
  stats: { sessions: number; edits: number },
) {
  while (Date.now() < until) {
    const board = pick(boards)
    const client: YClient = connectClient(server.wsUrl, board)
    try {
      await client.whenSynced(30_000)
      stats.sessions++
      const leaveAt = Math.min(until, Date.now() + 2_000 + Math.random() * 6_000)
      while (Date.now() < leaveAt) {
        const shape = note(
          `churn-${Math.floor(Math.random() * NOTE_KEYS)}`,
          `edit ${stats.edits++}`,
        )
        client.board.records.set(shape.id, shape)
        await sleep(150 + Math.random() * 150)
      }
    } catch {
      // A sync that timed out under load: leave and come back like a person would.
    } finally {
      client.destroy()
    }
    await sleep(Math.random() * 2_000)
  }
}

export async function churnBench(quick: boolean): Promise<Measurement[]> {
  const totalMs = quick ? 40_000 : 600_000
  const baselineMs = quick ? 10_000 : 60_000
  const server = await startServer({
    env: { LOG_LEVEL: 'info', ROOM_GRACE_MS: String(GRACE_MS) },
  })
  try {
    const pid = server.process.pid ?? 0
    const boards: string[] = []
    for (let i = 0; i < BOARDS; i++) boards.push((await createBoard(server)).id)
    const started = Date.now()
    const stats = { sessions: 0, edits: 0 }
    const visits = Array.from({ length: CONCURRENT_CLIENTS }, () =>
      visitor(server, boards, started + totalMs, stats),
    )
    let baseline = 0
    let baselineHeap = 0
    let peak = 0
    const sampler = setInterval(() => {
      const rss = sampleProcess(pid).rssBytes
      peak = Math.max(peak, rss)
      if (!baseline && Date.now() - started >= baselineMs) {
        baseline = rss
        // The V8 heap in use tells a leak from memory the allocator keeps after a peak.
        void gauge(server, 'nodejs_heap_size_used_bytes').then((heap) => {
          baselineHeap = heap
        })
      }
    }, 1_000)
    await Promise.all(visits)
    clearInterval(sampler)
    const end = sampleProcess(pid).rssBytes
    const loadedAtEnd = await gauge(server, 'cg_rooms_loaded')
    // Everyone has left: after the grace period (and its compaction) no board stays loaded.
    await sleep(GRACE_MS + 3_000)
    const loadedIdle = await gauge(server, 'cg_rooms_loaded')
    const connectionsIdle = await gauge(server, 'cg_connections')
    const idleRss = sampleProcess(pid).rssBytes
    const idleHeap = await gauge(server, 'nodejs_heap_size_used_bytes')
    const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10
    const suite = `churn ${Math.round(totalMs / 1000)} s`
    return [
      { suite, metric: 'sessions (join, edit, leave)', value: stats.sessions, unit: 'count' },
      { suite, metric: 'edits', value: stats.edits, unit: 'count' },
      {
        suite,
        metric: `server RSS after ${baselineMs / 1000} s`,
        value: mb(baseline),
        unit: 'MB',
      },
      { suite, metric: 'server RSS at the end', value: mb(end), unit: 'MB' },
      {
        suite,
        metric: 'RSS end vs baseline',
        value: Math.round((end / baseline - 1) * 1000) / 10,
        unit: '%',
        note: 'goal: within 10 %',
      },
      { suite, metric: 'server RSS peak', value: mb(peak), unit: 'MB' },
      { suite, metric: 'boards loaded at the end', value: loadedAtEnd, unit: 'count' },
      {
        suite,
        metric: 'boards loaded once idle',
        value: loadedIdle,
        unit: 'count',
        note: `after the ${GRACE_MS / 1000} s grace; goal 0`,
      },
      { suite, metric: 'connections once idle', value: connectionsIdle, unit: 'count' },
      { suite, metric: 'server RSS once idle', value: mb(idleRss), unit: 'MB' },
      {
        suite,
        metric: `V8 heap used after ${baselineMs / 1000} s`,
        value: mb(baselineHeap),
        unit: 'MB',
      },
      { suite, metric: 'V8 heap used once idle', value: mb(idleHeap), unit: 'MB' },
    ]
  } finally {
    await server.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await churnBench(process.argv.includes('--quick')))
}
