import { openBoardDoc } from '@common-ground/shared/board'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type ClientProcess, startClientProcess } from './clientProcess.ts'
import { probedFanOut, tagsIn } from './latencyProbe.ts'
import { type BenchServer, startBenchServer } from './servers.ts'
import { noteRecord } from './workloads.ts'

/** The update a probe client sends when it writes its note with `tag`. */
function taggedUpdate(index: number, tag: string): Uint8Array {
  const doc = new Y.Doc()
  const board = openBoardDoc(doc)
  let update: Uint8Array = new Uint8Array()
  doc.on('update', (bytes: Uint8Array) => {
    update = bytes
  })
  board.records.set(`shape:bench${index}`, noteRecord(index, 1, 0, `cgprobe:${tag};`))
  return update
}

describe('tagsIn', () => {
  it('finds the tag in the Yjs update a probe write makes, and every tag of a merged update', () => {
    expect(tagsIn(taggedUpdate(3, '3:17'))).toEqual(['3:17'])
    const merged = Y.mergeUpdates([taggedUpdate(3, '3:17'), taggedUpdate(40, '40:2')])
    expect(tagsIn(merged).sort()).toEqual(['3:17', '40:2'])
  })

  it('finds nothing in updates without a tag, or with a tag cut off before its end', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    let plain: Uint8Array = new Uint8Array()
    doc.on('update', (bytes: Uint8Array) => {
      plain = bytes
    })
    board.records.set('shape:bench1', noteRecord(1, 5))
    expect(tagsIn(plain)).toEqual([])
    const tagged = taggedUpdate(3, '3:17')
    const cut = Buffer.from(tagged).indexOf(';')
    expect(tagsIn(tagged.subarray(0, cut))).toEqual([])
  })
})

describe('probedFanOut', () => {
  let server: BenchServer
  let load: ClientProcess
  let probe: ClientProcess

  beforeAll(async () => {
    ;[server, load, probe] = await Promise.all([
      startBenchServer('ours-memory'),
      startClientProcess(null),
      startClientProcess(null, { realtime: true }),
    ])
  }, 30_000)

  afterAll(async () => {
    await Promise.all([server?.stop(), load?.stop(), probe?.stop()])
  })

  it('times every delivery among the probe clients, and the load counts only its own writes', async () => {
    const fan = await probedFanOut(load, probe, server, {
      clients: 8,
      observers: 8,
      periodMs: 200,
      warmupMs: 300,
      measureMs: 1_000,
    })
    expect(fan.probe.clients).toBe(4)
    // 4 probe clients write 5 times in the second; each write reaches the 3 others.
    expect(fan.probe.expected).toBeGreaterThanOrEqual(4 * 4 * 3)
    expect(fan.probe.received).toBe(fan.probe.expected)
    expect(fan.probe.p99).toBeGreaterThan(0)
    // The load's observers left the probe's writes out: exactly what its own clients sent.
    expect(fan.clients).toBe(8)
    // Of the 8 (all observers), the load process runs and observes the 4 the probe does not.
    expect(fan.observersPerBoard).toBe(4)
    expect(fan.probe.late).toBe(0)
    expect(fan.expected).toBeGreaterThanOrEqual(4 * 4 * 3)
    expect(fan.received).toBe(fan.expected)
    // Deliveries count every write of the board, the probe's included: 8 clients × 5 a second,
    // each to the 7 others (a write or two either side of the window's edges).
    expect(fan.deliveriesPerSecond).toBeGreaterThanOrEqual(7 * 7 * 5)
    expect(fan.deliveriesPerSecond).toBeLessThanOrEqual(9 * 7 * 5)
  }, 30_000)
})
