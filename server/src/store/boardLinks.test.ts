/**
 * Links live in the board store: a board, its first update and its three links are written in
 * one transaction, by both stores alike.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { newLinkToken } from '@common-ground/shared/board'
import { afterEach, describe, expect, it } from 'vitest'
import { newLinkTokens } from '../access/LinkStore.ts'
import { createBoard, seedUpdate } from '../boards.ts'
import { type BoardRecord, type BoardStore, StorageFullError } from './BoardStore.ts'
import { MemoryBoardStore } from './MemoryBoardStore.ts'
import { DATABASE_FILE, SqliteBoardStore } from './SqliteBoardStore.ts'

const board: BoardRecord = { id: 'links-0001', title: 'Retreat', template: 'blank', createdAt: 1 }

const dirs: string[] = []
const stores: BoardStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-links-'))
  dirs.push(dir)
  return dir
}

const kinds: Array<[string, () => BoardStore]> = [
  ['SqliteBoardStore', () => new SqliteBoardStore(tempDir())],
  ['MemoryBoardStore', () => new MemoryBoardStore()],
]

describe.each(kinds)('%s links', (_name, make) => {
  const open = () => {
    const store = make()
    stores.push(store)
    return store
  }

  it('stores a board with its links, and only once', async () => {
    const store = open()
    const links = newLinkTokens()
    expect(await store.createBoard(board, seedUpdate(board), links)).toBe(true)
    expect(await store.getLinks(board.id)).toEqual(links)
    expect(await store.createBoard(board, seedUpdate(board), newLinkTokens())).toBe(false)
    expect(await store.getLinks(board.id)).toEqual(links)
    expect(await store.countBoards()).toBe(1)
    expect(await store.getLinks('links-none')).toBeNull()
  })

  it('creates boards through boards.ts with links and a seed', async () => {
    const store = open()
    const { board: created, tokens } = await createBoard(store, {
      title: 'Made',
      template: 'retreat',
    })
    expect(await store.getBoard(created.id)).toEqual(created)
    expect(await store.getLinks(created.id)).toEqual(tokens)
    expect((await store.loadUpdates(created.id)).updates).toHaveLength(1)
  })

  it('gives a board without links its links once, and none to an unknown board', async () => {
    const store = open()
    await store.createBoard(board, seedUpdate(board))
    expect(await store.getLinks(board.id)).toBeNull()
    const links = newLinkTokens()
    expect(await store.addLinks(board.id, links)).toBe(true)
    expect(await store.addLinks(board.id, newLinkTokens())).toBe(false)
    expect(await store.getLinks(board.id)).toEqual(links)
    expect(await store.addLinks('links-none', newLinkTokens())).toBe(false)
    expect(await store.getLinks('links-none')).toBeNull()
  })

  it('replaces one link and leaves the others', async () => {
    const store = open()
    const links = newLinkTokens()
    await store.createBoard(board, seedUpdate(board), links)
    const fresh = newLinkTokens().edit
    expect(await store.rotateLink(board.id, 'edit', fresh)).toBe(true)
    expect(await store.getLinks(board.id)).toEqual({ ...links, edit: fresh })
    expect(await store.rotateLink('links-none', 'edit', fresh)).toBe(false)
  })

  it('replaces the calendar key alone, and sets one on a board that had none', async () => {
    const store = open()
    const links = newLinkTokens()
    await store.createBoard(board, seedUpdate(board), links)
    const fresh = newLinkToken()
    expect(await store.rotateLink(board.id, 'calendar', fresh)).toBe(true)
    expect(await store.getLinks(board.id)).toEqual({ ...links, calendar: fresh })
    // A board from before calendar keys: replacing gives it one.
    const { calendar: _none, ...three } = newLinkTokens()
    const older = { ...board, id: 'links-0002' }
    await store.createBoard(older, seedUpdate(older), three)
    expect(await store.rotateLink(older.id, 'calendar', fresh)).toBe(true)
    expect(await store.getLinks(older.id)).toEqual({ ...three, calendar: fresh })
    // A board without links gets no calendar key.
    const linkless = { ...board, id: 'links-0003' }
    await store.createBoard(linkless, seedUpdate(linkless))
    expect(await store.rotateLink(linkless.id, 'calendar', fresh)).toBe(false)
    expect(await store.getLinks(linkless.id)).toBeNull()
  })

  it('gives a board from before calendar keys one key, once, and a board without links none', async () => {
    const store = open()
    const { calendar: _none, ...three } = newLinkTokens()
    await store.createBoard(board, seedUpdate(board), three)
    expect(await store.getLinks(board.id)).toEqual(three)
    const first = newLinkToken()
    const [one, two] = await Promise.all([
      store.ensureCalendarKey(board.id, first),
      store.ensureCalendarKey(board.id, newLinkToken()),
    ])
    expect(one).toBe(first)
    expect(two).toBe(first)
    expect(await store.getLinks(board.id)).toEqual({ ...three, calendar: first })
    const linkless = { ...board, id: 'links-0004' }
    await store.createBoard(linkless, seedUpdate(linkless))
    expect(await store.ensureCalendarKey(linkless.id, newLinkToken())).toBeNull()
    expect(await store.ensureCalendarKey('links-none', newLinkToken())).toBeNull()
    expect(await store.getLinks(linkless.id)).toBeNull()
  })
})

describe('SqliteBoardStore: a board and its links in one transaction', () => {
  it('keeps no board when its links cannot be written', async () => {
    const dir = tempDir()
    const store = new SqliteBoardStore(dir)
    stores.push(store)
    // A failure at the very last insert of the transaction (as a full disk or a crash would).
    const saboteur = new DatabaseSync(path.join(dir, DATABASE_FILE))
    saboteur.exec(`
      CREATE TRIGGER fail_links BEFORE INSERT ON board_links WHEN NEW.kind = 'view'
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
    `)
    await expect(store.createBoard(board, seedUpdate(board), newLinkTokens())).rejects.toThrow(
      /injected failure/,
    )
    expect(await store.getBoard(board.id)).toBeNull()
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(board.id)).toBeNull()
    expect((await store.loadUpdates(board.id)).updates).toEqual([])
    expect(saboteur.prepare('SELECT count(*) AS n FROM board_links').get()?.n).toBe(0)
    saboteur.exec('DROP TRIGGER fail_links')
    saboteur.close()
    // The store is still usable, and the same board can be created afterwards.
    expect(await store.createBoard(board, seedUpdate(board), newLinkTokens())).toBe(true)
    expect(await store.getLinks(board.id)).not.toBeNull()
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
      old.prepare('INSERT INTO board_links VALUES (?, ?, ?, 1)').run(board.id, kind, token)
    }
    old.close()
    const store = new SqliteBoardStore(dir)
    stores.push(store)
    expect(await store.getLinks(board.id)).toEqual(links)
  })

  it('refuses a board with StorageFullError when the database is full, keeping nothing', async () => {
    const dir = tempDir()
    const store = new SqliteBoardStore(dir, { maxDatabaseBytes: 1 })
    stores.push(store)
    const big = { ...board, template: 'retreat' } as const
    await expect(store.createBoard(big, seedUpdate(big), newLinkTokens())).rejects.toThrow(
      StorageFullError,
    )
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(board.id)).toBeNull()
  })
})
