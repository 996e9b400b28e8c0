/**
 * Issue 8's comparison: the same Node Yjs clients against our server and the servers people
 * would otherwise use, one server process after another on free loopback ports. Returns the
 * per-server results, a table with ratios to ours, and an SVG chart of p99 against clients.
 */
import { loadavg } from 'node:os'
import { type Measurement, median } from '../report.ts'
import type { Series } from './chart.ts'
import { type ClientProcess, startClientProcess } from './clientProcess.ts'
import { type ProbedFanOut, probedFanOut } from './latencyProbe.ts'
import { type Pinning, pinProcess } from './pinning.ts'
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
  type DragResult,
  type IdleBoardsResult,
  type LatencyResult,
  reloadFromLog,
} from './workloads.ts'

/** The comparison's workloads; `--compare=fan-out,cold,…` runs only some. */
export const WORKLOADS = ['fan-out', 'many', 'idle', 'cold', 'drag'] as const
export type Workload = (typeof WORKLOADS)[number]

export interface ComparePlan {
  quick: boolean
  /** Each figure is the median of this many runs (at least 5 unless asked otherwise). */
  runs: number
  workloads: Workload[]
  fanOut: { clients: number[]; warmupMs: number; measureMs: number }
  manyBoards: { boards: number; perBoard: number; periodMs: number; measureMs: number }
  idleBoards: { boards: number; settleMs: number; graceMs: number }
  coldLoad: { shapes: number }
  drag: { watchers: number; hz: number; seconds: number }
  /** Which workloads each server runs. */
  servers: {
    kind: ServerKind
    fanOut: number[]
    many: boolean
    idle: boolean
    cold: boolean
    drag: boolean
  }[]
}

export function comparePlan(
  quick: boolean,
  runs = 5,
  workloads: readonly Workload[] = WORKLOADS,
): ComparePlan {
  const all = quick ? [50, 200] : [10, 50, 200, 500]
  return {
    quick,
    runs,
    workloads: [...workloads],
    fanOut: { clients: all, warmupMs: quick ? 1_000 : 2_000, measureMs: quick ? 3_000 : 8_000 },
    manyBoards: quick
      ? { boards: 50, perBoard: 4, periodMs: 2_000, measureMs: 2_000 }
      : { boards: 500, perBoard: 4, periodMs: 2_000, measureMs: 10_000 },
    // Opened and left within ours's grace period, which is set well past the workload's length.
    idleBoards: { boards: 1_000, settleMs: 2_000, graceMs: 600_000 },
    coldLoad: { shapes: 5_000 },
    drag: { watchers: 50, hz: 60, seconds: quick ? 2 : 10 },
    servers: [
      { kind: 'ours', fanOut: all, many: true, idle: true, cold: true, drag: true },
      { kind: 'y-websocket', fanOut: all, many: true, idle: true, cold: true, drag: true },
      { kind: 'hocuspocus', fanOut: all, many: true, idle: true, cold: true, drag: true },
      // What the write review costs: ours without it, same store.
      {
        kind: 'ours-unreviewed',
        fanOut: quick ? [200] : all,
        many: false,
        idle: false,
        cold: false,
        drag: false,
      },
      // Persistence costs: ours without its store, Hocuspocus with one.
      {
        kind: 'ours-memory',
        fanOut: quick ? [200] : all,
        many: false,
        idle: false,
        cold: false,
        drag: !quick,
      },
      {
        kind: 'hocuspocus-sqlite',
        fanOut: quick ? [200] : all,
        many: false,
        idle: false,
        cold: true,
        drag: false,
      },
      // The floor: what writing the same bytes to every socket costs, with no other work at all.
      {
        kind: 'relay',
        fanOut: quick ? [200] : all,
        many: false,
        idle: false,
        cold: false,
        drag: false,
      },
    ],
  }
}

/** Observers per board: every client up to 50, then fewer so client CPU stays bounded. */
export function observersFor(clients: number): number {
  return Math.min(clients, 50, Math.max(8, Math.round(4_000 / clients)))
}

/** One run of every workload against one server. */
export interface ServerRun {
  /** The machine's 1-minute load average when the run began. */
  loadAverage: number
  fanOut: ProbedFanOut[]
  many: (LatencyResult & { rssPerBoardKB: number }) | null
  idle: IdleBoardsResult | null
  cold: ColdLoadResult | null
  drag: DragResult | null
  idleRssMB: number
}

