/**
 * `pnpm bench` (`--quick` for a shorter run): measures, prints a table, writes JSON under
 * test/bench/results/ (and an SVG chart beside it). Numbers live here, never as timed
 * assertions in the test suite. Each part can be left out: `--skip-plan`, `--skip-export`,
 * `--skip-calendar`, `--skip-review`, `--skip-commit`, `--skip-cluster`, `--skip-hostile`,
 * `--skip-vote`, `--skip-browser`, `--skip-big`, `--skip-progress`, `--skip-room`,
 * `--skip-offline`, `--skip-image`, `--skip-storm`, `--skip-churn`, `--skip-compare`; or
 * `--only=compare,big,…` runs just the parts named (the same names). The server comparison takes
 * `--runs=N` (5 by default) and `--compare=fan-out,many,idle,cold,drag` (all by default).
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withServer } from '../support/server.ts'
import { bigBoardBench } from './bigBoard.ts'
import { boardImageBench } from './boardImage.ts'
import { browserLiveBoard } from './browserLiveBoard.ts'
import { bundleSize } from './bundleSize.ts'
import { calendarFeedBench } from './calendarFeed.ts'
import { churnBench } from './churn.ts'
import { clusterBench } from './cluster.ts'
import { commitLatencyBench } from './commitLatency.ts'
import { latencyChartSvg } from './compare/chart.ts'
import {
  chartSeries,
  comparePlan,
  comparisonMeasurements,
  comparisonTable,
  printGrid,
  runComparison,
  type ServerResults,
  WORKLOADS,
  type Workload,
} from './compare/compare.ts'
import { PROBE_CLIENTS, probeRealtime } from './compare/latencyProbe.ts'
import { choosePinning } from './compare/pinning.ts'
import { derivePlanBench, livePlanBench } from './derivePlan.ts'
import { exportPlanBench } from './exportPlan.ts'
import { hostileFramesBench } from './hostileFrames.ts'
import { offlineRecovery } from './offlineRecovery.ts'
import { placementBurst } from './placementBurst.ts'
import { progressViewBench } from './progressView.ts'
import { reconnectStorm } from './reconnectStorm.ts'
import { type Measurement, printTable, writeResults } from './report.ts'
import { roomBench } from './room.ts'
import { sortingBench } from './sorting.ts'
import { voteBurst } from './voteBurst.ts'
import { writeReviewBench } from './writeReview.ts'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
const option = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const only = option('only')?.split(',')
/** Whether a part runs: named by `--only=…`, or not left out by `--skip-<part>`. */
const runs = (part: string) =>
  only ? only.includes(part) : !process.argv.includes(`--skip-${part}`)
const skipBrowser = !runs('browser') && !(only?.includes('big') ?? false)
const skipCompare = !runs('compare')
const started = performance.now()
const rows: Measurement[] = []

// derivePlan on a 2,000-shape board (in-process, a few seconds). `--skip-plan` leaves it out.
if (runs('plan')) {
  const planRows = [...derivePlanBench(quick), ...(await livePlanBench(quick))]
  printTable(planRows)
  rows.push(...planRows)
}

// Themes and merges: the review of a merge, carrying dots, fair order. `--skip-sorting`.
if (!process.argv.includes('--skip-sorting')) {
  const sortingRows = sortingBench(quick)
  printTable(sortingRows)
  rows.push(...sortingRows)
}

// Exporting a 15-organization, 40-issue, 300-step plan: each format in process and over HTTP.
if (runs('export')) {
  const exportRows = await exportPlanBench(quick)
  printTable(exportRows)
  rows.push(...exportRows)
}

// The calendar feed of the same 300-step plan: in process and over HTTP. `--skip-calendar`.
if (runs('calendar')) {
  const calendarRows = await calendarFeedBench(quick)
  printTable(calendarRows)
  rows.push(...calendarRows)
}

// What judging every write costs the server, in process. `--skip-review` leaves it out.
if (runs('review')) {
  const reviewRows = await writeReviewBench(quick)
  printTable(reviewRows)
  rows.push(...reviewRows)
}

// Commit latency per turn, PostgreSQL against SQLite, in process. `--skip-commit` leaves it out.
if (runs('commit')) {
  const commitRows = await commitLatencyBench(quick)
  printTable(commitRows)
  rows.push(...commitRows)
}

// Cluster mode: delivery across processes, updates/s with 1, 2, 3 processes, failover after
// kill -9 of a board's owner (real processes on PostgreSQL and Redis). `--skip-cluster`.
if (runs('cluster')) {
  const clusterRows = await clusterBench(quick)
  printTable(clusterRows)
  rows.push(...clusterRows)
}

