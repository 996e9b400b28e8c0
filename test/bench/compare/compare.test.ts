import { describe, expect, it } from 'vitest'
import { comparePlan, spread } from './compare.ts'

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
  it('runs every workload 5 times unless told otherwise, against ours and both anchors', () => {
    const plan = comparePlan(true)
    expect(plan.runs).toBe(5)
    expect(plan.workloads).toEqual(['fan-out', 'many', 'idle', 'cold', 'drag'])
    expect(plan.fanOut.clients).toContain(200)
    expect(plan.idleBoards.boards).toBe(1_000)
    const kinds = plan.servers.filter((s) => s.fanOut.includes(200)).map((s) => s.kind)
    expect(kinds).toEqual(expect.arrayContaining(['ours', 'y-websocket', 'hocuspocus']))
    expect(comparePlan(true, 7, ['idle']).workloads).toEqual(['idle'])
  })
})
