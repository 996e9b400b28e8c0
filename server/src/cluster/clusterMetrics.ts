/**
 * What cluster mode adds to `GET /metrics` (registered in the server's registry): how many
 * boards this process owns and replicates, how many sockets of other processes it serves, and
 * the counters that show Redis losing things (catch-ups from PostgreSQL, messages sent again)
 * and processes going away. No label carries a board or process id.
 */
import { Counter, Gauge, type Registry } from 'prom-client'

export interface ClusterGauges {
  boardsOwned(): number
  replicas(): number
  forwardedConnections(): number
}

export class ClusterMetrics {
  #catchUps: Counter
  #resent: Counter
  #processesGone: Counter
  #takeovers: Counter

  constructor(registry: Registry, gauges: ClusterGauges) {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read())
        },
      })
    gauge('cg_cluster_boards_owned', 'Boards this process owns (holds the lock of).', () =>
      gauges.boardsOwned(),
    )
    gauge('cg_cluster_replicas', 'Boards this process serves from a replica.', () =>
      gauges.replicas(),
    )
    gauge(
      'cg_cluster_forwarded_connections',
      'Sockets held by other processes on boards this process owns.',
      () => gauges.forwardedConnections(),
    )
    const counter = (name: string, help: string) =>
      new Counter({ name, help, registers: [registry] })
    this.#catchUps = counter(
      'cg_cluster_catch_ups_total',
      'Times a replica read committed turns from PostgreSQL (a gap, a quiet Redis, a reconnect).',
    )
    this.#resent = counter(
      'cg_cluster_updates_resent_total',
      'Forwarded updates, dots and private notes sent to a board owner again because it had not acknowledged them.',
    )
    this.#processesGone = counter(
      'cg_cluster_processes_gone_total',
      'Processes found gone (heartbeat expired) while holding sockets on boards owned here.',
    )
    this.#takeovers = counter(
      'cg_cluster_takeovers_total',
      'Stale owners whose lock session this process ended to take their boards over.',
    )
  }

  caughtUp(): void {
    this.#catchUps.inc()
  }

  resent(count: number): void {
    if (count > 0) this.#resent.inc(count)
  }

  processesGone(count: number): void {
    if (count > 0) this.#processesGone.inc(count)
  }

  tookOver(): void {
    this.#takeovers.inc()
  }
}
