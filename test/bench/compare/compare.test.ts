import { describe, expect, it } from 'vitest'
import { comparePlan, spread } from './compare.ts'
import { reloadFromLog } from './workloads.ts'

describe('spread', () => {
  it('gives the median of the runs with their min and max, leaving out runs without a figure', () => {
    expect(spread([30, 10, 20, Number.NaN, 50, 40])).toEqual({
      median: 30,
      min: 10,
      max: 50,
      runs: 5,
    })
    expect(spread([Number.NaN])).toBeUndefined()
  })
})

describe('comparePlan', () => {
  it('runs every workload 5 times unless told otherwise, against ours, both anchors and the floor', () => {
    const plan = comparePlan(true)
    expect(plan.runs).toBe(5)
    expect(plan.workloads).toEqual(['fan-out', 'many', 'idle', 'cold', 'drag'])
    expect(plan.fanOut.clients).toContain(200)
    expect(plan.idleBoards.boards).toBe(1_000)
    const kinds = plan.servers.filter((s) => s.fanOut.includes(200)).map((s) => s.kind)
    expect(kinds).toEqual(expect.arrayContaining(['ours', 'y-websocket', 'hocuspocus', 'relay']))
    expect(comparePlan(true, 7, ['idle']).workloads).toEqual(['idle'])
  })
})

describe('reloadFromLog', () => {
  it("reads the cold reloads' times, steps and stored rows from ours's later loads of the board", () => {
    const lines = [
      { msg: 'room loaded', board: 'cold-1', snapshot: false, updates: 1, ms: 3, steps: {} },
      { msg: 'room loaded', board: 'other', snapshot: true, updates: 0, ms: 99 },
      { msg: 'room unloaded', board: 'cold-1' },
      {
        msg: 'room loaded',
        board: 'cold-1',
        snapshot: true,
        updates: 2,
        ms: 31,
        cpuMs: 29,
        steps: { read: 1.5, decode: 20.2, room: 2 },
      },
      { msg: 'room unloaded', board: 'cold-1' },
      {
        msg: 'room loaded',
        board: 'cold-1',
        snapshot: true,
        updates: 0,
        ms: 12,
        cpuMs: 11,
        steps: { read: 1.2, decode: 9.5, room: 1 },
      },
    ]
    expect(reloadFromLog(lines, 'cold-1')).toEqual({
      serverLoadMs: 31,
      serverLoadCpuMs: 29,
      serverSteps: { read: 1.5, decode: 20.2, room: 2 },
      storedRows: 3,
      serverLoadAgainMs: 12,
      serverLoadAgainCpuMs: 11,
      serverStepsAgain: { read: 1.2, decode: 9.5, room: 1 },
    })
    // Reloaded once: no later reload.
    expect(reloadFromLog(lines.slice(0, 4), 'cold-1')).toMatchObject({
      serverLoadMs: 31,
      serverLoadAgainMs: null,
      serverLoadAgainCpuMs: null,
      serverStepsAgain: null,
    })
    // Loaded once only: the board was never reloaded.
    expect(reloadFromLog(lines.slice(0, 2), 'cold-1')).toEqual({
      serverLoadMs: null,
      serverLoadCpuMs: null,
      serverSteps: null,
      storedRows: null,
      serverLoadAgainMs: null,
      serverLoadAgainCpuMs: null,
      serverStepsAgain: null,
    })
  })
})
