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

/**
 * Puts a process's main thread under SCHED_FIFO (`chrt`, util-linux), so whenever it has work it
 * runs at once, ahead of the busy load process on the same core. Only the main thread: a
 * real-time thread that waits for a helper thread of its own on the same core (V8's GC and
 * compiler workers) would spin until the kernel's real-time throttle, so the process should run
 * with `--single-threaded` too. Needs root or CAP_SYS_NICE; false when refused (the results then
 * say the probe ran at normal priority).
 */
export function raiseToRealtime(pid: number): boolean {
  if (pid <= 0) return false
  const result = spawnSync('chrt', ['--fifo', '--pid', '10', String(pid)], { stdio: 'ignore' })
  return result.error === undefined && result.status === 0
}
