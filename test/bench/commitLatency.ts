/**
 * Commit latency, PostgreSQL against SQLite, in process: the time `appendUpdates` takes per turn
 * as the server calls it (one transaction per event-loop turn, one merged update per board that
 * changed, commits one after another), which is what every broadcast waits for. Two turns:
 * one board with one note edit (a quiet room), and a busy one (8 boards, a claim and 4 ballots).
 * SQLite in a temporary directory (WAL, synchronous=FULL); PostgreSQL in a database of the
 * bench's own on this machine's server (synchronous_commit on), dropped after. Beside each
 * commit's time, how long the call held the main thread before it returned its promise (the
 * event loop blocked: all of a commit when the fsync ran on the main thread; SQLite's commits
 * now run on a writer thread, PostgreSQL's on the network). Also alone:
 * `node bench/commitLatency.ts [--quick]` from `test/`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import * as Y from 'yjs'
import { seedUpdate } from '../../server/src/boards.ts'
import type {
  BoardRecord,
  BoardStore,
  KeptWithTurn,
  PendingUpdate,
} from '../../server/src/store/BoardStore.ts'
import { PostgresBoardStore } from '../../server/src/store/PostgresBoardStore.ts'
import { SqliteBoardStore } from '../../server/src/store/SqliteBoardStore.ts'
import { createDatabase } from '../support/postgres.ts'
import { type Measurement, percentile, printTable } from './report.ts'

const suite = 'commit latency'
const BOARDS = 8

interface Turn {
  batch: PendingUpdate[]
  kept: KeptWithTurn
}

/** Boards as people edit them: each a doc whose note edits become the turns' updates. */
function editors(boards: readonly BoardRecord[]) {
  return boards.map((board) => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seedUpdate(board))
    const records = openBoardDoc(doc).records
    let edits = 0
    return () => {
      const before = Y.encodeStateVector(doc)
      const id = `n${edits % 40}`
      records.set(`shape:${id}`, note(id, `Idea ${edits++}`, { x: (edits % 8) * 220, y: 0 }))
      return { boardId: board.id, update: Y.encodeStateAsUpdate(doc, before) }
    }
  })
}

function turns(boards: readonly BoardRecord[], busy: boolean, count: number): Turn[] {
  const edit = editors(boards)
  return Array.from({ length: count }, (_, t) => {
    if (!busy) return { batch: [(edit[0] as () => PendingUpdate)()], kept: {} }
    const first = boards[0] as BoardRecord
    return {
      batch: edit.map((next) => next()),
      kept: {
        claims: [{ boardId: first.id, client: 1_000_000 + t, device: `device-${t}` }],
        ballots: Array.from({ length: 4 }, (_, v) => ({
          boardId: first.id,
          sessionId: 'burst',
          participantId: `voter-${(t * 4 + v) % 60}`,
          ballot: { dots: { [`shape:issue-${t % 12}`]: 1 + (v % 3) } },
        })),
      },
    }
  })
}

interface CommitTimes {
  /** Milliseconds from the call to the commit resolving. */
  times: number[]
  /** Milliseconds the call took before returning its promise: the event loop blocked. */
  blocked: number[]
}

/** Each turn's commit, one after another as the commit queue runs them. */
async function commitTimes(store: BoardStore, busy: boolean, count: number): Promise<CommitTimes> {
  const stamp = Date.now()
  const boards: BoardRecord[] = Array.from({ length: BOARDS }, (_, i) => ({
    id: `bench-${busy ? 'busy' : 'quiet'}-${stamp}-${i}`,
    title: 'Bench',
    template: 'blank',
    createdAt: stamp,
  }))
  for (const board of boards) await store.createBoard(board, seedUpdate(board))
  const times: number[] = []
  const blocked: number[] = []
  for (const { batch, kept } of turns(boards, busy, count)) {
    const started = performance.now()
    const commit = store.appendUpdates(batch, kept)
    blocked.push(performance.now() - started)
    await commit
    times.push(performance.now() - started)
  }
  return { times, blocked }
}

async function measure(name: string, store: BoardStore, count: number): Promise<Measurement[]> {
  await commitTimes(store, false, Math.min(100, count)) // warm up: JIT, caches, prepared plans
  const rows: Measurement[] = []
  for (const busy of [false, true]) {
    const { times, blocked } = await commitTimes(store, busy, count)
    const turn = busy ? `busy turn (${BOARDS} boards, a claim, 4 ballots)` : 'one note edit'
    const total = times.reduce((sum, time) => sum + time, 0)
    rows.push(
      { suite, metric: `${name}: ${turn}, p50`, value: us(percentile(times, 50)), unit: 'µs' },
      { suite, metric: `${name}: ${turn}, p99`, value: us(percentile(times, 99)), unit: 'µs' },
      {
        suite,
        metric: `${name}: ${turn}, event loop blocked p50`,
        value: us(percentile(blocked, 50)),
        unit: 'µs',
      },
      {
        suite,
        metric: `${name}: ${turn}, event loop blocked p99`,
        value: us(percentile(blocked, 99)),
        unit: 'µs',
      },
      {
        suite,
        metric: `${name}: ${turn}, commits/s`,
        value: Math.round(times.length / (total / 1000)),
        unit: '/s',
        note: `${times.length} turns in a row`,
      },
    )
  }
  return rows
}

const us = (ms: number) => Math.round(ms * 1000)

export async function commitLatencyBench(quick: boolean): Promise<Measurement[]> {
  const count = quick ? 300 : 2_000
  const dir = mkdtempSync(path.join(tmpdir(), 'cg-bench-commit-'))
  const database = await createDatabase()
  try {
    const sqlite = new SqliteBoardStore(dir)
    const sqliteRows = await measure('SQLite', sqlite, count).finally(() => sqlite.close())
    const postgres = await PostgresBoardStore.open(database.url)
    const postgresRows = await measure('PostgreSQL', postgres, count).finally(() =>
      postgres.close(),
    )
    return [...sqliteRows, ...postgresRows]
  } finally {
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await commitLatencyBench(process.argv.includes('--quick')))
}
