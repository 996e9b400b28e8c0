/**
 * Issue 8's comparison: the same Node Yjs clients against our server and the servers people
 * would otherwise use, one server process after another on free loopback ports. Returns the
 * per-server results, a table with ratios to ours, and an SVG chart of p99 against clients.
 */
import type { Measurement } from '../report.ts'
import type { Series } from './chart.ts'
import { sampleProcess } from './procStats.ts'
import {
  type BenchServer,
  type ServerInfo,
  type ServerKind,
  serverInfo,
  startBenchServer,
} from './servers.ts'
import {
  type ColdLoadResult,
  coldLoad,
  type DragResult,
  dragStream,
  editLatency,
  type LatencyResult,
} from './workloads.ts'

export interface ComparePlan {
  quick: boolean
  fanOut: { clients: number[]; warmupMs: number; measureMs: number }
  manyBoards: { boards: number; perBoard: number; periodMs: number; measureMs: number }
  coldLoad: { shapes: number }
  drag: { watchers: number; hz: number; seconds: number }
  /** Which workloads each server runs. */
  servers: { kind: ServerKind; fanOut: number[]; many: boolean; cold: boolean; drag: boolean }[]
}

export function comparePlan(quick: boolean): ComparePlan {
  const all = quick ? [10, 50, 200] : [10, 50, 200, 500]
  return {
    quick,
    fanOut: { clients: all, warmupMs: quick ? 500 : 2_000, measureMs: quick ? 2_000 : 8_000 },
    manyBoards: quick
      ? { boards: 50, perBoard: 4, periodMs: 2_000, measureMs: 2_000 }
      : { boards: 500, perBoard: 4, periodMs: 2_000, measureMs: 10_000 },
    coldLoad: { shapes: 5_000 },
    drag: { watchers: 50, hz: 60, seconds: quick ? 2 : 10 },
    servers: [
      { kind: 'ours', fanOut: all, many: true, cold: true, drag: true },
      { kind: 'y-websocket', fanOut: all, many: true, cold: true, drag: true },
      { kind: 'hocuspocus', fanOut: all, many: true, cold: true, drag: true },
      // What the write review costs: ours without it, same store.
      {
        kind: 'ours-unreviewed',
        fanOut: quick ? [200] : all,
        many: false,
        cold: false,
        drag: false,
      },
      // Persistence costs: ours without its store, Hocuspocus with one.
      { kind: 'ours-memory', fanOut: quick ? [200] : all, many: false, cold: false, drag: !quick },
      {
        kind: 'hocuspocus-sqlite',
        fanOut: quick ? [200] : all,
        many: false,
        cold: true,
        drag: false,
      },
    ],
  }
}

/** Observers per board: every client up to 50, then fewer so client CPU stays bounded. */
export function observersFor(clients: number): number {
  return Math.min(clients, 50, Math.max(8, Math.round(4_000 / clients)))
}

export interface ServerResults {
  server: ServerInfo
  fanOut: (LatencyResult & { observersPerBoard: number; clientCpuPercent: number })[]
  many: (LatencyResult & { rssPerBoardKB: number }) | null
  cold: ColdLoadResult | null
  drag: DragResult | null
  idleRssMB: number
  error?: string
}

async function withServer<T>(
  kind: ServerKind,
  options: Parameters<typeof startBenchServer>[1],
  use: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startBenchServer(kind, options)
  try {
    return await use(server)
  } finally {
    await server.stop()
  }
}

