/**
 * The server's clock, as well as this browser can know it. Shared countdowns (the room timer,
 * vote deadlines) are stored in server milliseconds, so a laptop whose clock is minutes off still
 * shows the same time left as everyone else.
 *
 * How: a few `GET /api/time` round trips, NTP style. For each, the server's reading is assumed
 * to fall halfway through the trip; the trips with the shortest round trip are the least
 * disturbed, and the median of their offsets is kept. Offsets are taken against
 * `performance.now()` (monotonic), not `Date.now()`, so changing the device clock afterwards
 * changes nothing either. Until the first measurement, the join notice's reading is used, and
 * before that the device clock.
 */

/** One round trip: local monotonic times around the request, and the server's reading. */
export interface ClockSample {
  sentAt: number
  receivedAt: number
  serverTime: number
}

export interface ClockEstimate {
  /** Server time minus local monotonic time. */
  offset: number
  /** The round trip of the best sample: the estimate is within half of it. */
  roundTrip: number
}

/** Round trips per measurement; a handful is enough on a venue LAN and cheap on the server. */
export const CLOCK_SAMPLES = 5
/** Measured again this often, and when the tab comes back (a sleeping laptop's clock drifts). */
export const CLOCK_RESYNC_MS = 10 * 60_000

/** The median offset of the samples with the shortest round trips (at least one; null if none). */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  const valid = samples.filter(
    (s) => Number.isFinite(s.serverTime) && Number.isFinite(s.sentAt) && s.receivedAt >= s.sentAt,
  )
  if (valid.length === 0) return null
  const byTrip = [...valid].sort((a, b) => a.receivedAt - a.sentAt - (b.receivedAt - b.sentAt))
  const best = byTrip.slice(0, Math.max(1, Math.ceil(byTrip.length / 2)))
  const offsets = best
    .map((s) => s.serverTime - (s.sentAt + s.receivedAt) / 2)
    .sort((a, b) => a - b)
  const middle = offsets.length >> 1
  const offset =
    offsets.length % 2 === 1
      ? (offsets[middle] as number)
      : ((offsets[middle - 1] as number) + (offsets[middle] as number)) / 2
  const first = best[0] as ClockSample
  return { offset, roundTrip: first.receivedAt - first.sentAt }
}

const monotonic = () => performance.now()

/** Null until measured or told; then server time = monotonic time + offset. */
let estimate: ClockEstimate | null = null
let measured = false

/** Now, in server milliseconds (the device clock until the server has been heard). */
export function serverNow(): number {
  return estimate ? Math.round(monotonic() + estimate.offset) : Date.now()
}

/** What the server said its clock was in a message just received (no round trip known). */
export function noteServerTime(serverTime: number): void {
  if (measured || !Number.isFinite(serverTime)) return
  estimate = { offset: serverTime - monotonic(), roundTrip: Number.POSITIVE_INFINITY }
}

/** The current estimate, for the bench and tests; null before the server was heard. */
export function serverClockEstimate(): ClockEstimate | null {
  return estimate
}

async function sample(): Promise<ClockSample | null> {
  const sentAt = monotonic()
  try {
    const response = await fetch('/api/time', { cache: 'no-store' })
    const receivedAt = monotonic()
    if (!response.ok) return null
    const { now } = (await response.json()) as { now?: unknown }
    return typeof now === 'number' ? { sentAt, receivedAt, serverTime: now } : null
  } catch {
    return null
  }
}

/** Measures the offset now (sequential round trips, so they do not queue behind each other). */
export async function measureServerClock(): Promise<ClockEstimate | null> {
  const samples: ClockSample[] = []
  for (let i = 0; i < CLOCK_SAMPLES; i++) {
    const next = await sample()
    if (next) samples.push(next)
  }
  const next = estimateOffset(samples)
  if (next) {
    estimate = next
    measured = true
  }
  return next
}

/** Keeps the estimate fresh while a board is open; returns the function that stops it. */
export function keepServerClock(): () => void {
  void measureServerClock()
  const timer = setInterval(() => void measureServerClock(), CLOCK_RESYNC_MS)
  const onVisible = () => {
    if (document.visibilityState === 'visible') void measureServerClock()
  }
  document.addEventListener('visibilitychange', onVisible)
  return () => {
    clearInterval(timer)
    document.removeEventListener('visibilitychange', onVisible)
  }
}
