/**
 * The PostgreSQL store against a real server (scripts/ensure-services.sh): the BoardStore
 * contract, and failures injected with triggers where SQLite's tests inject theirs (a link that
 * cannot be written, a full disk reported as SQLSTATE 53100). One database per run of this file,
 * emptied before each test and dropped after.
 */
import { Client } from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { newLinkTokens } from '../access/LinkStore.ts'
import { seedUpdate } from '../boards.ts'
import { type BoardRecord, StorageFullError } from './BoardStore.ts'
import { board, boardStoreContract, editsOf, oneEdit } from './boardStore.contract.ts'
import { FencedOutError, PostgresBoardStore } from './PostgresBoardStore.ts'
import { createTestDatabase, type TestDatabase } from './testDatabase.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

/** Every board and what belongs to it gone (the schema and its migrations stay). */
async function emptied(): Promise<void> {
  await sql(`TRUNCATE boards, board_links, board_updates, board_snapshots, board_versions,
    board_client_owners, board_ballots, board_private_notes, board_owners, cluster_processes,
    creation_budgets`)
}

/** One statement on a connection of the test's own, as another process would run it. */
async function sql(text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: database.url })
  await client.connect()
  try {
    return (await client.query(text)).rows
  } finally {
    await client.end()
  }
}

boardStoreContract('PostgresBoardStore', async () => {
  // The first store of the file migrates the fresh database; later ones find it done.
  await PostgresBoardStore.open(database.url).then((store) => store.close())
  return { open: () => PostgresBoardStore.open(database.url), dispose: emptied }
})

describe('PostgresBoardStore: what fails keeps nothing', () => {
  const linked: BoardRecord = {
    id: 'links-0001',
    title: 'Retreat',
    template: 'blank',
    createdAt: 1,
  }
  let store: PostgresBoardStore
  beforeAll(async () => {
    store = await PostgresBoardStore.open(database.url)
  })
  afterAll(async () => {
    await store?.close()
  })
  afterEach(async () => {
    await sql(`
      DROP TRIGGER IF EXISTS sabotage ON board_links;
      DROP TRIGGER IF EXISTS sabotage ON boards;
      DROP TRIGGER IF EXISTS sabotage ON board_updates;
      DROP FUNCTION IF EXISTS sabotage;
    `)
    await emptied()
  })

  /** From now on, inserting into `table` fails with SQLSTATE `code` (when `when` holds). */
  const sabotage = (table: string, code: string, when = 'true') =>
    sql(`
      CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF ${when} THEN RAISE EXCEPTION 'injected failure' USING ERRCODE = '${code}'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER sabotage BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION sabotage();
    `)

  it('keeps no board when its links cannot be written', async () => {
    // At the very last row of the transaction, as a crash or a full disk would.
    await sabotage('board_links', 'P0001', "NEW.kind = 'view'")
    await expect(store.createBoard(linked, seedUpdate(linked), newLinkTokens())).rejects.toThrow(
      /injected failure/,
    )
    expect(await store.getBoard(linked.id)).toBeNull()
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(linked.id)).toBeNull()
    expect((await store.loadUpdates(linked.id)).updates).toEqual([])
    expect(await sql('SELECT count(*)::int AS n FROM board_links')).toEqual([{ n: 0 }])
    await sql('DROP TRIGGER sabotage ON board_links')
    // The store is still usable, and the same board can be created afterwards.
    expect(await store.createBoard(linked, seedUpdate(linked), newLinkTokens())).toBe(true)
    expect(await store.getLinks(linked.id)).not.toBeNull()
  })

  it('refuses a board with StorageFullError when PostgreSQL reports a full disk', async () => {
    await sabotage('boards', '53100')
    await expect(store.createBoard(linked, seedUpdate(linked), newLinkTokens())).rejects.toThrow(
      StorageFullError,
    )
    expect(await store.countBoards()).toBe(0)
    expect(await store.getLinks(linked.id)).toBeNull()
  })

  it('a turn the disk cannot take keeps none of it: claims, ballots, notes, updates', async () => {
    await store.createBoard(board, seedUpdate(board))
    // The updates are written last: everything before them in the turn must go too.
    await sabotage('board_updates', '53100')
    await expect(
      store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
        claims: [{ boardId: board.id, client: 5, device: 'device-a' }],
        ballots: [
          { boardId: board.id, sessionId: 'v', participantId: 'ana', ballot: { dots: { a: 1 } } },
        ],
        privateNotes: [
          {
            boardId: board.id,
            participantId: 'ana',
            round: 1,
            noteId: 'shape:n',
            record: { id: 'shape:n', typeName: 'shape', type: 'note', parentId: 'page:p' },
          },
        ],
      }),
    ).rejects.toThrow(StorageFullError)
    expect((await store.loadUpdates(board.id)).updates).toHaveLength(1)
    expect(await store.loadClientOwners(board.id)).toEqual([])
    expect(await store.loadBallots(board.id)).toEqual([])
    expect(await store.loadPrivateNotes(board.id)).toEqual([])
  })
})

