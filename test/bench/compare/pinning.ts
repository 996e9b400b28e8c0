/**
 * Keeps the comparison's server and its clients off each other's core: the server process is
 * pinned to one core and the client process to another with `taskset` (util-linux), so neither
 * steals the other's CPU and latencies stop swinging with the scheduler. Without `taskset` or
 * with a single core nothing is pinned and the results say so.
 */
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

export interface Pinning {
  /** Core of the server measured, and of the client process; null when nothing is pinned. */
  serverCore: number | null
  clientCore: number | null
  /** How the run was pinned, or why it was not: printed and written with the results. */
  note: string
}

function hasTaskset(): boolean {
  const probe = spawnSync('taskset', ['--version'], { stdio: 'ignore' })
  return probe.error === undefined && probe.status === 0
}

export function choosePinning(): Pinning {
  const cores = availableParallelism()
  if (cores < 2) {
    return { serverCore: null, clientCore: null, note: `not pinned: ${cores} core` }
  }
  if (!hasTaskset()) {
    return { serverCore: null, clientCore: null, note: 'not pinned: taskset is not installed' }
  }
  return {
    serverCore: 0,
    clientCore: 1,
    note: 'taskset: server on core 0, clients on core 1',
  }
}

/** Pins every thread of a running process to `core`; false when taskset refused. */
export function pinProcess(pid: number, core: number | null): boolean {
  if (core === null || pid <= 0) return false
  const result = spawnSync(
    'taskset',
    ['--all-tasks', '--cpu-list', '--pid', String(core), String(pid)],
    {
      stdio: 'ignore',
    },
  )
  return result.status === 0
}
