/**
 * The writer thread for real: a worker with its own connection to a file on disk, read back
 * through the store's main connection and through connections of the test's own.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { seedUpdate } from '../boards.ts'
import { StorageFullError } from './BoardStore.ts'
import { board, oneEdit } from './boardStore.contract.ts'
import { DATABASE_FILE, SqliteBoardStore } from './SqliteBoardStore.ts'
import { SqliteWriter, WriterStoppedError } from './SqliteWriter.ts'

const dirs: string[] = []
const closing: Array<{ close(): unknown }> = []
afterEach(async () => {
  for (const each of closing.splice(0)) await each.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-writer-'))
  dirs.push(dir)
  return dir
}

async function storeWithBoard(options?: { maxDatabaseBytes?: number }) {
  const dir = tempDir()
  const store = new SqliteBoardStore(dir, options)
  closing.push(store)
  await store.createBoard(board, seedUpdate(board))
  return { dir, store, file: path.join(dir, DATABASE_FILE) }
}

const rowsOf = (file: string) => {
  const db = new DatabaseSync(file)
  try {
    return Number(db.prepare('SELECT count(*) AS n FROM board_updates').get()?.n)
  } finally {
    db.close()
  }
}

describe('SqliteWriter: turns committed on a thread of their own', () => {
  it('commits while another connection holds the write lock, without blocking the event loop', async () => {
    const { store, file } = await storeWithBoard()
    const holder = new DatabaseSync(file)
    holder.exec('BEGIN IMMEDIATE') // another writer (a compaction, a backup) in the middle of a write
    const commit = store.appendUpdates([{ boardId: board.id, update: oneEdit() }], {
      claims: [{ boardId: board.id, client: 7, device: 'device-a' }],
    })
    let settled = false
    commit.finally(() => (settled = true)).catch(() => {})
    // On the main thread this would have blocked right here until the lock's busy timeout.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(settled).toBe(false)
    holder.exec('COMMIT')
    holder.close()
    const [seq] = await commit
    // Resolved after COMMIT: the main connection reads the row and its claim right away.
    const { updates } = await store.loadUpdates(board.id)
    expect(updates.at(-1)?.seq).toBe(seq)
    expect(await store.loadClientOwners(board.id)).toEqual([[7, 'device-a']])
  })

  it('copies the caller’s bytes: a view is stored as the view alone, a pooled Buffer stays usable', async () => {
    const { store } = await storeWithBoard()
    const edit = oneEdit()
    const received = new Uint8Array(edit.byteLength + 20)
    received.set(edit, 10)
    const view = received.subarray(10, 10 + edit.byteLength)
    const pooled = Buffer.from(edit) // small Buffers share Node's pool, which must stay usable
    await store.appendUpdates([
      { boardId: board.id, update: view },
      { boardId: board.id, update: pooled },
    ])
    // Not detached: the commit queue broadcasts them afterwards.
    expect(view).toEqual(edit)
    expect(new Uint8Array(pooled)).toEqual(edit)
    expect(Buffer.from('still a usable pool').toString()).toBe('still a usable pool')
    const { updates } = await store.loadUpdates(board.id)
    expect(updates.slice(-2).map((update) => update.data)).toEqual([edit, edit])
  })

  it('rejects a full disk with StorageFullError, storing nothing of the turn', async () => {
    const { dir, store: first, file } = await storeWithBoard()
    await first.close()
    const raw = new DatabaseSync(file)
    const used = Number(Object.values(raw.prepare('PRAGMA page_count').get() ?? {})[0])
    const pageSize = Number(Object.values(raw.prepare('PRAGMA page_size').get() ?? {})[0])
    raw.close()
    // Room for a few small turns, not for a big one (MAX_DATABASE_BYTES, as a full disk).
    const store = new SqliteBoardStore(dir, { maxDatabaseBytes: (used + 16) * pageSize })
    closing.push(store)
    const before = rowsOf(file)
    const big = new Uint8Array(256 * 1024).fill(7)
    await expect(
      store.appendUpdates([
        { boardId: board.id, update: oneEdit() },
        { boardId: board.id, update: big },
      ]),
    ).rejects.toThrow(StorageFullError)
    expect(rowsOf(file)).toBe(before)
    // The store goes on: a turn that fits is stored.
    expect(await store.appendUpdates([{ boardId: board.id, update: oneEdit() }])).toHaveLength(1)
  })

  it('rejects a turn SQLite refuses with its error and code, storing nothing of it', async () => {
    const { store, file } = await storeWithBoard()
    const before = rowsOf(file)
    const failed = store.appendUpdates([
      { boardId: board.id, update: oneEdit() },
      { boardId: 'board-none', update: oneEdit() }, // no such board: the foreign key refuses it
    ])
    await expect(failed).rejects.toThrow(/FOREIGN KEY/)
    await expect(failed).rejects.toMatchObject({ errcode: 787 })
    expect(rowsOf(file)).toBe(before)
  })

  it('compacts on the writer thread too, after the commits sent before it', async () => {
    const { store, file } = await storeWithBoard()
    const holder = new DatabaseSync(file)
    holder.exec('BEGIN IMMEDIATE')
    const commit = store.appendUpdates([{ boardId: board.id, update: oneEdit() }])
    // Covers every row there is by the time it runs: the commit above must be one of them.
    const compaction = store.compact(board.id, new Uint8Array([9]), Number.MAX_SAFE_INTEGER)
    let settled = false
    compaction.finally(() => (settled = true)).catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(settled).toBe(false) // waiting for the lock, without blocking the event loop
    holder.exec('COMMIT')
    holder.close()
    await Promise.all([commit, compaction])
    const { snapshot, updates } = await store.loadUpdates(board.id)
    expect(snapshot?.data).toEqual(new Uint8Array([9]))
    expect(updates).toEqual([])
  })

  it('answers every commit sent before close, then stops the thread', async () => {
    const { dir, store } = await storeWithBoard()
    const commits = Array.from({ length: 20 }, () =>
      store.appendUpdates([{ boardId: board.id, update: oneEdit() }]),
    )
    await store.close()
    const seqs = (await Promise.all(commits)).flat()
    expect(new Set(seqs).size).toBe(20)
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y)) // in the order sent
    await expect(store.appendUpdates([{ boardId: board.id, update: oneEdit() }])).rejects.toThrow(
      /closed/,
    )
    const reopened = new SqliteBoardStore(dir)
    closing.push(reopened)
    const stored = (await reopened.loadUpdates(board.id)).updates.map((update) => update.seq)
    expect(stored.slice(-20)).toEqual(seqs)
  })

  it('rejects the commits in flight when the thread dies, and starts a new one for the next', async () => {
    const { file, store } = await storeWithBoard()
    // The real worker, behind a listener that kills the thread on a turn for 'board-crash'.
    const real = new URL('./sqliteWriter.worker.js', import.meta.url).href
    const entry = new URL(
      `data:text/javascript,${encodeURIComponent(`
        import { parentPort } from 'node:worker_threads'
        parentPort.on('message', (request) => {
          if (request.batch?.[0]?.boardId === 'board-crash') process.exit(70)
        })
        await import(${JSON.stringify(real)})
      `)}`,
    )
    const writer = new SqliteWriter({ file }, entry)
    closing.push(writer)
    const before = rowsOf(file)
    const crashed = writer.append([{ boardId: 'board-crash', update: oneEdit() }], {})
    await expect(crashed).rejects.toThrow(WriterStoppedError)
    await expect(crashed).rejects.toThrow(/exit code 70/)
    expect(rowsOf(file)).toBe(before)
    // A new thread takes the next commit, and the dead one left no lock behind.
    const [seq] = await writer.append([{ boardId: board.id, update: oneEdit() }], {})
    expect((await store.loadUpdates(board.id)).updates.at(-1)?.seq).toBe(seq)
    await store.compact(board.id, new Uint8Array([1]), Number(seq))
  })
})

/** This process's threads named `sqlite-writer` (Linux names a worker's thread after it). */
function writerThreads(): number {
  return readdirSync('/proc/self/task').filter(
    (task) => readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'sqlite-writer',
  ).length
}

