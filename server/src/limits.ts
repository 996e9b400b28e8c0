/**
 * The server's limits (configured in config.ts, documented in the README): what a client gets
 * when it exceeds one. Each answer is specific, so a client (and an operator reading the log)
 * can tell which limit it met; none of them costs other boards anything.
 */

/** HTTP status of an upgrade refused because the address has too many connections open. */
export const TOO_MANY_CONNECTIONS_STATUS = 429

/** WebSocket close codes and reasons of the limits. */
export const LIMIT_CLOSE = {
  /** Over MAX_UPDATES_PER_SECOND: the client reconnects after its backoff and resends. */
  tooManyUpdates: { code: 4029, reason: 'too many updates per second' },
  /** MAX_CONNECTIONS_PER_BOARD people are on the board already: try again later. */
  boardFull: { code: 1013, reason: 'board full' },
  /** MAX_LOADED_BOARDS boards are open and all in use: try again later. */
  serverBusy: { code: 1013, reason: 'server busy: too many boards open' },
  /** The board's stored size reached MAX_BOARD_BYTES: it takes no more changes (4400-4499:
   * retrying cannot help, so clients stop and say so). */
  boardTooLarge: { code: 4413, reason: 'board size limit reached' },
} as const

/** Thrown where a limit refuses work; the sync endpoint closes the connection with it. */
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
