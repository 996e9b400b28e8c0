/**
 * What `GET /metrics` reports, in the Prometheus text format (prom-client). One `Metrics` per
 * server with its own registry, so two servers in one process (tests) never mix their counts.
 * The sync core counts at its existing seams (websocket.ts, CommitQueue.ts, Rooms.ts) through
 * the small methods below; everything is optional there, so unit tests can leave metrics out.
 */
import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client'

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

  /** A client update the write rules refused (`reason`: the refusal's code, a small set). */
  rejectedUpdate(reason: string): void {
    this.#rejected.inc({ reason })
  }

  /** The server closed or refused a connection for bad input or a limit. */
  refused(code: number, reason: string): void {
    this.#refused.inc({ code: String(code), reason })
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
