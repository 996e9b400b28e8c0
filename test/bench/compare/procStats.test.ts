import { describe, expect, it } from 'vitest'
import { cpuPercent, cpuTicksOfStat, rssBytesOfStatus } from './procStats.ts'

describe('procStats parsing', () => {
  it('reads utime + stime after a name with spaces and parentheses', () => {
    const stat = '1234 (node (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0'
    expect(cpuTicksOfStat(stat)).toBe(300)
  })

  it('reads VmRSS in bytes', () => {
    expect(rssBytesOfStatus('Name:\tnode\nVmRSS:\t   2048 kB\nThreads: 3\n')).toBe(2048 * 1024)
  })

  it('turns two samples into a percentage of one core', () => {
    expect(
      cpuPercent({ cpuMs: 0, rssBytes: 0, at: 0 }, { cpuMs: 500, rssBytes: 0, at: 1000 }),
    ).toBe(50)
  })
})
