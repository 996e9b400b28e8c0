import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { newDoc } from './yDoc.ts'

describe('newDoc', () => {
  it('names each doc with a fresh v4 UUID, as Yjs would, and is an ordinary doc', () => {
    const [a, b] = [newDoc(), newDoc()]
    expect(a.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a.guid).not.toBe(b.guid)
    expect(a.gc).toBe(true)
    a.getMap('meta').set('title', 'Retreat')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(b.getMap('meta').get('title')).toBe('Retreat')
  })
})
