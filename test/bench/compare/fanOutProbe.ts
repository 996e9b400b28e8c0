/**
 * Where ours's fan-out tail comes from: `ours` (SQLite), `ours (no review)` (SQLite) and `ours
 * (memory)` (or the servers named by `--kinds=`, e.g. `ours,hocuspocus`) take turns on the fan-out
 * workload at one client count, pinned and probed as in the comparison (latencyProbe.ts), and
 * ours's own counters are read from /metrics around each run: commits and updates per commit
 * (group commit), messages sent per update received, commit time (mean, and the share of commits
 * over 2.5 and 5 ms), and the event loop's lag (prom-client's monitorEventLoopDelay, a 10 ms
 * timer, less those 10 ms; reset by each read: the run's own).
 * Not part of `pnpm bench`: `node bench/compare/fanOutProbe.ts [--clients=200] [--runs=3]
 * [--kinds=ours,hocuspocus]` from `test/`.
 */
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startClientProcess } from './clientProcess.ts'
import { observersFor } from './compare.ts'
import { probedFanOut } from './latencyProbe.ts'
import { choosePinning, pinProcess } from './pinning.ts'
import {
  type BenchServer,
  isServerKind,
  SERVER_KINDS,
  type ServerKind,
  startBenchServer,
} from './servers.ts'

const arg = (name: string, fallback: number) =>
  Number(
    process.argv.find((each) => each.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback,
  )

async function counters(server: BenchServer): Promise<Map<string, number>> {
  const text = await (await fetch(new URL('/metrics', server.wsUrl.replace(/^ws/, 'http')))).text()
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
    if (match?.[1]) values.set(match[1] + (match[2] ?? ''), Number(match[3]))
  }
  return values
}

export async function fanOutProbe(
  clients: number,
  runs: number,
  kinds: readonly ServerKind[],
): Promise<void> {
  const pinning = choosePinning()
  const load = await startClientProcess(pinning.clientCore)
  const probe = await startClientProcess(pinning.clientCore, { realtime: true })
  console.log(
    `${pinning.note}; probe process ${probe.realtime ? 'real-time (chrt)' : 'normal priority'}`,
  )
  const servers: BenchServer[] = []
  try {
    for (const kind of kinds) {
      const server = await startBenchServer(kind, { roomGraceMs: 300 })
      pinProcess(server.pid, pinning.serverCore)
      servers.push(server)
    }
    for (let run = 1; run <= runs; run++) {
      for (const server of run % 2 ? servers : [...servers].reverse()) {
        const ours = server.dialect === 'ours'
        const before = ours ? await counters(server) : new Map<string, number>()
        const fan = await probedFanOut(load, probe, server, {
          clients,
          observers: observersFor(clients),
          periodMs: 1_000,
          warmupMs: 2_000,
          measureMs: 8_000,
        })
        const after = ours ? await counters(server) : new Map<string, number>()
        const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0)
        const ms = (seconds: number) => (seconds * 1000).toFixed(1)
        // The monitor times a 10 ms timer: what it reports past those 10 ms is the lag.
        const lag = (stat: string) =>
          ms(Math.max(0, (after.get(`nodejs_eventloop_lag_${stat}_seconds`) ?? 0) - 0.01))
        const commits = delta('cg_commit_duration_seconds_count')
        // The share of commits slower than a histogram bucket's bound (`le` is cumulative).
        const over = (le: string) =>
          ((1 - delta(`cg_commit_duration_seconds_bucket{le="${le}"}`) / commits) * 100).toFixed(1)
        const updates = delta('cg_updates_received_total')
        // Only ours has these counters (its /metrics).
        const ownCounters = ours
          ? `; commits ${commits}, updates/commit ${(updates / commits).toFixed(1)}, ` +
            `messages sent/update ${(delta('cg_messages_sent_total') / updates).toFixed(1)}, ` +
            `commit mean ${ms(delta('cg_commit_duration_seconds_sum') / commits)} ms, ` +
            `over 2.5 ms ${over('0.0025')} %, over 5 ms ${over('0.005')} %; event loop ` +
            `lag p50 ${lag('p50')} p99 ${lag('p99')} max ${lag('max')} ms`
          : ''
        console.log(
          `run ${run} (load ${loadavg()[0]?.toFixed(2)}) ${server.label}: probe p50 ` +
            `${fan.probe.p50.toFixed(1)} p99 ${fan.probe.p99.toFixed(1)} ms (${fan.probe.received} ` +
            `of ${fan.probe.expected}); observers p50 ${fan.p50.toFixed(1)} ` +
            `p99 ${fan.p99.toFixed(1)} ms, server CPU ${fan.serverCpuPercent.toFixed(0)} %, ` +
            `client CPU ${fan.clientCpuPercent.toFixed(0)} %${ownCounters}`,
        )
        await new Promise((resolve) => setTimeout(resolve, 400))
      }
    }
  } finally {
    for (const server of servers) await server.stop()
    await load.stop()
    await probe.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const named = process.argv
    .find((each) => each.startsWith('--kinds='))
    ?.slice('--kinds='.length)
    .split(',')
  const kinds = named ?? ['ours', 'ours-unreviewed', 'ours-memory']
  const unknown = kinds.filter((kind) => !isServerKind(kind))
  if (unknown.length > 0) {
    console.error(`unknown --kinds: ${unknown.join(', ')} (known: ${SERVER_KINDS.join(', ')})`)
    process.exit(2)
  }
  await fanOutProbe(arg('clients', 200), arg('runs', 3), kinds.filter(isServerKind))
}
