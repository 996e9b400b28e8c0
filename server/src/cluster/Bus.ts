/**
 * Redis as the cluster's carrier (ioredis): publishing, subscribing, and each process's
 * heartbeat key. Redis carries, never decides: pub/sub is at-most-once (a message published
 * while a subscriber is reconnecting is gone), so nothing here is relied on for data. Committed
 * updates are caught up from PostgreSQL, forwarded updates are sent again until acknowledged.
 *
 * Publishing never queues while Redis is away (`enableOfflineQueue: false`): a publish then
 * fails at once and costs nothing to hold; whoever needed it tries again or reads PostgreSQL.
 */
import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'

/** How long a process's heartbeat key lives; it is renewed well before (HEARTBEAT_MS). */
export const ALIVE_TTL_MS = 5000
const HEARTBEAT_MS = 1500

export interface BusOptions {
  url: string
  /** Every key and channel of this cluster starts with it (`cg:` by default). */
  prefix: string
  processId: string
  log: Logger
}

type Handler = (data: Uint8Array) => void

export class Bus {
  readonly prefix: string
  readonly processId: string
  #publisher: Redis
  #subscriber: Redis
  #handlers = new Map<string, Handler>()
  #log: Logger
  #heartbeat: NodeJS.Timeout | null = null
  /** When the publisher last became ready (0: not now): a fresh Redis has no heartbeats yet. */
  #readySince = 0
  #onReconnect = new Set<() => void>()

  constructor(options: BusOptions) {
    this.prefix = options.prefix
    this.processId = options.processId
    this.#log = options.log
    const common = {
      // Reconnect for as long as it takes, quickly at first.
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
      maxRetriesPerRequest: 1,
      connectionName: `common-ground/${options.processId}`,
      lazyConnect: true,
    }
    this.#publisher = new Redis(options.url, { ...common, enableOfflineQueue: false })
    this.#subscriber = new Redis(options.url, { ...common, autoResubscribe: true })
    for (const [name, client] of [
      ['publisher', this.#publisher],
      ['subscriber', this.#subscriber],
    ] as const) {
      client.on('error', (error: Error) => this.#log.debug('redis error', { client: name, error }))
      client.on('close', () => {
        if (name === 'publisher') this.#readySince = 0
      })
    }
    this.#publisher.on('ready', () => {
      this.#readySince = Date.now()
      void this.#beat()
    })
    let first = true
    this.#subscriber.on('ready', () => {
      if (first) {
        first = false
        return
      }
      this.#log.info('redis subscriber reconnected')
      // ioredis subscribes again to what it had subscribed; a subscription tried while Redis
      // was away is made now (subscribing twice is harmless).
      const channels = [...this.#handlers.keys()]
      if (channels.length > 0) void this.#subscriber.subscribe(...channels).catch(() => undefined)
      // Whatever was published meanwhile is lost: those who care catch up from PostgreSQL.
      for (const listener of this.#onReconnect) listener()
    })
    this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const handler = this.#handlers.get(channel.toString())
      if (!handler) return
      try {
        handler(new Uint8Array(message.buffer, message.byteOffset, message.byteLength))
      } catch (error) {
        this.#log.error('cluster message handling failed', { channel: String(channel), error })
      }
    })
  }

  /** Connects both clients; rejects when Redis cannot be reached at start. */
  async start(): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()])
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  channel(name: string): string {
    return `${this.prefix}${name}`
  }

  /** Calls `listener` after the subscriber came back from a lost connection. */
  onReconnect(listener: () => void): void {
    this.#onReconnect.add(listener)
  }

  async subscribe(channel: string, handler: Handler): Promise<void> {
    this.#handlers.set(channel, handler)
    try {
      await this.#subscriber.subscribe(channel)
    } catch (error) {
      // Redis is away: ioredis subscribes again (autoResubscribe) once it is back.
      this.#log.debug('redis subscribe failed', { channel, error })
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#handlers.delete(channel)
    await this.#subscriber.unsubscribe(channel).catch(() => undefined)
  }

  /** Fire and forget: false when Redis did not take it (it is away). */
  publish(channel: string, data: Uint8Array): Promise<boolean> {
    return this.#publisher
      .publish(channel, Buffer.from(data.buffer, data.byteOffset, data.byteLength))
      .then(
        () => true,
        (error: unknown) => {
          this.#log.debug('redis publish failed', { channel, error })
          return false
        },
      )
  }

  /**
   * Which of `processes` are gone: their heartbeat key expired. Only an answer Redis gave counts,
   * and only once it has been up long enough for every live process to have beaten again.
   */
  async gone(processes: readonly string[]): Promise<string[]> {
    if (processes.length === 0) return []
    if (this.#readySince === 0 || Date.now() - this.#readySince < ALIVE_TTL_MS) return []
    try {
      const keys = processes.map((process) => this.#aliveKey(process))
      const values = await this.#publisher.mget(...keys)
      return processes.filter((_, i) => values[i] === null)
    } catch {
      return []
    }
  }

  get connected(): boolean {
    return this.#publisher.status === 'ready' && this.#subscriber.status === 'ready'
  }

  async close(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    await this.#publisher.del(this.#aliveKey(this.processId)).catch(() => undefined)
    this.#publisher.disconnect()
    this.#subscriber.disconnect()
  }

  #aliveKey(process: string): string {
    return `${this.prefix}alive:${process}`
  }

  async #beat(): Promise<void> {
    try {
      await this.#publisher.set(this.#aliveKey(this.processId), '1', 'PX', ALIVE_TTL_MS)
    } catch {
      // Redis is away; the next beat tries again.
    }
  }
}
