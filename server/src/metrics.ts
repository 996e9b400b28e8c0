/**
 * What `GET /metrics` reports, in the Prometheus text format (prom-client). One `Metrics` per
 * server with its own registry, so two servers in one process (tests) never mix their counts.
 * The sync core counts at its existing seams (websocket.ts, CommitQueue.ts, Rooms.ts) through
 * the small methods below; everything is optional there, so unit tests can leave metrics out.
 */
import { CLOSE, WRITE_REFUSALS } from '@common-ground/shared/board'
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client'
import { LIMIT_CLOSE } from './limits.ts'

/**
 * Every label value is one of a fixed set, so no client can grow the metrics (each distinct
 * label value is a time series kept forever): anything else counts as `other`.
 */
export const OTHER = 'other'

/** The HTTP statuses and WebSocket close codes the server refuses or closes connections with. */
const REFUSAL_CODES = new Set<number>([
  // HTTP, on a refused upgrade
  400,
  404,
  429,
  500,
  503,
  // WebSocket: `ws`'s protocol error, ours (protocol.ts, limits.ts), links (access.ts)
  1002,
  ...Object.values(CLOSE),
  ...Object.values(LIMIT_CLOSE).map((limit) => limit.code),
  4401,
  4403,
  CLOSE.boardNotFound,
])

/** The reasons the server gives with those codes (a trailing number is dropped first). */
const REFUSAL_REASONS = new Set<string>([
  ...Object.values(LIMIT_CLOSE).map((limit) => limit.reason),
  'server restarting',
  'board owner unreachable',
  'not found',
  'invalid board id',
  'too many connections from this address',
  'internal error',
  'text frames are not supported',
  'too much data before the board loaded',
  'board not found',
  'invalid awareness update',
  'invalid state vector',
  'invalid update',
  'update depends on changes the server does not have',
  'this link can only view the board',
  'truncated or malformed message',
  'unknown message type',
  'unknown sync message type',
  'ws error',
])

/** `refused`'s labels: a known code and reason, or `other`. */
export function refusalLabels(code: number, reason: string): { code: string; reason: string } {
  const known = reason.replace(/\s+-?\d+$/, '')
  return {
    code: REFUSAL_CODES.has(code) ? String(code) : OTHER,
    // `ws`'s own error codes (WS_ERR_…) are a fixed set of the library's.
    reason: REFUSAL_REASONS.has(known) || /^WS_ERR_[A-Z_]{1,60}$/.test(known) ? known : OTHER,
  }
}

/** `rejectedUpdate`'s label: one of the write rules' refusal codes, or `other`. */
export function rejectionLabel(code: string): string {
  return (WRITE_REFUSALS as readonly string[]).includes(code) ? code : OTHER
}

/** Why `POST /api/boards` created nothing. */
export const BOARD_CREATION_REFUSALS = [
  'rate_limited',
  'board_limit_reached',
  'storage_full',
] as const
export type BoardCreationRefusal = (typeof BOARD_CREATION_REFUSALS)[number]

/** Read when scraped, so the gauges never drift from the real state. */
export interface MetricsSources {
  roomsLoaded(): number
  connections(): number
}

export class Metrics {
  readonly registry = new Registry()
  #updatesReceived: Counter
  #bytesReceived: Counter
  #messagesReceived: Counter
  #updatesSent: Counter
  #messagesSent: Counter
  #bytesSent: Counter
  #rejected: Counter<'reason'>
  #refused: Counter<'code' | 'reason'>
  #boardsCreated: Counter
  #boardCreationsRefused: Counter<'code'>
  #commitSeconds: Histogram
  #commitFailures: Counter
  #roomLoads: Counter
  #roomUnloads: Counter
  #sources: MetricsSources | null = null