describe('SqliteWriter: started before the first commit', () => {
  it('ready() starts the thread, which then takes the commits; close() stops it', async () => {
    const { store } = await storeWithBoard()
    expect(writerThreads()).toBe(0) // made and filled a board, committed nothing: no thread yet
    await store.ready()
    expect(writerThreads()).toBe(1)
    const [seq] = await store.appendUpdates([{ boardId: board.id, update: oneEdit() }])
    expect((await store.loadUpdates(board.id)).updates.at(-1)?.seq).toBe(seq)
    expect(writerThreads()).toBe(1) // the same thread
    await store.close()
    expect(writerThreads()).toBe(0)
  })
})

describe('SqliteWriter: the process exits once the store is done', () => {
  const script = (close: boolean) => `
    import { mkdtempSync } from 'node:fs'
    import { tmpdir } from 'node:os'
    import path from 'node:path'
    import { SqliteBoardStore } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, 'SqliteBoardStore.ts')).href)}
    const store = new SqliteBoardStore(mkdtempSync(path.join(tmpdir(), 'cg-writer-exit-')))
    await store.createBoard({ id: 'board-exit', title: 'Exit', template: 'blank', createdAt: 1 })
    const pending = store.appendUpdates([{ boardId: 'board-exit', update: new Uint8Array([0, 0]) }])
    ${close ? 'await store.close()' : ''}
    console.log('seqs', JSON.stringify(await pending))
  `

  for (const close of [true, false]) {
    it(
      close ? 'after close()' : 'without close(): an idle writer thread keeps nothing alive',
      async () => {
        const file = path.join(tempDir(), 'store-user.mjs')
        writeFileSync(file, script(close))
        const child = spawn(process.execPath, [file], {
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let output = ''
        child.stdout.on('data', (chunk) => (output += chunk))
        child.stderr.on('data', (chunk) => (output += chunk))
        const code = await new Promise((resolve) => child.on('exit', resolve))
        expect(output).toContain('seqs [1]')
        expect(code).toBe(0)
      },
    )
  }
})
