import { openBoardDoc, readRecords } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { readVoteState } from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { contentOnly, History, restoreUpdate, scrubVersion } from './history.ts'
import { createLogger } from './log.ts'
import { MemoryBoardStore } from './store/MemoryBoardStore.ts'

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

describe('restoreUpdate and votes', () => {
  it('never reopens a revealed vote nor takes away its outcome', () => {
    const doc = new Y.Doc()
    const votes = doc.getMap('votes')
    votes.set('session/v1', { id: 'v1', status: 'open' })
    votes.set('session/v2', { id: 'v2', status: 'open' })
    const version = copyOf(doc)
    votes.set('session/v1', { id: 'v1', status: 'revealed' })
    votes.set('outcome/v1', { dots: { 'shape:a': 3 }, voters: 2 })
    votes.set('session/v2', { id: 'v2', status: 'closed' })
    const update = restoreUpdate(doc, version) as Uint8Array
    Y.applyUpdate(doc, update)
    expect(votes.get('session/v1')).toEqual({ id: 'v1', status: 'revealed' })
    expect(votes.get('outcome/v1')).toEqual({ dots: { 'shape:a': 3 }, voters: 2 })
    // A vote not yet revealed goes back with the rest of the board.
    expect(votes.get('session/v2')).toEqual({ id: 'v2', status: 'open' })
  })
})

describe('History.versionDoc', () => {
  it('never hands out the ballots a version saved before the ballot box still holds', async () => {
    const store = new MemoryBoardStore()
    await store.createBoard({ id: 'board-votes', title: 'Votes', template: 'blank', createdAt: 1 })
    const doc = new Y.Doc()
    const votes = doc.getMap('votes')
    votes.set('session/v1', { id: 'v1' })
    votes.set(`ballot/v1/p${'A'.padEnd(22, '_')}`, { dots: { 'shape:a': 2 } })
    const id = await store.saveVersion({
      boardId: 'board-votes',
      name: 'before',
      auto: false,
      createdAt: 2,
      data: Y.encodeStateAsUpdate(doc),
    })
    const history = new History({
      store,
      rooms: () => {
        throw new Error('no rooms needed')
      },
      log: createLogger({ level: 'error', write: () => {} }),
      intervalMs: 0,
      kept: 1,
    })
    const version = await history.versionDoc('board-votes', id)
    expect([...(version?.doc.getMap('votes').keys() ?? [])]).toEqual(['session/v1'])
    // What the API serves of a version is read from its entries (records, plan): none left.
    expect(readVoteState(version?.doc as Y.Doc).ballots.size).toBe(0)
    version?.doc.destroy()
  })
})

describe('what a version keeps', () => {
  it('is the board’s content without its history: deleted keys and old texts are gone', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    board.records.set(note('a', '').id, note('a', 'an old wording'))
    board.records.set(note('a', '').id, note('a', 'the wording now'))
    doc.getMap('votes').set('ballot/v1/pSecretVoterIdSecretVoter', { dots: { 'shape:a': 1 } })
    doc.getMap('votes').delete('ballot/v1/pSecretVoterIdSecretVoter')
    doc.getMap('plan').set('entry-1', { text: 'kept' })
    const copy = contentOnly(doc)
    expect(texts(copy)).toEqual(texts(doc))
    expect(copy.getMap('plan').toJSON()).toEqual({ 'entry-1': { text: 'kept' } })
    const bytes = Buffer.from(Y.encodeStateAsUpdate(copy)).toString('latin1')
    expect(bytes).toContain('the wording now')
    expect(bytes).not.toContain('an old wording')
    expect(bytes).not.toContain('pSecretVoterId')
    // The whole history still holds the deleted key (what a version no longer does).
    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1')).toContain('pSecretVoterId')
  })

  it('loses ballots and author stamps when scrubbed, and says whether it had any', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    board.records.set(note('a', '').id, {
      ...note('a', 'idea'),
      meta: { cgAuthor: 'pAna' },
    } as never)
    doc.getMap('votes').set(`ballot/v1/p${'a'.repeat(22)}`, { dots: { 'shape:a': 1 } })
    doc.getMap('votes').set('session/v1', { id: 'v1' })
    expect(scrubVersion(doc)).toBe(true)
    expect(board.records.get(note('a', '').id)).toEqual({ ...note('a', 'idea'), meta: {} })
    expect([...doc.getMap('votes').keys()]).toEqual(['session/v1'])
    expect(scrubVersion(doc)).toBe(false)
  })
})
