/**
 * Fan-out latency as the server makes it, not as the bench's own clients suffer it.
 *
 * Before the probe, at 200 clients one client process received 40,000 messages a second and
 * applied 4,000; its garbage collector paused it for 4–13 ms several times a second, and every
 * delivery that landed in a pause counted the pause as latency. Watched side by side
 * (PerformanceObserver 'gc' and event-loop stalls in every process), nearly all samples above
 * the observers' p99 fell in such a pause of the client process, for every server alike: the
 * p99 measured the bench.
 *
 * So some of the board's clients (`PROBE_CLIENTS`, a quarter at 200, at most half; spread over
 * the stagger and over the server's connection order like the others: `SharedSchedule`)
 * run in a second, nearly idle process, raised to real-time priority where the machine allows
 * (`chrt`), on the clients' core. They write like every other client, but a write also carries a
 * tag (`meta.probe`, `cgprobe:<client>:<n>;`), and they do not apply what they receive: each
 * message's raw bytes are searched for tags, so a delivery is timed the moment it is read.
 * Writer and reader are in the same process: one clock. The server's work is unchanged: the
 * load process runs every other client exactly as before.
 */

import { percentile } from '../report.ts'
import { BenchClient } from './client.ts'
import type { ClientProcess } from './clientProcess.ts'
import type { BenchServer } from './servers.ts'
import {
  type LatencyResult,
  newRoom,
  noteRecord,
  openInOrder,
  type SharedSchedule,
  scheduleNow,
  staggered,
  waitUntil,
} from './workloads.ts'

/** Clients of a board that the probe process runs. */
export const PROBE_CLIENTS = 50

const TAG = Buffer.from('cgprobe:')
const END = ';'.charCodeAt(0)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()

export interface ProbeResult {
  p50: number
  p95: number
  p99: number
  max: number
  /** Writes the probe's clients made in the measured window (each one a delivery to everyone). */
  written: number
  /** Deliveries timed, and those expected (every probe write reaching every other probe client). */
  received: number
  expected: number
  missing: number
  /** Deliveries that took over a second (counted in the latencies too). */
  late: number
}

export interface ProbeOptions {
  room: string
  /** The board's client indexes this process runs; the load process runs the rest. */
  indexes: readonly number[]
  /** Clients on the board in all (the stagger's denominator). */
  perRoom: number
  periodMs: number
  schedule: SharedSchedule
  warmupMs: number
  measureMs: number
}

/** The client tags of a message: every `cgprobe:<client>:<n>;` in its bytes. */
export function tagsIn(data: Uint8Array): string[] {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const tags: string[] = []
  let at = bytes.indexOf(TAG)
  while (at >= 0) {
    const end = bytes.indexOf(END, at + TAG.length)
    if (end < 0) break
    tags.push(bytes.toString('latin1', at + TAG.length, end))
    at = bytes.indexOf(TAG, end)
  }
  return tags
}

/** The probe process's side: its clients write on the shared schedule and time deliveries. */
export async function probeLatency(
  server: BenchServer,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const sentAt = new Map<string, number>()
  const timed = new Set<string>()
  const latencies: number[] = []
  let windowStart = Number.POSITIVE_INFINITY
  let windowEnd = Number.POSITIVE_INFINITY
  const opened = openInOrder(options.indexes, options.schedule, (index) => {
    const onMessage = (data: Buffer, arrived: number) => {
      const at = performance.timeOrigin + arrived
      for (const tag of tagsIn(data)) {
        if (tag.startsWith(`${index}:`)) continue // an echo of its own write
        const sent = sentAt.get(tag)
        const key = `${index}|${tag}`
        if (sent === undefined || timed.has(key)) continue
        timed.add(key)
        latencies.push(at - sent)
      }
    }
    return new BenchClient(server.wsUrl, options.room, server.dialect, {
      observe: false,
      onMessage,
    })
  })
  const timers: NodeJS.Timeout[] = []
  let written = 0
  let clients = new Map<number, BenchClient>()
  try {
    clients = await opened
    await waitUntil(options.schedule.startAt, 'the probe connected')
    for (const [index, client] of clients) {
      let n = 0
      const write = () => {
        const tag = `${index}:${n++}`
        const stamp = now()
        if (stamp >= windowStart && stamp < windowEnd) {
          sentAt.set(tag, stamp)
          written++
        }
        const record = noteRecord(index, stamp, 0, `cgprobe:${tag};`)
        client.doc.transact(() => client.board.records.set(`shape:bench${index}`, record), 'local')
      }
      staggered(
        timers,
        {
          index,
          count: options.perRoom,
          periodMs: options.periodMs,
          startAt: options.schedule.startAt,
        },
        write,
      )
    }
    // The window in this process's own clock, which times the deliveries.
    windowStart = options.schedule.startAt + options.warmupMs - scheduleNow() + now()
    windowEnd = windowStart + options.measureMs
    await sleep(windowEnd - now())
    for (const timer of timers) clearTimeout(timer)
    const expected = written * (clients.size - 1)
    const drainUntil = Date.now() + 3_000
    while (latencies.length < expected && Date.now() < drainUntil) await sleep(50)
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      written,
      received: latencies.length,
      expected,
      missing: Math.max(0, expected - latencies.length),
      late: latencies.filter((ms) => ms > 1000).length,
    }
  } finally {
    for (const timer of timers) clearTimeout(timer)
    for (const client of clients.values()) client.close()
  }
}

