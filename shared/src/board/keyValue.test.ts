import { describe, expect, it } from 'vitest'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { KeyValue, type KeyValueChange, type KeyValueEntry } from './keyValue.ts'

const arrayOf = (doc: Y.Doc) => doc.getArray<KeyValueEntry<number>>('records')
const keysOf = (doc: Y.Doc) =>
  arrayOf(doc)
    .toArray()
    .map((entry) => entry.key)

/** Sends each doc's updates to the other until neither has anything new. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  for (let round = 0; round < 4; round++) {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
}

describe('KeyValue', () => {
  it('sets, replaces and deletes, one entry per key, with Y.Map-like change events', () => {
    const doc = new Y.Doc()
    const kv = new KeyValue<number>(arrayOf(doc))
    const events: [string, KeyValueChange<number>][] = []
    kv.on('change', (changes: Map<string, KeyValueChange<number>>) => {
      events.push(...changes)
    })
    kv.set('a', 1)
    kv.set('b', 2)
    kv.set('a', 3)
    kv.delete('b')
    kv.delete('missing')
    expect(kv.get('a')).toBe(3)
    expect(kv.has('b')).toBe(false)
    expect(keysOf(doc)).toEqual(['a'])
    expect(events).toEqual([
      ['a', { action: 'add', newValue: 1 }],
      ['b', { action: 'add', newValue: 2 }],
      ['a', { action: 'update', oldValue: 1, newValue: 3 }],
      ['b', { action: 'delete', oldValue: 2 }],
    ])
  })

  it('deletes one entry out of an item holding many, and index reads stay right', () => {
    const doc = new Y.Doc()
    const kv = new KeyValue<number>(arrayOf(doc))
    doc.transact(() => {
      for (let i = 0; i < 5; i++) kv.set(`k${i}`, i)
    })
    kv.delete('k2')
    kv.set('k0', 10)
    expect(keysOf(doc)).toEqual(['k1', 'k3', 'k4', 'k0'])
    expect(arrayOf(doc).get(1)?.key).toBe('k3')
    arrayOf(doc).delete(1, 1) // an index-based edit after direct deletions
    expect(kv.has('k3')).toBe(false)
    expect([...kv.map.keys()].sort()).toEqual(['k0', 'k1', 'k4'])
  })

  it('tidies duplicates it finds on opening: the rightmost entry wins', () => {
    const doc = new Y.Doc()
    arrayOf(doc).push([
      { key: 'a', val: 1 },
      { key: 'b', val: 2 },
      { key: 'a', val: 3 },
    ])
    const kv = new KeyValue<number>(arrayOf(doc))
    expect(kv.get('a')).toBe(3)
    expect(keysOf(doc)).toEqual(['b', 'a'])
  })

  it('converges with y-utility YKeyValue on concurrent writes of the same keys', () => {
    const ours = new Y.Doc()
    const theirs = new Y.Doc()
    const a = new KeyValue<number>(arrayOf(ours))
    const b = new YKeyValue<number>(arrayOf(theirs))
    a.set('shared', 1)
    exchange(ours, theirs)
    // Concurrent: both replace the same key, add their own, and one deletes another.
    a.set('shared', 2)
    a.set('only-ours', 3)
    b.set('shared', 4)
    b.set('only-theirs', 5)
    b.set('gone', 6)
    exchange(ours, theirs)
    a.delete('gone')
    b.set('shared', 7)
    a.set('shared', 8)
    exchange(ours, theirs)
    const values = (doc: Y.Doc) =>
      Object.fromEntries(
        arrayOf(doc)
          .toArray()
          .map((entry) => [entry.key, entry.val]),
      )
    expect(values(ours)).toEqual(values(theirs))
    expect(new Set(keysOf(ours)).size).toBe(keysOf(ours).length)
    expect(keysOf(ours).sort()).toEqual(['only-ours', 'only-theirs', 'shared'])
    expect(a.get('shared')).toBe(b.get('shared'))
    expect([...a.map.keys()].sort()).toEqual(['only-ours', 'only-theirs', 'shared'])
  })

  it('reads an update only by the entries it added: a remote replace is one update event', () => {
    const source = new Y.Doc()
    const target = new Y.Doc()
    const writer = new KeyValue<number>(arrayOf(source))
    for (let i = 0; i < 200; i++) writer.set(`k${i}`, i)
    Y.applyUpdate(target, Y.encodeStateAsUpdate(source))
    const reader = new KeyValue<number>(arrayOf(target))
    const events: [string, KeyValueChange<number>][] = []
    reader.on('change', (changes: Map<string, KeyValueChange<number>>) => events.push(...changes))
    const before = Y.encodeStateVector(source)
    writer.set('k7', 70)
    Y.applyUpdate(target, Y.encodeStateAsUpdate(source, before))
    expect(events).toEqual([['k7', { action: 'update', oldValue: 7, newValue: 70 }]])
    expect(reader.get('k7')).toBe(70)
    expect(keysOf(target)).toHaveLength(200)
  })
})
