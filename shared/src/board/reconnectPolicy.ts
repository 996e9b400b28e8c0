/**
 * When a client should try again after its connection closes (the browser app and Node tools
 * alike). Exponential backoff keeps a struggling server from being hammered; jitter spreads a
 * room of 60 laptops over the whole window instead of having them all knock at the same instant
 * when the server comes back.
 */
export interface ReconnectPolicy {
  /** First retry window, in ms. */
  baseMs: number
  /** Largest retry window, in ms. */
  maxMs: number
  /** Never retry sooner than this, in ms. */
  minMs: number
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 250, maxMs: 2500, minMs: 100 }

/**
 * Delay before retry number `attempt` (0 for the first): uniformly random over the whole backoff
 * window ("full jitter"), which both spreads a room's retries and, on average, brings people
 * back sooner than retrying at the window's end (measured: test/bench/reconnectStorm.ts).
 */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
): number {
  const window = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(Math.max(policy.minMs, random() * window))
}
