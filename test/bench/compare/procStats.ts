/**
 * CPU time and resident memory of one process, read from /proc (Linux): no sampling library.
 */
import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100

export interface ProcSample {
  /** user + system CPU time so far, milliseconds */
  cpuMs: number
  /** resident set size, bytes */
  rssBytes: number
  /** performance.now() when sampled */
  at: number
}

/** Parses the user+system ticks out of a /proc/<pid>/stat line (the name may hold spaces). */
export function cpuTicksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the name: state is field 3, utime field 14, stime field 15 (1-based over the line).
  return Number(fields[11]) + Number(fields[12])
}

/** Parses `VmRSS:  1234 kB` out of /proc/<pid>/status. */
export function rssBytesOfStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/** user + system CPU time of a process so far, milliseconds. */
export function cpuMsOf(pid: number): number {
  return (cpuTicksOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / TICKS_PER_SECOND
}

export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { cpuMs: cpuMsOf(pid), rssBytes: rssBytesOfStatus(status), at: performance.now() }
}

/**
 * Watches a process's CPU from now on, sampled every 100 ms, until `stop()`: the busiest sample
 * (percent of one core) and the CPU time it used meanwhile (ms).
 */
export function watchCpu(pid: number): { stop(): { peakPercent: number; usedMs: number } } {
  let lastCpu = cpuMsOf(pid)
  let lastAt = performance.now()
  let peak = 0
  const sampler = setInterval(() => {
    const now = performance.now()
    const cpu = cpuMsOf(pid)
    peak = Math.max(peak, ((cpu - lastCpu) / (now - lastAt)) * 100)
    lastCpu = cpu
    lastAt = now
  }, 100)
  const cpuAtStart = cpuMsOf(pid)
  return {
    stop() {
      clearInterval(sampler)
      return { peakPercent: peak, usedMs: cpuMsOf(pid) - cpuAtStart }
    },
  }
}

/** CPU use between two samples, as a percentage of one core. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const wall = to.at - from.at
  return wall > 0 ? (100 * (to.cpuMs - from.cpuMs)) / wall : Number.NaN
}