export interface ServerResults {
  server: ServerInfo
  runs: ServerRun[]
  error?: string
}

/** The median of some runs, with their min and max. */
export interface Spread {
  median: number
  min: number
  max: number
  runs: number
}

export function spread(values: readonly number[]): Spread | undefined {
  const finite = values.filter((value) => Number.isFinite(value))
  if (finite.length === 0) return undefined
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    runs: finite.length,
  }
}

async function withServer<T>(
  kind: ServerKind,
  options: Parameters<typeof startBenchServer>[1],
  pinning: Pinning,
  use: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startBenchServer(kind, options)
  pinProcess(server.pid, pinning.serverCore)
  try {
    return await use(server)
  } finally {
    await server.stop()
  }
}

/**
 * Runs the plan `plan.runs` times. The clients live in one process of their own (pinned to the
 * client core); every server measured is pinned to the server core. Each run starts fresh
 * servers, and the order of the servers rotates from run to run, so drift in the machine's
 * background load spreads over all of them.
 */
export async function runComparison(
  plan: ComparePlan,
  pinning: Pinning,
  log: (line: string) => void = console.log,
): Promise<ServerResults[]> {
  const clients = await startClientProcess(pinning.clientCore)
  // Fan-out's latency probe: a second, nearly idle client process (see latencyProbe.ts).
  const probe = await startClientProcess(pinning.clientCore, { realtime: true }).catch(
    async (error: unknown) => {
      await clients.stop()
      throw error
    },
  )
  const results = plan.servers.map(
    (entry): ServerResults => ({ server: serverInfo(entry.kind), runs: [] }),
  )
  const wants = (workload: Workload) => plan.workloads.includes(workload)
  try {
    // Warm the client process's JIT once, so the first server measured is not penalised.
    await withServer('ours-memory', {}, pinning, (server) =>
      clients.run(server, {
        workload: 'latency',
        options: {
          boards: 1,
          perRoom: 50,
          observers: 50,
          periodMs: 1_000,
          warmupMs: 300,
          measureMs: 1_200,
        },
      }),
    )
    for (let run = 0; run < plan.runs; run++) {
      const order = plan.servers.map((_, index) => (index + run) % plan.servers.length)
      const loadAverage = loadavg()[0] ?? 0
      log(`run ${run + 1} of ${plan.runs} (load average ${loadAverage.toFixed(2)})`)
      const current = plan.servers.map(
        (): ServerRun => ({
          loadAverage,
          fanOut: [],
          many: null,
          idle: null,
          cold: null,
          drag: null,
          idleRssMB: Number.NaN,
        }),
      )
      await oneRun(plan, pinning, { clients, probe }, order, current, results, log, wants)
      for (const [index, result] of results.entries()) {
        if (!result.error) result.runs.push(current[index] as ServerRun)
      }
    }
  } finally {
    await clients.stop()
    await probe.stop()
  }
  return results
}

