import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { openBoardDoc, readBoardMeta } from '@common-ground/shared/board'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seedUpdate } from '../boards.ts'
import type { BoardRecord } from './BoardStore.ts'
import { restoreDoc } from './restore.ts'
import { DATABASE_FILE, SqliteBoardStore } from './SqliteBoardStore.ts'

const board: BoardRecord = {
  id: 'board-0001',
  title: 'Retreat',
  template: 'retreat',
  createdAt: 1_700_000_000_000,
}

/** The top-level types these tests use (Y.Doc.toJSON only lists types already opened). */
function contentOf(doc: Y.Doc) {
  return {
    meta: doc.getMap('meta').toJSON(),
    records: doc.getArray('records').toJSON(),
    notes: doc.getMap('notes').toJSON(),
    order: doc.getArray('order').toJSON(),
  }
}

/** Edits a doc and collects each transaction's update, as a room would receive them. */
function editsOf(doc: Y.Doc, count: number): Uint8Array[] {
  const updates: Uint8Array[] = []
  const collect = (update: Uint8Array) => updates.push(update)
  doc.on('update', collect)
  const notes = doc.getMap<string>('notes')
  for (let i = 0; i < count; i++) {
    doc.transact(() => {
      notes.set(`note-${i % 7}`, `text ${i}`)
      doc.getArray<number>('order').push([i])
    })
  }
  doc.off('update', collect)
  return updates
}

describe('SqliteBoardStore', () => {
  let dir: string
  let store: SqliteBoardStore

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cg-store-'))
    store = new SqliteBoardStore(dir)
  })
  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates a board once, with its seed as the first update', async () => {
    expect(await store.createBoard(board, seedUpdate(board))).toBe(true)
    expect(await store.createBoard({ ...board, title: 'Other' }, seedUpdate(board))).toBe(false)
    expect(await store.getBoard(board.id)).toEqual(board)
    expect(await store.getBoard('board-none')).toBeNull()

    const { snapshot, updates } = await store.loadUpdates(board.id)
    expect(snapshot).toBeNull()
    expect(updates).toHaveLength(1)
    const { doc } = restoreDoc({ snapshot, updates })
    expect(readBoardMeta(doc)).toMatchObject({ title: 'Retreat', template: 'retreat' })
  })

  it('reloads exactly the state that was appended, and again after compaction', async () => {
    const original = new Y.Doc()
    Y.applyUpdate(original, seedUpdate(board))
    await store.createBoard(board, Y.encodeStateAsUpdate(original))
    const updates = editsOf(original, 40)
    const seqs = await store.appendUpdates(updates.map((update) => ({ boardId: board.id, update })))
    expect(seqs).toHaveLength(40)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)

    const loaded = restoreDoc(await store.loadUpdates(board.id))
    expect(loaded.failures).toEqual([])
    expect(loaded.tailLength).toBe(41)
    expect(loaded.lastSeq).toBe(seqs.at(-1))
    expect(contentOf(loaded.doc)).toEqual(contentOf(original))
    expect(Y.encodeStateVector(loaded.doc)).toEqual(Y.encodeStateVector(original))

    await store.compact(board.id, Y.encodeStateAsUpdate(loaded.doc), loaded.lastSeq)
    const more = editsOf(original, 5)
    await store.appendUpdates(more.map((update) => ({ boardId: board.id, update })))

    // Reopen the file: what is on disk is what counts.
    await store.close()
    store = new SqliteBoardStore(dir)
    const stored = await store.loadUpdates(board.id)
    expect(stored.snapshot?.upToSeq).toBe(loaded.lastSeq)
    expect(stored.updates).toHaveLength(5)
    const reloaded = restoreDoc(stored)
    expect(reloaded.tailLength).toBe(5)
    expect(contentOf(reloaded.doc)).toEqual(contentOf(original))
    expect(Y.encodeStateAsUpdate(reloaded.doc)).toEqual(Y.encodeStateAsUpdate(original))
    expect(openBoardDoc(reloaded.doc).records.get('document:document')?.typeName).toBe('document')
  })

  it('keeps a newer snapshot when an older compaction arrives late', async () => {
    await store.createBoard(board, seedUpdate(board))
    await store.compact(board.id, new Uint8Array([1]), 10)
    await store.compact(board.id, new Uint8Array([2]), 5)
    expect((await store.loadUpdates(board.id)).snapshot).toEqual({
      upToSeq: 10,
      data: new Uint8Array([1]),
    })
  })

  it('appends a batch in one transaction: all of it or none', async () => {
    await store.createBoard(board, seedUpdate(board))
    const [update] = editsOf(new Y.Doc(), 1)
    if (!update) throw new Error('no update')
    // The second entry names a board that does not exist: the foreign key fails the batch.
    await expect(
      store.appendUpdates([
        { boardId: board.id, update },
        { boardId: 'missing-board', update },
      ]),
    ).rejects.toThrow()
    expect((await store.loadUpdates(board.id)).updates).toHaveLength(1)
  })

  it('reports a torn or garbage row instead of failing the whole board', async () => {
    const original = new Y.Doc()
    Y.applyUpdate(original, seedUpdate(board))
    await store.createBoard(board, Y.encodeStateAsUpdate(original))
    const [good] = editsOf(original, 1)
    if (!good) throw new Error('no update')
    await store.appendUpdates([{ boardId: board.id, update: good }])

    // Another writer (a crash mid-write, a bug) leaves rows Yjs cannot read.
    const raw = new DatabaseSync(path.join(dir, DATABASE_FILE))
    const torn = Y.encodeStateAsUpdate(original).slice(0, 9)
    raw.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(board.id, torn)
    raw
      .prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)')
      .run(board.id, new Uint8Array([255, 255, 255, 255, 255]))
    raw.close()

    const restored = restoreDoc(await store.loadUpdates(board.id))
    expect(restored.failures.map((failure) => typeof failure.seq)).toEqual(['number', 'number'])
    expect(restored.doc.getMap('notes').toJSON()).toEqual(original.getMap('notes').toJSON())
    expect(readBoardMeta(restored.doc).title).toBe('Retreat')
  })
})