export type ProbedFanOut = LatencyResult & {
  observersPerBoard: number
  clientCpuPercent: number
  /** Deliveries as the probe process timed them (see the top of this file). */
  probe: ProbeResult & { clients: number; realtime: boolean }
}

/**
 * One fan-out run: `clients` on one new board, `PROBE_CLIENTS` of them in `probe`'s process,
 * the rest in `load`'s; both start writing at the same agreed moment.
 */
export async function probedFanOut(
  load: ClientProcess,
  probe: ClientProcess,
  server: BenchServer,
  options: {
    clients: number
    observers: number
    periodMs: number
    warmupMs: number
    measureMs: number
  },
): Promise<ProbedFanOut> {
  const room = await newRoom(server, 'bench')
  const probeClients = Math.min(PROBE_CLIENTS, Math.floor(options.clients / 2))
  // Spread over the stagger, between the load's observers (which `isObserver` puts last in
  // each stretch), so the load keeps its own.
  const indexes = [...Array(probeClients).keys()].map((k) =>
    Math.floor((k * options.clients) / probeClients),
  )
  // Every client connects in index order, 4 ms apart, then a second to settle before writing.
  const connectFrom = scheduleNow() + 500
  const connectPaceMs = 4
  const schedule: SharedSchedule = {
    connectFrom,
    connectPaceMs,
    startAt: connectFrom + options.clients * connectPaceMs + 1_000,
  }
  // Settled, not `Promise.all`: when one side fails, the other finishes its run before the
  // next workload starts in the same processes.
  const [loadOutcome, probeOutcome] = await Promise.allSettled([
    load.run<LatencyResult & { observersPerBoard: number }>(server, {
      workload: 'latency',
      options: {
        boards: 1,
        perRoom: options.clients,
        // The load's observers are other clients than the probe's.
        observers: options.observers,
        periodMs: options.periodMs,
        warmupMs: options.warmupMs,
        measureMs: options.measureMs,
        rooms: [room],
        elsewhere: indexes,
        schedule,
      },
    }),
    probe.run<ProbeResult>(server, {
      workload: 'probe',
      options: {
        room,
        indexes,
        perRoom: options.clients,
        periodMs: options.periodMs,
        schedule,
        warmupMs: options.warmupMs,
        measureMs: options.measureMs,
      },
    }),
  ])
  if (loadOutcome.status === 'rejected') throw loadOutcome.reason
  if (probeOutcome.status === 'rejected') throw probeOutcome.reason
  const loaded = loadOutcome.value
  // The probe process's own CPU is left out: the load's is the clients' figure.
  const { clientCpuPercent: _, ...probeResult } = probeOutcome.value
  // The server delivered the probe's writes too: to every other client of the board.
  const probeDeliveries = (probeResult.written * (options.clients - 1)) / (options.measureMs / 1000)
  return {
    ...loaded,
    deliveriesPerSecond: loaded.deliveriesPerSecond + probeDeliveries,
    probe: { ...probeResult, clients: indexes.length, realtime: probe.realtime },
  }
}

/** Whether the comparison's probe ran at real-time priority; null when no fan-out ran. */
export function probeRealtime(
  results: readonly { runs: readonly { fanOut: readonly ProbedFanOut[] }[] }[],
): boolean | null {
  const probes = results.flatMap((r) => r.runs.flatMap((run) => run.fanOut.map((f) => f.probe)))
  return probes.length === 0 ? null : probes.every((probe) => probe.realtime)
}
