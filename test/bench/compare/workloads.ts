/**
 * The comparison workloads of issue 8, each run against one server. Every loop is bounded in
 * count and time; every client is closed before a workload returns (also when it throws).
 */

import type { BoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { percentile } from '../report.ts'
import { BenchClient } from './client.ts'
import { cpuPercent, sampleProcess } from './procStats.ts'
import type { BenchServer } from './servers.ts'

/** A tldraw record as the board layout stores it. */
type TLRecord = Parameters<BoardDoc['records']['set']>[1]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Latencies are timed within one process, with its high-resolution clock. */
const now = () => performance.timeOrigin + performance.now()
/**
 * The clock of a schedule two processes share (`SharedSchedule`): each process's high-resolution
 * clock starts from the wall clock of its own start and drifts from the others' over a long run.
 */
export const scheduleNow = (): number => Date.now()

/** A board id every server accepts (ours wants `[A-Za-z0-9_-]{8,64}`). */
export function roomName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * A board to run a workload on. The others take any name; ours makes boards through its API
 * only and wants a key: there the room is the new board's id with its facilitate key as the
 * query (`BenchClient` appends it to `/sync/`).
 */
export async function newRoom(server: BenchServer, prefix: string): Promise<string> {
  if (server.dialect !== 'ours') return roomName(prefix)
  const response = await fetch(`${server.wsUrl.replace(/^ws/, 'http')}/api/boards`, {
    method: 'POST',
  })
  if (response.status !== 201) throw new Error(`creating a board answered ${response.status}`)
  const { id, tokens } = (await response.json()) as { id: string; tokens: { facilitate: string } }
  return `${id}?token=${tokens.facilitate}`
}

/**
 * A schema-valid tldraw note (our server refuses records tldraw would not accept, so every server
 * gets the same real record); `meta.sentAt` carries the writer's stamp, `meta.probe` the latency
 * probe's tag (latencyProbe.ts).
 */
export function noteRecord(index: number, sentAt = 0, x = 0, probe?: string): TLRecord {
  const base = note(`bench${index}`, `Note ${index}`, {
    x: x || (index % 50) * 220,
    y: Math.floor(index / 50) * 220,
  })
  return { ...base, meta: probe === undefined ? { sentAt } : { sentAt, probe } } as TLRecord
}

/** Opens `count` clients on `room`, `batch` at a time, each synced before the next batch. */
async function connectMany(
  server: BenchServer,
  rooms: readonly string[],
  perRoom: number,
  clients: (BenchClient | null)[],
  observers = Number.POSITIVE_INFINITY,
  batch = 50,
): Promise<void> {
  const wanted: string[] = []
  for (const room of rooms) for (let i = 0; i < perRoom; i++) wanted.push(room)
  for (let start = 0; start < wanted.length; start += batch) {
    const opened = wanted.slice(start, start + batch).map((room, offset) => {
      const observe = isObserver(start + offset, perRoom, observers)
      return new BenchClient(server.wsUrl, room, server.dialect, { observe })
    })
    clients.push(...opened)
    await Promise.all(opened.map((client) => client.synced))
  }
}

/**
 * When two processes share one board: client `index` connects at `connectFrom + index ×
 * connectPaceMs` (epoch ms), so the server holds the clients of both in index order (servers
 * send to their connections in that order, and the probe's clients are spread through it like
 * their indexes); everyone writes from `startAt`.
 */
export interface SharedSchedule {
  connectFrom: number
  connectPaceMs: number
  startAt: number
}

/** Opens the clients `indexes` at their times of `schedule`; resolves once all are synced. */
export async function openInOrder<C extends BenchClient>(
  indexes: readonly number[],
  schedule: SharedSchedule,
  open: (index: number) => C,
): Promise<Map<number, C>> {
  const opened = new Map<number, C>()
  // Settled, not `Promise.all`: after a failure, the clients still waiting for their time must
  // open and be closed here too, not later, in a process that goes on to the next workload.
  const outcomes = await Promise.allSettled(
    indexes.map(async (index) => {
      await sleep(schedule.connectFrom + index * schedule.connectPaceMs - scheduleNow())
      const client = open(index)
      opened.set(index, client)
      await client.synced
    }),
  )
  const failed = outcomes.find((outcome) => outcome.status === 'rejected')
  if (failed) {
    closeAll([...opened.values()])
    throw failed.reason
  }
  return opened
}

/** Client `index` (over all rooms) applies and measures: `observers` per room, spread evenly. */
export function isObserver(index: number, perRoom: number, observers: number): boolean {
  if (observers >= perRoom) return true
  const position = index % perRoom
  return (
    Math.floor(((position + 1) * observers) / perRoom) >
    Math.floor((position * observers) / perRoom)
  )
}

function closeAll(clients: readonly (BenchClient | null)[]): void {
  for (const client of clients) client?.close()
}

export interface LatencyResult {
  clients: number
  boards: number
  p50: number
  p95: number
  p99: number
  max: number
  deliveriesPerSecond: number
  expected: number
  received: number
  missing: number
  late: number
  serverCpuPercent: number
  serverRssMB: number
  /** Messages (frames) and bytes each client received per second, on average. */
  messagesPerClientPerSecond: number
  bytesPerClientPerSecond: number
}

/**
 * `perRoom` clients on each of `rooms.length` boards; every client sets its own note once per
 * `periodMs` (staggered), stamped with the send time; every other client of the board records
 * the time to receipt. Sends in the warm-up are not counted.
 */
export async function editLatency(
  server: BenchServer,
  options: {
    boards: number
    perRoom: number
    /** Clients per board that apply and measure (the others write and only count bytes). */
    observers: number
    periodMs: number
    warmupMs: number
    measureMs: number
    /** Boards made beforehand (one per board), e.g. when another process joins them too. */
    rooms?: readonly string[]
    /** Client indexes another process runs (the latency probe): not opened here. */
    elsewhere?: readonly number[]
    /** When clients connect and start writing, agreed with that other process (one board). */
    schedule?: SharedSchedule
  },
): Promise<LatencyResult & { rssBeforeMB: number; observersPerBoard: number }> {
  const rooms: string[] = [...(options.rooms ?? [])]
  while (rooms.length < options.boards) rooms.push(await newRoom(server, 'bench'))
  const elsewhere = new Set(options.elsewhere)
  const clients: (BenchClient | null)[] = []
  const timers: NodeJS.Timeout[] = []
  const rssBefore = sampleProcess(server.pid).rssBytes
  try {
    const { schedule } = options
    if (schedule) {
      const room = rooms[0] as string
      if (rooms.length !== 1) throw new Error('a shared schedule is for one board')
      const local = [...Array(options.perRoom).keys()].filter((index) => !elsewhere.has(index))
      const opened = await openInOrder(local, schedule, (index) => {
        const observe = isObserver(index, options.perRoom, options.observers)
        return new BenchClient(server.wsUrl, room, server.dialect, { observe })
      })
      for (let index = 0; index < options.perRoom; index++) clients.push(opened.get(index) ?? null)
    } else {
      await connectMany(server, rooms, options.perRoom, clients, options.observers)
    }
    await waitUntil(schedule?.startAt ?? scheduleNow() + 300, 'the clients connected')
    const startAt = schedule?.startAt ?? scheduleNow() // the probe staggers from the same moment
    const latencies: number[] = []
    const sentByRoom = rooms.map(() => 0)
    const sentByClient = clients.map(() => 0)
    let measuring = false
    let windowStart = Number.POSITIVE_INFINITY
    let windowEnd = Number.POSITIVE_INFINITY
    for (const [index, client] of clients.entries()) {
      if (!client) continue
      const roomIndex = Math.floor(index / options.perRoom)
      const observer = isObserver(index, options.perRoom, options.observers)
      if (observer)
        client.board.records.on(
          'change',
          (changes: Map<string, { newValue?: TLRecord }>, transaction: { origin: unknown }) => {
            if (transaction.origin !== client) return // own writes
            const received = now()
            for (const [, change] of changes) {
              const meta = change.newValue?.meta as { sentAt?: number; probe?: string } | undefined
              const sentAt = meta?.probe === undefined ? meta?.sentAt : undefined // probe's: its own
              if (typeof sentAt === 'number' && sentAt >= windowStart && sentAt < windowEnd) {
                latencies.push(received - sentAt)
              }
            }
          },
        )
      const write = () => {
        const stamp = now()
        if (measuring) {
          sentByRoom[roomIndex] = (sentByRoom[roomIndex] ?? 0) + 1
          sentByClient[index] = (sentByClient[index] ?? 0) + 1
        }
        client.doc.transact(
          () => client.board.records.set(`shape:bench${index}`, noteRecord(index, stamp)),
          'local',
        )
      }
      staggered(
        timers,
        { index, count: clients.length, periodMs: options.periodMs, startAt },
        write,
      )
    }
    await waitUntil(startAt + options.warmupMs, 'the warm-up ended')
    measuring = true
    windowStart = now()
    const cpuFrom = sampleProcess(server.pid)
    const local = clients.filter((client) => client !== null)
    const messagesFrom = local.reduce((sum, client) => sum + client.messagesIn, 0)
    const bytesFrom = local.reduce((sum, client) => sum + client.bytesIn, 0)
    await sleep(options.measureMs)
    const messages = local.reduce((sum, client) => sum + client.messagesIn, 0) - messagesFrom
    const bytes = local.reduce((sum, client) => sum + client.bytesIn, 0) - bytesFrom
    measuring = false
    windowEnd = now()
    const cpuTo = sampleProcess(server.pid)
    for (const timer of timers) clearTimeout(timer)
    // Drain: whatever arrives within 3 s still counts (as late if over a second).
    let expected = 0
    for (const [index, client] of clients.entries()) {
      if (!client || !isObserver(index, options.perRoom, options.observers)) continue
      expected +=
        (sentByRoom[Math.floor(index / options.perRoom)] ?? 0) - (sentByClient[index] ?? 0)
    }
    const drainUntil = Date.now() + 3_000
    while (latencies.length < expected && Date.now() < drainUntil) await sleep(50)
    return {
      clients: clients.length,
      boards: options.boards,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      // Deliveries the server made: every client of a board gets every other client's edits.
      deliveriesPerSecond:
        (sentByRoom.reduce((a, b) => a + b, 0) * (options.perRoom - 1)) /
        (options.measureMs / 1000),
      expected,
      received: latencies.length,
      missing: Math.max(0, expected - latencies.length),
      late: latencies.filter((ms) => ms > 1000).length,
      serverCpuPercent: cpuPercent(cpuFrom, cpuTo),
      serverRssMB: cpuTo.rssBytes / 2 ** 20,
      messagesPerClientPerSecond: messages / local.length / (options.measureMs / 1000),
      bytesPerClientPerSecond: bytes / local.length / (options.measureMs / 1000),
      rssBeforeMB: rssBefore / 2 ** 20,
      // This process's own: the probe's clients (`elsewhere`) are not among them.
      observersPerBoard:
        clients.filter(
          (client, index) =>
            client !== null && isObserver(index, options.perRoom, options.observers),
        ).length / options.boards,
    }
  } finally {
    for (const timer of timers) clearTimeout(timer)
    closeAll(clients)
  }
}

/** Waits until `at` (epoch ms); past it already, `what` took longer than the plan allowed. */
export async function waitUntil(at: number, what: string): Promise<void> {
  const left = at - scheduleNow()
  if (left < -50) throw new Error(`${what} ${Math.round(-left)} ms after the agreed time`)
  if (left > 0) await sleep(left)
}

/**
 * Client `index` of `count` writes once per `periodMs` from `startAt` (epoch ms), the clients
 * spread evenly over the period (the probe process schedules its clients the same way). Its
 * timers go into `timers`, for the caller to clear.
 */
export function staggered(
  timers: NodeJS.Timeout[],
  {
    index,
    count,
    periodMs,
    startAt,
  }: { index: number; count: number; periodMs: number; startAt: number },
  write: () => void,
): void {
  const first = startAt + (index * periodMs) / count - scheduleNow()
  timers.push(
    setTimeout(
      () => {
        write()
        timers.push(setInterval(write, periodMs))
      },
      Math.max(0, first),
    ),
  )
}

export interface ColdLoadResult {
  shapes: number
  /** The board's id (ours: without the key), to find the server's log line of its reload. */
  board: string
  docKB: number
  /** Connect → synced for a new client while the board is loaded (median of 3). */
  warmMs: number
  /** Connect → synced after the board was unloaded and is read back from the store. */
  reloadMs: number | null
  /** Connect → the server's answer (sync step 2) arrived, before the client applied it. */
  reloadAnswerMs: number | null
  /** Ours only: server-side load time of the reload (from its log). */
  serverLoadMs: number | null
  /** Ours only: the server process's CPU time during the reload (same line). */
  serverLoadCpuMs: number | null
  /** Ours only: the reload's steps (ms each: `read`, `decode`, `room`, …), from the same line. */
  serverSteps: Record<string, number> | null
  /** Ours only: the rows the board's store held when it was reloaded (snapshot + log rows). */
  storedRows: number | null
  /**
   * The same board unloaded and read back once more: a server that has loaded boards before,
   * as one does after its first minutes, where the first reload measures a fresh process.
   */
  againMs: number | null
  /** Ours only: server-side load time and CPU of that later reload (from its log). */
  serverLoadAgainMs: number | null
  serverLoadAgainCpuMs: number | null
  /** The later reload's steps (ours only), as `serverSteps`. */
  serverStepsAgain: Record<string, number> | null
}

/** Waits (up to 30 s) until a client that connects is sent all `shapes`. */
async function untilServerHolds(server: BenchServer, room: string, shapes: number): Promise<void> {
  const until = Date.now() + 30_000
  for (;;) {
    const client = new BenchClient(server.wsUrl, room, server.dialect)
    try {
      await client.synced
      const held = client.board.records.map.size
      if (held >= shapes) return
      if (Date.now() > until) throw new Error(`the server holds ${held} of ${shapes} shapes`)
    } finally {
      client.close()
    }
    await sleep(200)
  }
}

/** Connect → synced, and connect → the server's answer arrived (ms). */
async function timeToSync(
  server: BenchServer,
  room: string,
  shapes: number,
  phase: string,
): Promise<{ syncedMs: number; answerMs: number }> {
  const started = performance.now()
  const client = new BenchClient(server.wsUrl, room, server.dialect)
  try {
    await client.synced
    const syncedMs = performance.now() - started
    const held = client.board.records.map.size
    if (held < shapes) throw new Error(`${phase}: synced with ${held} of ${shapes} shapes`)
    return { syncedMs, answerMs: (client.answeredAt ?? Number.NaN) - started }
  } finally {
    client.close()
  }
}

export async function coldLoad(
  server: BenchServer,
  options: { shapes: number; unloadWaitMs: number },
): Promise<ColdLoadResult> {
  const room = await newRoom(server, 'cold')
  const board = room.split('?')[0] as string
  const writer = new BenchClient(server.wsUrl, room, server.dialect)
  let docBytes = 0
  try {
    await writer.synced
    for (let start = 0; start < options.shapes; start += 500) {
      writer.doc.transact(() => {
        for (let i = start; i < Math.min(options.shapes, start + 500); i++) {
          writer.board.records.set(`shape:bench${i}`, noteRecord(i))
        }
      }, 'local')
      await sleep(20)
    }
    docBytes = writer.docBytes()
    // The last batches may still be on their way (a slow machine takes a while to review and
    // store 500 notes): the timings start once the server holds them all.
    await untilServerHolds(server, room, options.shapes)
    const warm: number[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      warm.push((await timeToSync(server, room, options.shapes, 'loaded')).syncedMs)
    }
    writer.close()
    if (!server.persistent) {
      return {
        shapes: options.shapes,
        board,
        docKB: docBytes / 1024,
        warmMs: percentile(warm, 50),
        reloadMs: null,
        reloadAnswerMs: null,
        serverLoadMs: null,
        serverLoadCpuMs: null,
        serverSteps: null,
        storedRows: null,
        againMs: null,
        serverLoadAgainMs: null,
        serverLoadAgainCpuMs: null,
        serverStepsAgain: null,
      }
    }
    await sleep(options.unloadWaitMs)
    const reload = await timeToSync(server, room, options.shapes, 'reload')
    await sleep(options.unloadWaitMs)
    const again = await timeToSync(server, room, options.shapes, 'later reload')
    // The server's log is read by the process that started it (`reloadFromLog`, called by compare.ts).
    return {
      shapes: options.shapes,
      board,
      docKB: docBytes / 1024,
      warmMs: percentile(warm, 50),
      reloadMs: reload.syncedMs,
      reloadAnswerMs: reload.answerMs,
      serverLoadMs: null,
      serverLoadCpuMs: null,
      serverSteps: null,
      storedRows: null,
      againMs: again.syncedMs,
      serverLoadAgainMs: null,
      serverLoadAgainCpuMs: null,
      serverStepsAgain: null,
    }
  } finally {
    writer.close()
  }
}

export interface DragResult {
  watchers: number
  moves: number
  seconds: number
  bytesPerSecondPerWatcher: number
  messagesPerSecondPerWatcher: number
  docGrowthBytes: number
  serverCpuPercent: number
}

export async function dragStream(
  server: BenchServer,
  options: { watchers: number; hz: number; seconds: number },
): Promise<DragResult> {
  const room = await newRoom(server, 'drag')
  const clients: BenchClient[] = []
  let timer: NodeJS.Timeout | undefined
  try {
    await connectMany(server, [room], options.watchers + 1, clients)
    const [dragger, ...watchers] = clients as [BenchClient, ...BenchClient[]]
    dragger.doc.transact(() => dragger.board.records.set('shape:bench0', noteRecord(0)), 'local')
    const first = watchers[0] as BenchClient
    const deadline = Date.now() + 10_000
    while (!first.board.records.has('shape:bench0') && Date.now() < deadline) await sleep(20)
    await sleep(200)
    const docBefore = first.docBytes()
    const bytesBefore = watchers.map((watcher) => watcher.bytesIn)
    const messagesBefore = watchers.map((watcher) => watcher.messagesIn)
    const cpuFrom = sampleProcess(server.pid)
    const total = options.hz * options.seconds
    let moves = 0
    await new Promise<void>((resolve) => {
      timer = setInterval(() => {
        moves += 1
        dragger.doc.transact(
          () => dragger.board.records.set('shape:bench0', noteRecord(0, now(), 1 + moves)),
          'local',
        )
        if (moves >= total) resolve()
      }, 1000 / options.hz)
    })
    clearInterval(timer)
    await sleep(500)
    const cpuTo = sampleProcess(server.pid)
    const seconds = options.seconds
    const bytes = watchers.map((watcher, i) => watcher.bytesIn - (bytesBefore[i] ?? 0))
    const messages = watchers.map((watcher, i) => watcher.messagesIn - (messagesBefore[i] ?? 0))
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
    return {
      watchers: watchers.length,
      moves,
      seconds,
      bytesPerSecondPerWatcher: mean(bytes) / seconds,
      messagesPerSecondPerWatcher: mean(messages) / seconds,
      docGrowthBytes: first.docBytes() - docBefore,
      serverCpuPercent: cpuPercent(cpuFrom, cpuTo),
    }
  } finally {
    clearInterval(timer)
    closeAll(clients)
  }
}

export interface IdleBoardsResult {
  boards: number
  /** Server RSS before the first board was opened and once every board sits idle. */
  rssBeforeMB: number
  rssAfterMB: number
  rssPerBoardKB: number
  /** Connect → synced, per board (each opened by one client that then leaves). */
  openP50: number
  openP99: number
}

/**
 * `boards` boards, each opened by one client that syncs and leaves: the boards then sit idle
 * within the server's grace period (ours keeps a room loaded for ROOM_GRACE_MS after its last
 * client left). RSS is read once the server is quiet again.
 */
export async function idleBoards(
  server: BenchServer,
  options: { boards: number; settleMs: number },
): Promise<IdleBoardsResult> {
  const rssBefore = sampleProcess(server.pid).rssBytes
  const opens: number[] = []
  const batch = 50
  for (let start = 0; start < options.boards; start += batch) {
    const rooms: string[] = []
    for (let i = start; i < Math.min(options.boards, start + batch); i++) {
      rooms.push(await newRoom(server, 'idle'))
    }
    const clients = rooms.map((room) => {
      const began = performance.now()
      const client = new BenchClient(server.wsUrl, room, server.dialect)
      void client.synced.then(() => opens.push(performance.now() - began))
      return client
    })
    try {
      await Promise.all(clients.map((client) => client.synced))
    } finally {
      closeAll(clients)
    }
  }
  await sleep(options.settleMs)
  const rssAfter = sampleProcess(server.pid).rssBytes
  return {
    boards: options.boards,
    rssBeforeMB: rssBefore / 2 ** 20,
    rssAfterMB: rssAfter / 2 ** 20,
    rssPerBoardKB: (rssAfter - rssBefore) / 1024 / options.boards,
    openP50: percentile(opens, 50),
    openP99: percentile(opens, 99),
  }
}

/**
 * Ours: what its "room loaded" log lines say of the cold workload's reloads (the board's second
 * load, the first being its creation's): total ms, CPU ms, each step's ms, the rows the store
 * held; and the total, CPU ms and steps of the third load, the later reload.
 */
export function reloadFromLog(
  lines: readonly Record<string, unknown>[],
  board: string,
): Pick<
  ColdLoadResult,
  | 'serverLoadMs'
  | 'serverLoadCpuMs'
  | 'serverSteps'
  | 'storedRows'
  | 'serverLoadAgainMs'
  | 'serverLoadAgainCpuMs'
  | 'serverStepsAgain'
> {
  const loads = lines.filter((line) => line.msg === 'room loaded' && line.board === board)
  const [, reload, again] = loads
  const cpuOf = (line: Record<string, unknown> | undefined) =>
    typeof line?.cpuMs === 'number' ? line.cpuMs : null
  const stepsOf = (line: Record<string, unknown> | undefined) =>
    typeof line?.steps === 'object' && line.steps !== null
      ? (line.steps as Record<string, number>)
      : null
  const later = {
    serverLoadAgainMs: again ? Number(again.ms) : null,
    serverLoadAgainCpuMs: cpuOf(again),
    serverStepsAgain: stepsOf(again),
  }
  if (!reload) {
    return {
      serverLoadMs: null,
      serverLoadCpuMs: null,
      serverSteps: null,
      storedRows: null,
      ...later,
    }
  }
  return {
    ...later,
    serverLoadMs: Number(reload.ms),
    serverLoadCpuMs: cpuOf(reload),
    serverSteps: stepsOf(reload),
    storedRows: (reload.snapshot === true ? 1 : 0) + Number(reload.updates ?? 0),
  }
}