describe('PostgresBoardStore: the per-board sequence and fencing (cluster mode)', () => {
  let store: PostgresBoardStore
  beforeAll(async () => {
    store = await PostgresBoardStore.open(database.url)
  })
  afterAll(async () => {
    await store?.close()
  })
  afterEach(emptied)

  const other: BoardRecord = { ...board, id: 'board-other-1' }

  it('numbers each board’s turns 1, 2, 3… with no gap, whatever else commits', async () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seedUpdate(board))
    await store.createBoard(board, Y.encodeStateAsUpdate(doc))
    await store.createBoard(other, seedUpdate(other))
    const numbers: number[] = []
    for (const update of editsOf(doc, 6)) {
      const { boardSeqs } = await store.appendTurn([
        { boardId: board.id, update },
        { boardId: other.id, update: oneEdit() },
      ])
      numbers.push(boardSeqs[0] ?? 0)
      expect(boardSeqs[1]).toBe((boardSeqs[0] ?? 0) + 0) // both boards are at the same count
    }
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7]) // the seed is 1
    expect((await store.boardHeads([board.id])).get(board.id)).toEqual({ boardSeq: 7, epoch: 0 })
    const all = await store.loadCommitted(board.id, 0)
    expect(all.snapshot).toBeNull()
    expect(all.updates.map((row) => row.boardSeq)).toEqual([1, 2, 3, 4, 5, 6, 7])
    const rebuilt = new Y.Doc()
    for (const row of all.updates) Y.applyUpdate(rebuilt, row.data)
    expect(Y.encodeStateVector(rebuilt)).toEqual(Y.encodeStateVector(doc))
  })

  it('after compaction, a reader behind the snapshot gets it, one ahead gets the rows only', async () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seedUpdate(board))
    await store.createBoard(board, Y.encodeStateAsUpdate(doc))
    const { seqs } = await store.appendTurn(
      editsOf(doc, 3).map((update) => ({ boardId: board.id, update })),
    )
    await store.compact(board.id, Y.encodeStateAsUpdate(doc), seqs.at(-1) ?? 0)
    await store.appendTurn([{ boardId: board.id, update: editsOf(doc, 1)[0] as Uint8Array }])
    const behind = await store.loadCommitted(board.id, 2)
    expect(behind.snapshot).not.toBeNull()
    expect(behind.updates.map((row) => row.boardSeq)).toEqual([5])
    expect(behind.upTo).toBe(5)
    const ahead = await store.loadCommitted(board.id, 4)
    expect(ahead.snapshot).toBeNull()
    expect(ahead.updates.map((row) => row.boardSeq)).toEqual([5])
  })

  it('shares one creation budget per address between the processes of a cluster', async () => {
    const other = await PostgresBoardStore.open(database.url)
    try {
      const takes = []
      for (const each of [store, other, store]) takes.push(await each.takeCreationToken('a', 3))
      expect(takes).toEqual([0, 0, 0])
      const wait = await other.takeCreationToken('a', 3)
      // The next token comes an hour / 3 after the first was taken (less the time since).
      expect(wait).toBeGreaterThan(1_190_000)
      expect(wait).toBeLessThanOrEqual(1_200_000)
      expect(await store.takeCreationToken('b', 3)).toBe(0) // another address, its own budget
    } finally {
      await other.close()
    }
  })

  it('a turn under an old epoch keeps nothing and names the board', async () => {
    await store.createBoard(board, seedUpdate(board))
    await sql(`UPDATE board_owners SET epoch = 2 WHERE board_id = '${board.id}'`)
    const turn = store.appendTurn(
      [{ boardId: board.id, update: oneEdit() }],
      { claims: [{ boardId: board.id, client: 9, device: 'device-a' }] },
      new Map([[board.id, 1]]),
    )
    await expect(turn).rejects.toThrow(FencedOutError)
    await expect(turn).rejects.toMatchObject({ boards: [board.id] })
    expect((await store.loadUpdates(board.id)).updates).toHaveLength(1)
    expect(await store.loadClientOwners(board.id)).toEqual([])
    // A ballot alone (no update) is fenced too.
    await expect(
      store.appendTurn(
        [],
        {
          ballots: [
            { boardId: board.id, sessionId: 'v', participantId: 'p', ballot: { dots: { a: 1 } } },
          ],
        },
        new Map([[board.id, 1]]),
      ),
    ).rejects.toThrow(FencedOutError)
    // Under the epoch it holds, the owner commits.
    const held = await store.appendTurn(
      [{ boardId: board.id, update: oneEdit() }],
      {},
      new Map([[board.id, 2]]),
    )
    expect(held.boardSeqs).toEqual([2])
  })
})