// Refusing 1 MiB hostile frames, a 200-record delete from a view link, 40,000 plan deletions in
// one update: time in `receive` and bytes sent and stored, in process. `--skip-hostile`.
if (runs('hostile')) {
  const hostileRows = await hostileFramesBench(quick)
  printTable(hostileRows)
  rows.push(...hostileRows)
}

// 60 Node clients casting dots within 10 s (3 s with --quick), then the reveal; `--skip-vote`.
if (runs('vote')) {
  const voteRows = await voteBurst(quick)
  printTable(voteRows)
  rows.push(...voteRows)
}

// 60 Node clients placing 12 issues each within 10 s, then the reveal; `--skip-placement`.
if (!process.argv.includes('--skip-placement')) {
  const placementRows = await placementBurst(quick)
  printTable(placementRows)
  rows.push(...placementRows)
}

if (!skipBrowser) {
  if (runs('bundle')) rows.push(...bundleSize(join(here, '../../client/dist')))
  await withServer(async (server) => {
    if (runs('live')) rows.push(...(await browserLiveBoard(server, quick)))
    // 2,000 notes: time to interactive and frame times while panning; `--skip-big`.
    if (runs('big')) rows.push(...(await bigBoardBench(server, quick)))
    // The Progress view of a 300-step plan on a phone: time to interactive; `--skip-progress`.
    if (runs('progress')) {
      rows.push(...(await progressViewBench(server, quick)))
    }
    // Follow delay and timer skew across a 5-minute clock difference; `--skip-room` leaves it out.
    if (runs('room')) rows.push(...(await roomBench(server, quick)))
    // 200 edits made offline in one page, until the other holds them; `--skip-offline`.
    if (runs('offline')) {
      rows.push(...(await offlineRecovery(server, quick)))
    }
    // The retreat board with 150 notes exported as PNG: time, bytes, pixels; `--skip-image`.
    if (runs('image')) {
      rows.push(...(await boardImageBench(server, quick)))
    }
  })
  printTable(rows)
}

// 200 clients reconnecting after kill -9, with and without our jitter; `--skip-storm`.
if (runs('storm')) {
  const stormRows = await reconnectStorm(quick)
  printTable(stormRows)
  rows.push(...stormRows)
}

// Churn (join, edit, leave, reconnect): 40 s quick, 10 min full. `--skip-churn` leaves it out.
if (runs('churn')) {
  const churnRows = await churnBench(quick)
  printTable(churnRows)
  rows.push(...churnRows)
}

const workloads = option('compare')?.split(',') as Workload[] | undefined
const unknown = workloads?.filter((name) => !WORKLOADS.includes(name))
if (unknown && unknown.length > 0) throw new Error(`unknown workloads: ${unknown.join(', ')}`)
const plan = comparePlan(quick, Number(option('runs') ?? 5), workloads)
const pinning = choosePinning()
let comparison: ServerResults[] = []
if (!skipCompare) {
  const load = loadavg()[0] ?? 0
  console.log(
    `\ncomparing servers (${quick ? 'quick' : 'full'} run, ${plan.runs} runs, load average ${load.toFixed(2)}; ${pinning.note})…`,
  )
  if (load > 1) console.log('  note: the machine is busy; latencies will be noisy')
  comparison = await runComparison(plan, pinning)
  const loads = comparison.flatMap((r) => r.runs.map((run) => run.loadAverage))
  const realtime = probeRealtime(comparison)
  const probe =
    realtime === null
      ? ''
      : `, p50–p99 timed by a probe process of up to ${PROBE_CLIENTS} of the clients (${realtime ? 'real-time priority' : 'normal priority: chrt refused'}), "observers" inside the load process`
  console.log(
    `\nserver comparison — median (min–max) of ${plan.runs} runs, ×theirs ÷ ours; ${pinning.note}; ` +
      `load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}; fan-out: ` +
      `1 edit/s per client${probe}; many boards: 1 edit per 2 s per client`,
  )
  printGrid(comparisonTable(plan, comparison))
  rows.push(...comparisonMeasurements(plan, comparison))
}

const seconds = (performance.now() - started) / 1000
const file = writeResults(
  rows,
  join(here, 'results'),
  { quick, skipBrowser, skipCompare, seconds, loadAverage: loadavg(), only },
  {
    comparison: { plan, pinning, servers: comparison },
  },
)
console.log(`\nwritten: ${file}`)
if (comparison.length > 0) {
  const chart = file.replace(/\.json$/, '.svg')
  writeFileSync(chart, latencyChartSvg(chartSeries(plan, comparison)))
  console.log(`chart:   ${chart}`)
}
console.log(`took ${seconds.toFixed(0)} s`)
