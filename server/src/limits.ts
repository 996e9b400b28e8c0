/**
 * The server's limits (configured in config.ts, documented in the README): what a client gets
 * when it exceeds one. Each answer is specific, so a client (and an operator reading the log)
 * can tell which limit it met; none of them costs other boards anything.
 */

import { CLOSE } from '@common-ground/shared/board'

/** HTTP status of an upgrade refused because the address has too many connections open. */
export const TOO_MANY_CONNECTIONS_STATUS = 429

/** WebSocket close codes and reasons of the limits. */
export const LIMIT_CLOSE = {
  /** Over MAX_UPDATES_PER_SECOND: the client reconnects after its backoff and resends. */
  tooManyUpdates: { code: CLOSE.tooManyRequests, reason: 'too many updates per second' },
  /**
   * Past the budget of whole-state replies (sync step 1, query awareness; see ReplyBudget): a
   * client asking for the whole board again and again. Same code: reconnecting is fine.
   */
  tooManySyncRequests: { code: CLOSE.tooManyRequests, reason: 'too many sync requests' },
  /**
   * More than MAX_SEND_BUFFER_BYTES waiting to be sent to a connection that does not read (a
   * dead link, or a client asking without reading). Retryable: the client reconnects.
   */
  sendBufferFull: { code: CLOSE.sendBufferFull, reason: 'send buffer full' },
  /** MAX_CONNECTIONS_PER_BOARD people are on the board already: try again later. */
  boardFull: { code: CLOSE.tryAgainLater, reason: 'board full' },
  /** MAX_LOADED_BOARDS boards are open and all in use: try again later. */
  serverBusy: { code: CLOSE.tryAgainLater, reason: 'server busy: too many boards open' },
  /** The board's stored size reached MAX_BOARD_BYTES: it takes no more changes (4400-4499:
   * retrying cannot help, so clients stop and say so). */
  boardTooLarge: { code: CLOSE.boardTooLarge, reason: 'board size limit reached' },
} as const

/**
 * Thrown where a limit (or a missing board, see `BoardNotFoundError`) refuses work; the sync
 * endpoint closes the connection with its code and reason.
 */
export class LimitError extends Error {
  override name = 'LimitError'
  readonly code: number
  constructor(limit: { code: number; reason: string }) {
    super(limit.reason)
    this.code = limit.code
  }
}

/**
 * A token bucket: `ratePerSecond` tokens flow in, up to `burst`; each message takes one. Bursts
 * (a reconnect, a paste) pass; a sustained storm runs dry within a fraction of a second.
 */
export class TokenBucket {
  #rate: number
  #burst: number
  #tokens: number
  #last: number

  constructor(ratePerSecond: number, burst: number, now = performance.now()) {
    this.#rate = ratePerSecond / 1000
    this.#burst = burst
    this.#tokens = burst
    this.#last = now
  }

  /** Takes one token; false when the bucket is empty. */
  take(now = performance.now()): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#rate)
    this.#last = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}

/** Seconds of the sustained rate a connection may send at once. */
export const BURST_SECONDS = 3

/**
 * Token buckets per key (board creation per remote address): `perHour` tokens flow in per hour,
 * up to `perHour`, so a facilitator may create them all at once and then one every hour / N.
 * Memory stays bounded: buckets that have refilled hold nothing worth keeping and are swept.
 */
/**
 * Takes one token for `key` (an address): resolves 0 when allowed, otherwise the milliseconds
 * until a token will be there. `RateLimiter` in memory (one process); cluster mode keeps the
 * buckets in PostgreSQL (cluster/CreationBudgets.ts), shared by every process.
 */
export interface CreationLimiter {
  take(key: string): number | Promise<number>
}

export class RateLimiter implements CreationLimiter {
  #capacity: number
  /** Tokens per millisecond. */
  #rate: number
  #now: () => number
  #buckets = new Map<string, { tokens: number; last: number }>()
  #sweepAt = 1024

  constructor(perHour: number, now: () => number = () => performance.now()) {
    this.#capacity = perHour
    this.#rate = perHour / 3_600_000
    this.#now = now
  }

  /**
   * Takes one token for `key`: returns 0 when allowed, otherwise the milliseconds until a
   * token will be there (nothing is taken then).
   */
  take(key: string): number {
    const now = this.#now()
    if (this.#buckets.size >= this.#sweepAt) this.#sweep(now)
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, last: now }
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.last) * this.#rate)
    bucket.last = now
    this.#buckets.set(key, bucket)
    // (allowing a hair of float noise, so the token due after exactly hour / N is there)
    if (bucket.tokens >= 1 - 1e-9) {
      bucket.tokens = Math.max(0, bucket.tokens - 1)
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate - 1e-6))
  }

  /** Keys with a bucket (for tests). */
  get size(): number {
    return this.#buckets.size
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.last) * this.#rate >= this.#capacity) {
        this.#buckets.delete(key)
      }
    }
    this.#sweepAt = Math.max(1024, this.#buckets.size * 2)
  }
}

/**
 * How much a connection may make the server send by asking: a sync step 1 is answered with
 * everything the asker lacks (the whole board for an empty state vector) and a query awareness
 * with everyone's presence, so a few bytes in can cost megabytes out and the CPU to encode them.
 *
 * A byte budget, charged with each reply's size, because that is the cost: asking for a 64 MiB
 * board is 64 MiB of work, a resync of an up-to-date client a few hundred bytes. The first
 * REPLY_FREE answers of a connection always pass (y-websocket asks once on connect, plus a
 * query at most; a reconnect is a new connection), so a slow phone opening the biggest board
 * still gets it. After them a request is answered only while the balance is above zero: it
 * starts at REPLY_BURST_BYTES, refills at REPLY_BYTES_PER_SECOND, and one reply may overdraw it.
 * Each reply costs at least REPLY_MIN_BYTES, so asking a tiny board thousands of times is not free
 * either. So a read flood gets a handful of boards (7 of a 200 kB board, test/integration/
 * attacks.test.ts 7a), then one more board per (board size / 256 KiB) seconds: every 4 minutes
 * on a 64 MiB board. y-websocket's optional `resyncInterval` (a step 1 whose answer is a few
 * bytes when nothing is missing) fits many times over.
 */
export class ReplyBudget {
  #balance: number
  #last: number
  #answered = 0

  constructor(now = performance.now()) {
    this.#balance = REPLY_BURST_BYTES
    this.#last = now
  }

  /** Whether one more whole-state reply may be computed now. */
  allows(now = performance.now()): boolean {
    this.#refill(now)
    return this.#answered < REPLY_FREE || this.#balance > 0
  }

  /** Counts a reply of `bytes` that is being sent. */
  charge(bytes: number, now = performance.now()): void {
    this.#refill(now)
    this.#answered += 1
    this.#balance -= Math.max(REPLY_MIN_BYTES, bytes)
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last)
    this.#balance = Math.min(
      REPLY_BURST_BYTES,
      this.#balance + elapsed * (REPLY_BYTES_PER_SECOND / 1000),
    )
    this.#last = now
  }
}

/** Whole-state replies every connection gets regardless of the balance. */
export const REPLY_FREE = 4
/** The byte balance a connection starts with and refills up to. */
export const REPLY_BURST_BYTES = 256 * 1024
/** How fast the balance refills. */
export const REPLY_BYTES_PER_SECOND = 256 * 1024
/** The least a reply is charged. */
export const REPLY_MIN_BYTES = 1024