export async function runComparison(
  plan: ComparePlan,
  log: (line: string) => void = console.log,
): Promise<ServerResults[]> {
  // Warm the client process's JIT once, so the first server measured is not penalised.
  await withServer('ours-memory', {}, (server) =>
    editLatency(server, {
      boards: 1,
      perRoom: 50,
      observers: 50,
      periodMs: 1_000,
      warmupMs: 300,
      measureMs: 1_200,
    }),
  )
  const results = plan.servers.map(
    (entry): ServerResults => ({
      server: serverInfo(entry.kind),
      fanOut: [],
      many: null,
      cold: null,
      drag: null,
      idleRssMB: Number.NaN,
    }),
  )
  const attempt = async (result: ServerResults, what: string, job: () => Promise<void>) => {
    if (result.error) return
    try {
      await job()
    } catch (error) {
      result.error = `${what}: ${error instanceof Error ? error.message : String(error)}`
      log(`  ${result.server.label} failed: ${result.error}`)
    }
  }

  // Every server is up (idle) while one at a time is measured, workload by workload, so a
  // change in the machine's background load spreads over all of them instead of one.
  const servers: (BenchServer | null)[] = []
  try {
    for (const [index, entry] of plan.servers.entries()) {
      const result = results[index] as ServerResults
      let server: BenchServer | null = null
      await attempt(result, 'start', async () => {
        server = await startBenchServer(entry.kind, { roomGraceMs: 300 })
        result.idleRssMB = sampleProcess(server.pid).rssBytes / 2 ** 20
      })
      servers.push(server)
    }
    const each = async (
      wanted: (entry: ComparePlan['servers'][number]) => boolean,
      job: (server: BenchServer, result: ServerResults) => Promise<void>,
    ) => {
      for (const [index, entry] of plan.servers.entries()) {
        const server = servers[index]
        const result = results[index] as ServerResults
        if (server && wanted(entry)) await attempt(result, 'workload', () => job(server, result))
      }
    }
    for (const clients of plan.fanOut.clients) {
      await each(
        (entry) => entry.fanOut.includes(clients),
        async (server, result) => {
          const cpuFrom = process.cpuUsage()
          const started = performance.now()
          const fan = await editLatency(server, {
            boards: 1,
            perRoom: clients,
            observers: observersFor(clients),
            periodMs: 1_000,
            warmupMs: plan.fanOut.warmupMs,
            measureMs: plan.fanOut.measureMs,
          })
          const cpu = process.cpuUsage(cpuFrom)
          const clientCpuPercent =
            ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100
          result.fanOut.push({ ...fan, clientCpuPercent })
          log(
            `  fan-out ${clients} ${server.label}: p99 ${fan.p99.toFixed(1)} ms, server CPU ${fan.serverCpuPercent.toFixed(0)} %, missing ${fan.missing}, late ${fan.late}`,
          )
          await sleep(400) // let the room unload
        },
      )
    }
    await each(
      (entry) => entry.cold,
      async (server, result) => {
        result.cold = await coldLoad(server, { shapes: plan.coldLoad.shapes, unloadWaitMs: 1_500 })
        log(`  cold load ${server.label}: ${JSON.stringify(result.cold)}`)
      },
    )
    await each(
      (entry) => entry.drag,
      async (server, result) => {
        result.drag = await dragStream(server, plan.drag)
        log(`  drag ${server.label}: ${Math.round(result.drag.bytesPerSecondPerWatcher)} B/s`)
      },
    )
  } finally {
    for (const server of servers) await server?.stop()
  }

  // Many boards: a fresh process each, so RSS per board is not mixed with earlier workloads.
  for (const [index, entry] of plan.servers.entries()) {
    const result = results[index] as ServerResults
    if (!entry.many) continue
    await attempt(result, 'many boards', () =>
      withServer(entry.kind, { roomGraceMs: 30_000 }, async (server) => {
        const many = await editLatency(server, {
          boards: plan.manyBoards.boards,
          perRoom: plan.manyBoards.perBoard,
          observers: plan.manyBoards.perBoard,
          periodMs: plan.manyBoards.periodMs,
          warmupMs: 1_000,
          measureMs: plan.manyBoards.measureMs,
        })
        const rssPerBoardKB = ((many.serverRssMB - many.rssBeforeMB) * 1024) / many.boards
        result.many = { ...many, rssPerBoardKB }
        log(
          `  many boards ${server.label}: p99 ${many.p99.toFixed(1)} ms, ${rssPerBoardKB.toFixed(0)} KB/board`,
        )
      }),
    )
  }
  return results
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** p99 against clients, one series per server. */
export function chartSeries(results: readonly ServerResults[]): Series[] {
  return results
    .filter((r) => r.fanOut.length > 1)
    .map((r) => ({
      label: r.server.label,
      points: r.fanOut.map((f) => ({ x: f.clients, y: f.p99 })),
    }))
}

interface Metric {
  suite: string
  metric: string
  unit: string
  /** Lower is better (latency, bytes) unless false. */
  lowerIsBetter: boolean
  pick(r: ServerResults): number | undefined
  note?: string
}

function metrics(plan: ComparePlan): Metric[] {
  const list: Metric[] = []
  for (const clients of plan.fanOut.clients) {
    const fan = (r: ServerResults) => r.fanOut.find((f) => f.clients === clients)
    const suite = `fan-out ${clients}`
    list.push(
      { suite, metric: 'p50', unit: 'ms', lowerIsBetter: true, pick: (r) => fan(r)?.p50 },
      { suite, metric: 'p95', unit: 'ms', lowerIsBetter: true, pick: (r) => fan(r)?.p95 },
      { suite, metric: 'p99', unit: 'ms', lowerIsBetter: true, pick: (r) => fan(r)?.p99 },
      {
        suite,
        metric: 'deliveries',
        unit: '/s',
        lowerIsBetter: false,
        pick: (r) => fan(r)?.deliveriesPerSecond,
      },
      {
        suite,
        metric: 'missing+late',
        unit: '',
        lowerIsBetter: true,
        pick: (r) => {
          const f = fan(r)
          return f ? f.missing + f.late : undefined
        },
      },
      {
        suite,
        metric: 'server CPU',
        unit: '%',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.serverCpuPercent,
      },
      {
        suite,
        metric: 'msgs/client',
        unit: '/s',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.messagesPerClientPerSecond,
      },
      {
        suite,
        metric: 'bytes/client',
        unit: 'B/s',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.bytesPerClientPerSecond,
      },
      {
        suite,
        metric: 'client CPU',
        unit: '%',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.clientCpuPercent,
      },
    )
  }
  const many = `many ${plan.manyBoards.boards}×${plan.manyBoards.perBoard}`
  list.push(
    { suite: many, metric: 'p99', unit: 'ms', lowerIsBetter: true, pick: (r) => r.many?.p99 },
    {
      suite: many,
      metric: 'RSS/board',
      unit: 'KB',
      lowerIsBetter: true,
      pick: (r) => r.many?.rssPerBoardKB,
    },
    {
      suite: many,
      metric: 'missing+late',
      unit: '',
      lowerIsBetter: true,
      pick: (r) => (r.many ? r.many.missing + r.many.late : undefined),
    },
    {
      suite: 'cold 5000',
      metric: 'doc size',
      unit: 'KB',
      lowerIsBetter: true,
      pick: (r) => r.cold?.docKB,
    },
    {
      suite: 'cold 5000',
      metric: 'sync, loaded',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.warmMs,
    },
    {
      suite: 'cold 5000',
      metric: 'sync, from store',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.reloadMs ?? undefined,
    },
    {
      suite: 'cold 5000',
      metric: 'server load',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.serverLoadMs ?? undefined,
    },
    {
      suite: 'drag 60 Hz',
      metric: 'per watcher',
      unit: 'B/s',
      lowerIsBetter: true,
      pick: (r) => r.drag?.bytesPerSecondPerWatcher,
    },
    {
      suite: 'drag 60 Hz',
      metric: 'msgs/watcher',
      unit: '/s',
      lowerIsBetter: true,
      pick: (r) => r.drag?.messagesPerSecondPerWatcher,
    },
    {
      suite: 'drag 60 Hz',
      metric: 'doc growth',
      unit: 'B',
      lowerIsBetter: true,
      pick: (r) => r.drag?.docGrowthBytes,
    },
    {
      suite: 'drag 60 Hz',
      metric: 'server CPU',
      unit: '%',
      lowerIsBetter: true,
      pick: (r) => r.drag?.serverCpuPercent,
    },
    {
      suite: 'idle',
      metric: 'server RSS',
      unit: 'MB',
      lowerIsBetter: true,
      pick: (r) => r.idleRssMB,
    },
  )
  return list
}

const format = (value: number) =>
  Math.abs(value) >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(1)

/** `value (×ratio)` per server; the ratio is theirs ÷ ours. */
export function comparisonTable(plan: ComparePlan, results: readonly ServerResults[]): string[][] {
  const ours = results.find((r) => r.server.kind === 'ours')
  const header = ['suite', 'metric', 'unit', ...results.map((r) => r.server.label)]
  const rows: string[][] = [header]
  for (const metric of metrics(plan)) {
    const base = ours ? metric.pick(ours) : undefined
    const cells = results.map((r) => {
      const value = metric.pick(r)
      if (value === undefined || !Number.isFinite(value)) return '–'
      if (r === ours || base === undefined || !Number.isFinite(base) || base === 0)
        return format(value)
      return `${format(value)} (×${(value / base).toFixed(2)})`
    })
    if (cells.every((cell) => cell === '–')) continue
    rows.push([metric.suite, metric.metric, metric.unit, ...cells])
  }
  return rows
}

export function printGrid(rows: readonly string[][]): void {
  const widths = (rows[0] ?? []).map((_, i) =>
    Math.max(...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
  const [header, ...body] = rows
  if (!header) return
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of body) console.log(line(row))
}

/** The comparison as flat measurement rows (one per server and metric) for the JSON. */
export function comparisonMeasurements(
  plan: ComparePlan,
  results: readonly ServerResults[],
): Measurement[] {
  const ours = results.find((r) => r.server.kind === 'ours')
  const rows: Measurement[] = []
  for (const metric of metrics(plan)) {
    const base = ours ? metric.pick(ours) : undefined
    for (const r of results) {
      const value = metric.pick(r)
      if (value === undefined || !Number.isFinite(value)) continue
      const ratio = base && Number.isFinite(base) ? value / base : undefined
      rows.push({
        suite: `${metric.suite} · ${r.server.label}`,
        metric: metric.metric,
        value,
        unit: metric.unit,
        ...(ratio !== undefined && r !== ours ? { note: `×${ratio.toFixed(2)} of ours` } : {}),
      })
    }
  }
  return rows
}
