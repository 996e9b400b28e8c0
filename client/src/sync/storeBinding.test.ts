import { openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { seedBoard } from '@common-ground/shared/plan'
import {
  createShapeId,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  HistoryManager,
  type TLRecord,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  BoardSchemaError,
  bindStoreToBoard,
  LOCAL_ORIGIN,
  loadBoardIntoStore,
} from './storeBinding.ts'

const newStore = () =>
  createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })

function seededDoc() {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Retreat', createdAt: 1, template: 'blank' })
  return doc
}

/** A client: a doc replica and a store bound to it. */
function client(doc = seededDoc()) {
  const board = openBoardDoc(doc)
  const store = newStore()
  loadBoardIntoStore(store, board)
  const unbind = bindStoreToBoard(store, board)
  return { doc, board, store, unbind }
}

/** Connects two replicas the way a relay would: every update of one is applied to the other. */
function connect(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  a.on(
    'update',
    (update: Uint8Array, origin: unknown) =>
      origin !== 'relay' && Y.applyUpdate(b, update, 'relay'),
  )
  b.on(
    'update',
    (update: Uint8Array, origin: unknown) =>
      origin !== 'relay' && Y.applyUpdate(a, update, 'relay'),
  )
}

describe('tldraw store ↔ Y.Doc binding', () => {
  it('loads the seeded board: document and first page are in the store', () => {
    const { store } = client()
    expect(store.get('document:document' as TLRecord['id'])).toBeDefined()
    expect(store.get('page:page' as TLRecord['id'])).toBeDefined()
  })

  it('turns one local store change into exactly one Yjs transaction', () => {
    const { doc, board, store } = client()
    const transactions: unknown[] = []
    doc.on('update', (_update: Uint8Array, origin: unknown) => transactions.push(origin))
    store.put([note('a', 'a'), note('b', 'b', { x: 100 }), note('c', 'c', { x: 200 })])
    expect(transactions).toEqual([LOCAL_ORIGIN])
    expect(board.records.get(createShapeId('b'))).toMatchObject({ type: 'note', x: 100 })

    store.remove([createShapeId('a')])
    expect(transactions).toHaveLength(2)
    expect(board.records.has(createShapeId('a'))).toBe(false)
  })

  it('puts remote changes into the store as remote, outside the undo stack', () => {
    const alice = client()
    const bob = client(new Y.Doc())
    connect(alice.doc, bob.doc)
    // Bob joined an empty replica; after connecting he must see Alice's seeded page.
    expect(bob.store.get('page:page' as TLRecord['id'])).toBeDefined()

    const history = new HistoryManager({ store: alice.store })
    const sources: string[] = []
    alice.store.listen((entry) => sources.push(entry.source), { scope: 'document' })

    alice.store.put([note('mine', 'mine')])
    bob.store.put([note('theirs', 'theirs', { x: 300 })])

    expect(alice.store.get(createShapeId('theirs'))).toMatchObject({ x: 300 })
    expect(sources).toEqual(['user', 'remote'])

    history.undo()
    expect(alice.store.get(createShapeId('mine'))).toBeUndefined()
    expect(alice.store.get(createShapeId('theirs'))).toBeDefined()
    // The undo is a local edit like any other: it reaches Bob, and Bob keeps his own note.
    expect(bob.store.get(createShapeId('mine'))).toBeUndefined()
    expect(bob.store.get(createShapeId('theirs'))).toBeDefined()
    history.dispose()
  })

  it('applies remote updates and deletes of the same record', () => {
    const alice = client()
    const bob = client(new Y.Doc())
    connect(alice.doc, bob.doc)
    alice.store.put([note('moved', 'moved')])
    alice.store.update(createShapeId('moved'), (shape) => ({ ...shape, x: 42 }))
    expect(bob.store.get(createShapeId('moved'))).toMatchObject({ x: 42 })
    alice.store.remove([createShapeId('moved')])
    expect(bob.store.get(createShapeId('moved'))).toBeUndefined()
  })

  it('stops syncing once unbound', () => {
    const alice = client()
    const bob = client(new Y.Doc())
    connect(alice.doc, bob.doc)
    bob.unbind()
    alice.store.put([note('late', 'late')])
    expect(bob.store.get(createShapeId('late'))).toBeUndefined()
    expect(bob.board.records.has(createShapeId('late'))).toBe(true)
  })

  it('keeps going when a remote record fails validation', () => {
    const alice = client()
    const errors: unknown[] = []
    alice.unbind()
    bindStoreToBoard(alice.store, alice.board, (error) => errors.push(error))
    const broken = { ...note('broken', 'broken'), x: 'not a number' } as unknown as TLRecord
    alice.doc.transact(() => alice.board.records.set(broken.id, broken), 'someone else')
    expect(errors).toHaveLength(1)
    expect(alice.store.get(broken.id)).toBeUndefined()
    alice.store.put([note('fine', 'fine')])
    expect(alice.board.records.has(createShapeId('fine'))).toBe(true)
  })

  it('migrates records written with an older schema, leaving meta.schema to the server', () => {
    const doc = seededDoc()
    const board = openBoardDoc(doc)
    const ours = newStore().schema.serialize()
    // Pretend the board was written before the latest note-shape migration.
    const older = structuredClone(ours) as { sequences: Record<string, number> }
    const noteSequence = 'com.tldraw.shape.note'
    expect(older.sequences[noteSequence]).toBeGreaterThan(1)
    older.sequences[noteSequence] = (older.sequences[noteSequence] as number) - 1
    board.meta.set('schema', older)
    const { store } = { store: newStore() }
    loadBoardIntoStore(store, board)
    expect(store.allRecords().length).toBeGreaterThan(0)
    // `meta` is the server's to write: it migrates the board itself when it loads it.
    expect(board.meta.get('schema')).toEqual(older)
  })

  it('refuses a board written by a newer schema with a clear error', () => {
    const doc = seededDoc()
    const board = openBoardDoc(doc)
    const newer = structuredClone(newStore().schema.serialize()) as {
      sequences: Record<string, number>
    }
    newer.sequences['com.tldraw.shape.note'] = 999
    board.meta.set('schema', newer)
    expect(() => loadBoardIntoStore(newStore(), board)).toThrow(BoardSchemaError)
  })
})

describe('records kept out of the board (private notes)', () => {
  it('hands a kept record’s changes to the private layer and everything else to the board', () => {
    const doc = seededDoc()
    const board = openBoardDoc(doc)
    const store = newStore()
    loadBoardIntoStore(store, board)
    const layer = { kept: new Map<string, TLRecord | null>() }
    const unbind = bindStoreToBoard(store, board, undefined, undefined, {
      keeps: (id) => id === 'shape:secret',
      put: (record) => layer.kept.set(record.id, record),
      remove: (id) => layer.kept.set(id, null),
    })
    const secret = note('secret', 'only mine') as TLRecord
    const open = note('open', 'for everyone') as TLRecord
    store.put([secret, open])
    expect(board.records.has('shape:secret' as never)).toBe(false)
    expect(board.records.has('shape:open' as never)).toBe(true)
    expect(layer.kept.get('shape:secret')).toEqual(secret)

    store.update(secret.id, (record) => ({ ...record, x: 99 }))
    expect((layer.kept.get('shape:secret') as { x: number }).x).toBe(99)
    store.remove([secret.id, open.id])
    expect(layer.kept.get('shape:secret')).toBe(null)
    expect(board.records.has('shape:open' as never)).toBe(false)
    expect(layer.kept.has('shape:open')).toBe(false)
    unbind()
  })
})
