import { openBoardDoc, readRecords } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { restoreUpdate } from './history.ts'

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

const texts = (doc: Y.Doc) =>
  Object.fromEntries([...readRecords(doc)].map(([id, r]) => [id, JSON.stringify(r)]))

describe('restoreUpdate', () => {
  it('turns the current content into the version as a change on top, leaving meta alone', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    board.meta.set('title', 'Retreat')
    for (const key of ['a', 'b']) board.records.set(note(key, key).id, note(key, key))
    doc.getMap('plan').set('entry-1', { text: 'first' })
    const version = copyOf(doc)

    board.records.set(note('a', '').id, note('a', 'changed'))
    board.records.delete(note('b', '').id)
    board.records.set(note('c', '').id, note('c', 'added'))
    doc.getMap('plan').set('entry-1', { text: 'edited' })
    doc.getMap('plan').set('entry-2', { text: 'new' })
    board.meta.set('title', 'Renamed')

    const current = copyOf(doc)
    const update = restoreUpdate(current, version)
    expect(update).not.toBeNull()
    expect(texts(current)).not.toEqual(texts(version)) // neither doc is modified
    Y.applyUpdate(current, update as Uint8Array)
    expect(texts(current)).toEqual(texts(version))
    expect(current.getMap('plan').toJSON()).toEqual({ 'entry-1': { text: 'first' } })
    expect(current.getMap('meta').get('title')).toBe('Renamed')
    expect(restoreUpdate(current, version)).toBeNull()
  })

  it('merges with an edit made elsewhere at the same time', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    board.records.set(note('a', '').id, note('a', 'a'))
    const version = copyOf(doc)
    board.records.set(note('a', '').id, note('a', 'changed'))
    const server = copyOf(doc)
    const client = copyOf(doc)
    openBoardDoc(client).records.set(note('d', '').id, note('d', 'concurrent'))
    const restore = restoreUpdate(server, version) as Uint8Array
    Y.applyUpdate(server, restore)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    Y.applyUpdate(client, restore)
    expect(texts(server)).toEqual(texts(client))
    expect(readRecords(client).get(note('d', '').id)).toBeDefined()
    expect(JSON.stringify(readRecords(client).get(note('a', '').id))).toBe(
      JSON.stringify(note('a', 'a')),
    )
  })
})
