import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { decodeUpdate, encodeUpdate, GUARD_WINDOW_MS, RecentUpdates } from './unloadGuard.ts'

function edits(count: number) {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, `value ${i}`)
  return { doc, updates }
}

describe('guarding the last moments of editing', () => {
  it('keeps recent updates and merges them into one that restores them', () => {
    const { doc, updates } = edits(5)
    const recent = new RecentUpdates()
    for (const update of updates) recent.add(update, 1000)
    const restored = new Y.Doc()
    Y.applyUpdate(restored, recent.merged(1000) as Uint8Array)
    expect(restored.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('forgets updates older than the window', () => {
    const { updates } = edits(2)
    const recent = new RecentUpdates()
    recent.add(updates[0] as Uint8Array, 0)
    recent.add(updates[1] as Uint8Array, GUARD_WINDOW_MS + 10)
    const restored = new Y.Doc()
    Y.applyUpdate(restored, recent.merged(GUARD_WINDOW_MS + 10) as Uint8Array)
    // Only the second edit's update is kept; without the first it stays pending, unapplied.
    expect(restored.getMap('m').size).toBe(0)
    expect(recent.merged(3 * GUARD_WINDOW_MS)).toBeNull()
  })

  it('round-trips updates through the text form localStorage keeps', () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 251)
    expect(decodeUpdate(encodeUpdate(big))).toEqual(big)
  })
})
