/**
 * The time each step of a room's load took, for the "room loaded" log line (`steps`, ms): what
 * operators and the bench read to see where a cold load goes (store reads, decoding, set-up).
 */
export class LoadSteps {
  readonly #cpu = process.cpuUsage()
  readonly #started = performance.now()
  #last = this.#started
  readonly #ms: Record<string, number> = {}

  /** Ends the step that ran since the previous mark (or the start), counted under `name`. */
  mark(name: string): void {
    const now = performance.now()
    this.#ms[name] = (this.#ms[name] ?? 0) + (now - this.#last)
    this.#last = now
  }

  /** Each step's milliseconds, to a tenth, in the order they first ran. */
  get steps(): Record<string, number> {
    const rounded: Record<string, number> = {}
    for (const [name, ms] of Object.entries(this.#ms)) rounded[name] = Math.round(ms * 10) / 10
    return rounded
  }

  /** Milliseconds since the load started. */
  get total(): number {
    return performance.now() - this.#started
  }

  /**
   * The process's CPU milliseconds since the load started (all its threads: the collector's
   * too): steadier than `total` on a machine others keep busy, where the wait for a core counts.
   */
  get cpu(): number {
    const { user, system } = process.cpuUsage(this.#cpu)
    return (user + system) / 1000
  }
}