  constructor() {
    // Process CPU, memory, handles, GC and event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 })
    const counter = <L extends string>(config: CounterConfiguration<L>) =>
      new Counter<L>({ ...config, registers: [this.registry] })
    this.#updatesReceived = counter({
      name: 'cg_updates_received_total',
      help: 'Document updates received from clients (sync step 2 and update messages).',
    })
    this.#messagesReceived = counter({
      name: 'cg_messages_received_total',
      help: 'WebSocket messages received from clients, of any type.',
    })
    this.#bytesReceived = counter({
      name: 'cg_bytes_received_total',
      help: 'Bytes of WebSocket messages received from clients.',
    })
    this.#updatesSent = counter({
      name: 'cg_updates_sent_total',
      help: 'Document update messages written to connections (one per connection per broadcast).',
    })
    this.#messagesSent = counter({
      name: 'cg_messages_sent_total',
      help: 'WebSocket messages written to connections, of any type.',
    })
    this.#bytesSent = counter({
      name: 'cg_bytes_sent_total',
      help: 'Bytes of WebSocket messages written to connections.',
    })
    this.#rejected = counter({
      name: 'cg_updates_rejected_total',
      help: 'Client updates refused by the write rules and reverted, by reason.',
      labelNames: ['reason'],
    })
    this.#refused = counter({
      name: 'cg_connections_refused_total',
      help: 'Connections refused or closed by the server for bad input or a limit, by close code.',
      labelNames: ['code', 'reason'],
    })
    this.#boardsCreated = counter({
      name: 'cg_boards_created_total',
      help: 'Boards created through POST /api/boards.',
    })
    this.#boardCreationsRefused = counter({
      name: 'cg_board_creations_refused_total',
      help: 'Board creations refused: rate_limited, board_limit_reached or storage_full.',
      labelNames: ['code'],
    })
    this.#commitFailures = counter({
      name: 'cg_commit_failures_total',
      help: 'Batches the store failed to commit (their rooms were dropped, nothing was sent).',
    })
    this.#roomLoads = counter({
      name: 'cg_room_loads_total',
      help: 'Boards loaded into memory.',
    })
    this.#roomUnloads = counter({
      name: 'cg_room_unloads_total',
      help: 'Boards unloaded from memory (idle, evicted, or dropped).',
    })
    this.#commitSeconds = new Histogram({
      name: 'cg_commit_duration_seconds',
      help: 'Time to commit one turn of updates to the store (the wait before a broadcast).',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    })
    const sources = () => this.#sources
    new Gauge({
      name: 'cg_rooms_loaded',
      help: 'Boards loaded in memory.',
      registers: [this.registry],
      collect() {
        this.set(sources()?.roomsLoaded() ?? 0)
      },
    })
    new Gauge({
      name: 'cg_connections',
      help: 'Open sync connections.',
      registers: [this.registry],
      collect() {
        this.set(sources()?.connections() ?? 0)
      },
    })
  }

  /** Where the gauges read the rooms and connections from. */
  observe(sources: MetricsSources): void {
    this.#sources = sources
  }

  received(bytes: number, isUpdate: boolean): void {
    this.#messagesReceived.inc()
    this.#bytesReceived.inc(bytes)
    if (isUpdate) this.#updatesReceived.inc()
  }

  sent(bytes: number, isUpdate: boolean): void {
    this.#messagesSent.inc()
    this.#bytesSent.inc(bytes)
    if (isUpdate) this.#updatesSent.inc()
  }

  /** A client update the write rules refused (`reason`: the refusal's code; unknown: other). */
  rejectedUpdate(reason: string): void {
    this.#rejected.inc({ reason: rejectionLabel(reason) })
  }

  /**
   * The server closed or refused a connection for bad input or a limit. Codes and reasons
   * outside the known set count as `other` (see `refusalLabels`).
   */
  refused(code: number, reason: string): void {
    this.#refused.inc(refusalLabels(code, reason))
  }

  boardCreated(): void {
    this.#boardsCreated.inc()
  }

  boardCreationRefused(code: BoardCreationRefusal): void {
    this.#boardCreationsRefused.inc({
      code: BOARD_CREATION_REFUSALS.includes(code) ? code : OTHER,
    })
  }

  committed(seconds: number): void {
    this.#commitSeconds.observe(seconds)
  }

  commitFailed(seconds: number): void {
    this.#commitSeconds.observe(seconds)
    this.#commitFailures.inc()
  }

  roomLoaded(): void {
    this.#roomLoads.inc()
  }

  roomUnloaded(): void {
    this.#roomUnloads.inc()
  }

  get contentType(): string {
    return this.registry.contentType
  }

  render(): Promise<string> {
    return this.registry.metrics()
  }
}

/** First byte 0 (sync) and second byte 1 or 2 (step 2, update): one-byte varints, no decoding. */
export function isUpdateMessage(message: Uint8Array): boolean {
  return message[0] === 0 && (message[1] === 1 || message[1] === 2)
}