async function oneRun(
  plan: ComparePlan,
  pinning: Pinning,
  { clients, probe }: { clients: ClientProcess; probe: ClientProcess },
  order: readonly number[],
  current: ServerRun[],
  results: ServerResults[],
  log: (line: string) => void,
  wants: (workload: Workload) => boolean,
): Promise<void> {
  const attempt = async (index: number, what: string, job: () => Promise<void>) => {
    const result = results[index] as ServerResults
    if (result.error) return
    try {
      await job()
    } catch (error) {
      result.error = `${what}: ${error instanceof Error ? error.message : String(error)}`
      log(`  ${result.server.label} failed: ${result.error}`)
    }
  }
  // Every server is up (idle) while one at a time is measured, workload by workload.
  const servers = new Map<number, BenchServer>()
  try {
    for (const index of order) {
      const entry = plan.servers[index] as ComparePlan['servers'][number]
      const wanted =
        (wants('fan-out') && entry.fanOut.length > 0) ||
        (wants('cold') && entry.cold) ||
        (wants('drag') && entry.drag)
      if (!wanted) continue
      await attempt(index, 'start', async () => {
        const server = await startBenchServer(entry.kind, { roomGraceMs: 300 })
        pinProcess(server.pid, pinning.serverCore)
        servers.set(index, server)
        ;(current[index] as ServerRun).idleRssMB = sampleProcess(server.pid).rssBytes / 2 ** 20
      })
    }
    const each = async (
      wanted: (entry: ComparePlan['servers'][number]) => boolean,
      job: (server: BenchServer, run: ServerRun) => Promise<void>,
    ) => {
      for (const index of order) {
        const server = servers.get(index)
        const entry = plan.servers[index] as ComparePlan['servers'][number]
        if (server && wanted(entry)) {
          await attempt(index, 'workload', () => job(server, current[index] as ServerRun))
        }
      }
    }
    if (wants('fan-out')) {
      for (const count of plan.fanOut.clients) {
        await each(
          (entry) => entry.fanOut.includes(count),
          async (server, run) => {
            const fan = await probedFanOut(clients, probe, server, {
              clients: count,
              observers: observersFor(count),
              periodMs: 1_000,
              warmupMs: plan.fanOut.warmupMs,
              measureMs: plan.fanOut.measureMs,
            })
            run.fanOut.push(fan)
            log(
              `  fan-out ${count} ${server.label}: probe p99 ${fan.probe.p99.toFixed(1)} ms, observers p99 ${fan.p99.toFixed(1)} ms, server CPU ${fan.serverCpuPercent.toFixed(0)} %, missing ${fan.missing + fan.probe.missing}, late ${fan.late}`,
            )
            await sleep(400) // let the room unload
          },
        )
      }
    }
    if (wants('cold')) {
      await each(
        (entry) => entry.cold,
        async (server, run) => {
          const cold = await clients.run<ColdLoadResult>(server, {
            workload: 'cold',
            options: { shapes: plan.coldLoad.shapes, unloadWaitMs: 1_500 },
          })
          // The server's own load time and its steps are in its log, which this process reads.
          run.cold = { ...cold, ...reloadFromLog(server.logs(), cold.board) }
          const stepsOf = (all: Record<string, number> | null) => {
            const text = Object.entries(all ?? {})
              .filter(([, ms]) => ms >= 0.5)
              .map(([step, ms]) => `${step} ${ms}`)
              .join(', ')
            return text ? ` (${text})` : ''
          }
          const steps = stepsOf(run.cold.serverSteps)
          const stepsAgain = stepsOf(run.cold.serverStepsAgain)
          log(
            `  cold load ${server.label}: sync from store ${cold.reloadMs?.toFixed(0) ?? '–'} ms (answered at ${cold.reloadAnswerMs?.toFixed(0) ?? '–'}), server load ${run.cold.serverLoadMs ?? '–'} ms (CPU ${run.cold.serverLoadCpuMs ?? '–'} ms)${steps}, stored rows ${run.cold.storedRows ?? '–'}; later reload ${cold.againMs?.toFixed(0) ?? '–'} ms, server load ${run.cold.serverLoadAgainMs ?? '–'} ms (CPU ${run.cold.serverLoadAgainCpuMs ?? '–'} ms)${stepsAgain}`,
          )
        },
      )
    }
    if (wants('drag')) {
      await each(
        (entry) => entry.drag,
        async (server, run) => {
          run.drag = await clients.run<DragResult>(server, { workload: 'drag', options: plan.drag })
          log(`  drag ${server.label}: ${Math.round(run.drag.bytesPerSecondPerWatcher)} B/s`)
        },
      )
    }
  } finally {
    for (const server of servers.values()) await server.stop()
  }

  // Many boards and idle boards: a fresh process each, so RSS is not mixed with earlier work.
  for (const index of order) {
    const entry = plan.servers[index] as ComparePlan['servers'][number]
    const run = current[index] as ServerRun
    if (wants('many') && entry.many) {
      await attempt(index, 'many boards', () =>
        withServer(entry.kind, { roomGraceMs: 30_000 }, pinning, async (server) => {
          const many = await clients.run<LatencyResult & { rssBeforeMB: number }>(server, {
            workload: 'latency',
            options: {
              boards: plan.manyBoards.boards,
              perRoom: plan.manyBoards.perBoard,
              observers: plan.manyBoards.perBoard,
              periodMs: plan.manyBoards.periodMs,
              warmupMs: 1_000,
              measureMs: plan.manyBoards.measureMs,
            },
          })
          const rssPerBoardKB = ((many.serverRssMB - many.rssBeforeMB) * 1024) / many.boards
          run.many = { ...many, rssPerBoardKB }
          log(
            `  many boards ${server.label}: p99 ${many.p99.toFixed(1)} ms, ${rssPerBoardKB.toFixed(0)} KB/board`,
          )
        }),
      )
    }
    if (wants('idle') && entry.idle) {
      await attempt(index, 'idle boards', () =>
        withServer(
          entry.kind,
          { roomGraceMs: plan.idleBoards.graceMs },
          pinning,
          async (server) => {
            run.idle = await clients.run<IdleBoardsResult>(server, {
              workload: 'idle',
              options: { boards: plan.idleBoards.boards, settleMs: plan.idleBoards.settleMs },
            })
            log(
              `  ${plan.idleBoards.boards} idle boards ${server.label}: RSS ${run.idle.rssAfterMB.toFixed(0)} MB (${run.idle.rssPerBoardKB.toFixed(0)} KB/board)`,
            )
          },
        ),
      )
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** p99 against clients, one series per server. */
/** Median p99 against clients, one series per server. */
export function chartSeries(plan: ComparePlan, results: readonly ServerResults[]): Series[] {
  return results
    .map((r) => ({
      label: r.server.label,
      points: plan.fanOut.clients.flatMap((clients) => {
        const p99 = spread(
          r.runs.map(
            (run) => run.fanOut.find((f) => f.clients === clients)?.probe.p99 ?? Number.NaN,
          ),
        )
        return p99 ? [{ x: clients, y: p99.median }] : []
      }),
    }))
    .filter((series) => series.points.length > 1)
}

interface Metric {
  suite: string
  metric: string
  unit: string
  /** Lower is better (latency, bytes) unless false. */
  lowerIsBetter: boolean
  pick(r: ServerRun): number | undefined
  note?: string
}

/** The cold load's steps in the table: the store read, decoding, and everything else. */
const COLD_STEPS: { metric: string; steps: ((step: string) => boolean) | string }[] = [
  { metric: 'load: store read', steps: 'read' },
  { metric: 'load: decode', steps: 'decode' },
  { metric: 'load: rest', steps: (step) => step !== 'read' && step !== 'decode' },
]

/** The ms of a cold load's steps (ours only; undefined when the log line had none). */
function coldSteps(r: ServerRun, steps: ((step: string) => boolean) | string): number | undefined {
  const all = r.cold?.serverSteps
  if (!all) return undefined
  const wanted = typeof steps === 'string' ? (step: string) => step === steps : steps
  let ms = 0
  for (const [step, value] of Object.entries(all)) if (wanted(step)) ms += value
  return ms
}

function metrics(plan: ComparePlan): Metric[] {
  const list: Metric[] = []
  for (const clients of plan.fanOut.clients) {
    const fan = (r: ServerRun) => r.fanOut.find((f) => f.clients === clients)
    const suite = `fan-out ${clients}`
    list.push(
      // The probe's deliveries: the server's latency (see latencyProbe.ts).
      { suite, metric: 'p50', unit: 'ms', lowerIsBetter: true, pick: (r) => fan(r)?.probe.p50 },
      { suite, metric: 'p95', unit: 'ms', lowerIsBetter: true, pick: (r) => fan(r)?.probe.p95 },
      {
        suite,
        metric: 'p99',
        unit: 'ms',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.probe.p99,
        note: 'timed by the probe process (latencyProbe.ts); "observers p99": inside the load process, its own GC pauses included',
      },
      {
        suite,
        metric: 'observers p50',
        unit: 'ms',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.p50,
      },
      {
        suite,
        metric: 'observers p99',
        unit: 'ms',
        lowerIsBetter: true,
        pick: (r) => fan(r)?.p99,
      },
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
          return f ? f.missing + f.late + f.probe.missing + f.probe.late : undefined
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
        metric: 'CPU/1k deliveries',
        unit: 'ms',
        lowerIsBetter: true,
        // The server's work per delivery: steadier than latency on a busy machine.
        pick: (r) => {
          const f = fan(r)
          return f ? (f.serverCpuPercent * 10 * 1000) / f.deliveriesPerSecond : undefined
        },
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
      suite: `idle ${plan.idleBoards.boards}`,
      metric: 'server RSS',
      unit: 'MB',
      lowerIsBetter: true,
      pick: (r) => r.idle?.rssAfterMB,
      note: 'each board opened by one client that left; ours keeps it loaded (grace period)',
    },
    {
      suite: `idle ${plan.idleBoards.boards}`,
      metric: 'RSS/board',
      unit: 'KB',
      lowerIsBetter: true,
      pick: (r) => r.idle?.rssPerBoardKB,
    },
    {
      suite: `idle ${plan.idleBoards.boards}`,
      metric: 'open p50',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.idle?.openP50,
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
      metric: 'answer, from store',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.reloadAnswerMs ?? undefined,
      note: 'connect → the sync step 2 arrived, before the client applies it',
    },
    {
      suite: 'cold 5000',
      metric: 'server load',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.serverLoadMs ?? undefined,
      note: 'ours: the "room loaded" log line of the reload; its steps below',
    },
    {
      suite: 'cold 5000',
      metric: 'server load CPU',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.serverLoadCpuMs ?? undefined,
      note: 'ours: the process CPU time during the reload (steadier than wall time under load)',
    },
    ...COLD_STEPS.map(
      ({ metric, steps }): Metric => ({
        suite: 'cold 5000',
        metric,
        unit: 'ms',
        lowerIsBetter: true,
        pick: (r) => coldSteps(r, steps),
      }),
    ),
    {
      suite: 'cold 5000',
      metric: 'sync, from store, later reload',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.againMs ?? undefined,
      note: 'the board unloaded and read back once more, in a process that has loaded it before',
    },
    {
      suite: 'cold 5000',
      metric: 'server load, later reload',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.serverLoadAgainMs ?? undefined,
    },
    {
      suite: 'cold 5000',
      metric: 'server load CPU, later reload',
      unit: 'ms',
      lowerIsBetter: true,
      pick: (r) => r.cold?.serverLoadAgainCpuMs ?? undefined,
    },
    {
      suite: 'cold 5000',
      metric: 'stored rows',
      unit: '',
      lowerIsBetter: true,
      pick: (r) => r.cold?.storedRows ?? undefined,
      note: 'ours: snapshot + log rows read to load the board',
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

const spreadOf = (metric: Metric, r: ServerResults) =>
  spread(r.runs.map((run) => metric.pick(run) ?? Number.NaN))

/**
 * `median (min–max)` per server, and for the others `×ratio`: their median ÷ ours, from the
 * same runs.
 */
export function comparisonTable(plan: ComparePlan, results: readonly ServerResults[]): string[][] {
  const ours = results.find((r) => r.server.kind === 'ours')
  const header = ['suite', 'metric', 'unit', ...results.map((r) => r.server.label)]
  const rows: string[][] = [header]
  for (const metric of metrics(plan)) {
    const base = ours ? spreadOf(metric, ours)?.median : undefined
    const cells = results.map((r) => {
      const value = spreadOf(metric, r)
      if (!value) return '–'
      const range = value.runs > 1 ? ` (${format(value.min)}–${format(value.max)})` : ''
      const text = `${format(value.median)}${range}`
      if (r === ours || base === undefined || !Number.isFinite(base) || base === 0) return text
      return `${text} ×${(value.median / base).toFixed(2)}`
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

/**
 * The comparison as flat measurement rows (one per server and metric) for the JSON: the median
 * as the value, with min, max, the number of runs, the load averages the runs began at, and the
 * ratio theirs ÷ ours.
 */
export function comparisonMeasurements(
  plan: ComparePlan,
  results: readonly ServerResults[],
): Measurement[] {
  const ours = results.find((r) => r.server.kind === 'ours')
  const rows: Measurement[] = []
  for (const metric of metrics(plan)) {
    const base = ours ? spreadOf(metric, ours)?.median : undefined
    for (const r of results) {
      const value = spreadOf(metric, r)
      if (!value) continue
      const ratio = base && Number.isFinite(base) ? value.median / base : undefined
      const loads = r.runs.map((run) => run.loadAverage)
      rows.push({
        suite: `${metric.suite} · ${r.server.label}`,
        metric: metric.metric,
        value: value.median,
        unit: metric.unit,
        min: value.min,
        max: value.max,
        runs: value.runs,
        loadAverage: [Math.min(...loads), Math.max(...loads)],
        ...(ratio !== undefined && r !== ours ? { ratioToOurs: ratio } : {}),
        ...(metric.note ? { note: metric.note } : {}),
      })
    }
  }
  return rows
}
