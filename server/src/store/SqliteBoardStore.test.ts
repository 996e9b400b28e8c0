/**
 * The SQLite store: the BoardStore contract, and what only a file has (rows written by another
 * connection, a table left by an older version, a size cap, a failure injected by a trigger).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { readBoardMeta } from '@common-ground/shared/board'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { newLinkTokens } from '../access/LinkStore.ts'
import { seedUpdate } from '../boards.ts'
import { type BoardRecord, type BoardStore, StorageFullError } from './BoardStore.ts'
import { board, boardStoreContract, editsOf } from './boardStore.contract.ts'
import { restoreDoc } from './restore.ts'
import { DATABASE_FILE, SqliteBoardStore } from './SqliteBoardStore.ts'

const dirs: string[] = []
const stores: BoardStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-store-'))
  dirs.push(dir)
  return dir
}

function openStore(dir: string, options?: { maxDatabaseBytes?: number }): SqliteBoardStore {
  const store = new SqliteBoardStore(dir, options)
  stores.push(store)
  return store
}

boardStoreContract('SqliteBoardStore', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-store-'))
  return {
    open: async () => new SqliteBoardStore(dir),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

describe('SqliteBoardStore', () => {
  it('reports a torn or garbage row instead of failing the whole board', async () => {
    const dir = tempDir()
    const store = openStore(dir)
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

describe('SqliteBoardStore: loading a board', () => {
  it('reads what was committed while another connection holds the write lock', async () => {
    const dir = tempDir()
    const store = openStore(dir)
    const original = new Y.Doc()
    Y.applyUpdate(original, seedUpdate(board))
    await store.createBoard(board, Y.encodeStateAsUpdate(original))
    const [edit] = editsOf(original, 1)
    if (!edit) throw new Error('no update')
    await store.appendUpdates([{ boardId: board.id, update: edit }])

    // A writer on a connection of its own (a commit in flight elsewhere) holds the lock.
    const writer = new DatabaseSync(path.join(dir, DATABASE_FILE))
    try {
      writer.exec('BEGIN IMMEDIATE')
      writer
        .prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)')
        .run(board.id, new Uint8Array([0, 0]))
      // A load neither waits for it (SQLITE_BUSY after busy_timeout) nor sees its rows.
      const stored = await store.loadUpdates(board.id)
      expect(stored.updates).toHaveLength(2) // the seed and the edit
      expect(stored.updates[1]?.data).toEqual(edit)
      writer.exec('COMMIT')
    } finally {
      writer.close()
    }
    expect((await store.loadUpdates(board.id)).updates).toHaveLength(3)
  })
})

describe('SqliteBoardStore: a board and its links in one transaction', () => {
  const linked: BoardRecord = {
    id: 'links-0001',
    title: 'Retreat',
    template: 'blank',
    createdAt: 1,
  }

  it('keeps no board when its links cannot be written', async () => {
    const dir = tempDir()
    const store = openStore(dir)
    // A failure at the very last insert of the transaction (as a full disk or a crash would).
    const saboteur = new DatabaseSync(path.join(dir, DATABASE_FILE))
    saboteur.exec(`
      CREATE TRIGGER fail_links BEFORE INSERT ON board_links WHEN NEW.kind = 'view'
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
    `)
    await expect(store.createBoard(linked, seedUpdate(linked), newLinkTokens())).rejects.toThrow(
      /injected failure/,
    )
    expect(await store.getBoard(linked.id)).toBeNull()
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(linked.id)).toBeNull()
    expect((await store.loadUpdates(linked.id)).updates).toEqual([])
    expect(saboteur.prepare('SELECT count(*) AS n FROM board_links').get()?.n).toBe(0)
    saboteur.exec('DROP TRIGGER fail_links')
    saboteur.close()
    // The store is still usable, and the same board can be created afterwards.
    expect(await store.createBoard(linked, seedUpdate(linked), newLinkTokens())).toBe(true)
    expect(await store.getLinks(linked.id)).not.toBeNull()
  })

  it('reads links a data file from before kept in board_links', async () => {
    const dir = tempDir()
    const old = new DatabaseSync(path.join(dir, DATABASE_FILE))
    // The table as the former SqliteLinkStore made it, with a board's links in it.
    old.exec(`
      CREATE TABLE board_links (
        board_id TEXT NOT NULL, kind TEXT NOT NULL, token TEXT NOT NULL,
        created_at INTEGER NOT NULL, PRIMARY KEY (board_id, kind)
      ) STRICT;
    `)
    const links = newLinkTokens()
    for (const [kind, token] of Object.entries(links)) {
      old.prepare('INSERT INTO board_links VALUES (?, ?, ?, 1)').run(linked.id, kind, token)
    }
    old.close()
    const store = openStore(dir)
    expect(await store.getLinks(linked.id)).toEqual(links)
  })

  it('refuses a board with StorageFullError when the database is full, keeping nothing', async () => {
    const store = openStore(tempDir(), { maxDatabaseBytes: 1 })
    const big = { ...linked, template: 'retreat' } as const
    await expect(store.createBoard(big, seedUpdate(big), newLinkTokens())).rejects.toThrow(
      StorageFullError,
    )
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(linked.id)).toBeNull()
  })
})
