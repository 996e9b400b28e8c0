import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { RECORDS } from '@common-ground/shared/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../log.ts'
import { board, editsOf } from '../store/boardStore.contract.ts'
import { DATABASE_FILE, SqliteBoardStore } from '../store/SqliteBoardStore.ts'
import { CommitQueue, type QueuedRoom, splitAtKeyClashes } from './CommitQueue.ts'
import { Connection } from './Connection.ts'
import { updateMessage } from './protocol.ts'
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

describe('CommitQueue on the SQLite store: turns that arrive during a commit', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

  it('go into the next commit together, and out as one message per connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cg-queue-'))
    const store = new SqliteBoardStore(dir)
    try {
      await store.createBoard(board)
      const received: Uint8Array[] = []
      const watcher = new Connection(
        { isOpen: true, send: (data) => received.push(data), close() {} },
        { boardId: board.id, remoteAddress: 'w' },
      )
      const seqs: number[] = []
      const room: QueuedRoom = {
        boardId: board.id,
        closed: false,
        connections: new Set([watcher]),
        committed: (seq) => seqs.push(seq),
      }
      const commits: number[] = []
      const queue = new CommitQueue({
        store,
        log: createLogger({ level: 'error', write: () => {} }),
        hooks: [{ afterCommit: (batch) => commits.push(batch.length) }],
        onStorageFailure: (_rooms, error) => {
          throw error
        },
      })
      const [first, ...later] = editsOf(new Y.Doc(), 4)
      if (!first) throw new Error('no update')

      // Another writer holds the lock, so the first commit stays in flight on the writer thread.
      const holder = new DatabaseSync(path.join(dir, DATABASE_FILE))
      holder.exec('BEGIN IMMEDIATE')
      queue.addUpdate(room, first, a)
      await nextTurn()
      await nextTurn()
      // Three more turns while it is in flight: the event loop is free to take them.
      for (const update of later) {
        queue.addUpdate(room, update, b)
        await nextTurn()
      }
      expect(received).toEqual([]) // nothing is sent before its commit
      holder.exec('COMMIT')
      holder.close()
      await queue.flush()

      expect(commits).toEqual([1, 1]) // two transactions, one row of the board each
      expect(seqs).toHaveLength(2)
      expect(received).toEqual([updateMessage(first), updateMessage(Y.mergeUpdates(later))])
      const { updates } = await store.loadUpdates(board.id)
      expect(updates.map((update) => update.seq)).toEqual(seqs)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
