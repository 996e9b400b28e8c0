import { RECORDS } from '@common-ground/shared/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { splitAtKeyClashes } from './CommitQueue.ts'
import { Connection } from './Connection.ts'
import { insertedRecordKeys } from './Room.ts'

const socket = { isOpen: true, send() {}, close() {} }
const a = new Connection(socket, { boardId: 'board-aaaa', remoteAddress: 'a' })
const b = new Connection(socket, { boardId: 'board-aaaa', remoteAddress: 'b' })
const u = (n: number) => new Uint8Array([n])

describe('splitAtKeyClashes', () => {
  it('keeps a turn in one group while no key is inserted by two senders', () => {
    const groups = splitAtKeyClashes({
      updates: [u(1), u(2), u(3)],
      origins: [a, b, a],
      keys: [['shape:1'], ['shape:2'], ['shape:1']],
    })
    expect(groups).toHaveLength(1)
    expect(groups[0]?.origins).toEqual([a, b, a])
  })

  it('starts a new group where another sender inserts the same key', () => {
    const groups = splitAtKeyClashes({
      updates: [u(1), u(2), u(3), u(4)],
      origins: [a, null, b, a],
      keys: [['shape:1'], [], ['shape:1', 'shape:2'], ['shape:2']],
    })
    expect(groups.map((group) => group.updates.map((update) => update[0]))).toEqual([
      [1, 2],
      [3],
      [4],
    ])
  })
})

describe('insertedRecordKeys', () => {
  it('names the record keys a transaction inserted, not the ones it only deleted', () => {
    const doc = new Y.Doc()
    const records = doc.getArray<{ key: string; val: unknown }>(RECORDS)
    records.push([{ key: 'shape:old', val: 1 }])
    const seen: string[][] = []
    doc.on('update', (_update: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      seen.push(insertedRecordKeys(records as Y.Array<unknown>, tr))
    })
    doc.transact(() => {
      records.delete(0, 1)
      records.push([
        { key: 'shape:a', val: 2 },
        { key: 'shape:b', val: 3 },
      ])
      doc.getMap('meta').set('title', 'x')
    })
    doc.transact(() => records.delete(0, 1))
    expect(seen).toEqual([['shape:a', 'shape:b'], []])
  })
})
