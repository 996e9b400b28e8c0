/**
 * When to try again after a connection closes. Exponential backoff keeps a struggling server
 * from being hammered; jitter spreads a room of 60 laptops over the whole window instead of
 * having them all knock at the same instant when the server comes back.
 */
export interface ReconnectPolicy {
  /** First retry window, in ms. */
  baseMs: number
  /** Largest retry window, in ms. */
  maxMs: number
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 250, maxMs: 5000 }

/**
 * Delay before retry number `attempt` (0 for the first): uniformly random in the upper half of
 * the backoff window ("equal jitter"), so retries are spread out yet never immediate.
 */
export function reconnectDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
): number {
  const window = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 20))
  return Math.round(window / 2 + random() * (window / 2))
}

/** Close codes 4400-4499: the server decided that retrying cannot help (y-websocket's rule). */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500
}
