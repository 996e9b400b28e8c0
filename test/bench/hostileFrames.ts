/**
 * What refusing hostile frames costs the server, in process (issue 14), in the harness style of
 * writeReview.ts: one room on a MemoryBoardStore with the access hooks, a sender connection (a
 * view or an edit link) and a watcher connection. For each frame: the time `room.receive` takes
 * until it returns or throws, then what the room's commit queue sends to the watcher and back to
 * the sender, and what it stores, once `rooms.queue.flush()` has run.
 *
 * Frames (a fresh room each repetition, so strikes and state never carry over):
 * - `view note 1 MiB`: a view link sends one note record whose text fills a 1 MiB frame;
 * - `edit plan 1 MiB`: an edit link sets a plan text field to an object (a string is expected)
 *   holding a string that fills a 1 MiB frame;
 * - `view delete 200 records`: a view link sends a delete set over the board's 200 notes (a few
 *   bytes that the apply-then-revert review answered by writing the 200 records again);
 * - `edit delete 40,000 plan entries`: an edit link deletes 40,000 plan entries in one update
 *   (accepted; the apply-then-revert review looked each deletion up in a list: quadratic);
 * - `view set+delete map keys`: a view link sets many plan keys (unknown ones) and deletes every
 *   other one in the same update (many delete ranges over the update's own structs), filling
 *   ≤ 1 MiB; `edit set+delete map keys`: the same from an edit link (refused as invalid, and not
 *   closed for it).
 *
 * Only uses what both the apply-then-revert and the read-first review have (Rooms, Room.receive,
 * MemoryBoardStore, accessHooks, MemoryLinkStore), so the file also runs against older trees.
 */

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { newParticipantSecret, openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { PLAN, seedBoard } from '@common-ground/shared/plan'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { accessHooks } from '../../server/src/access/access.ts'
import { MemoryLinkStore } from '../../server/src/access/LinkStore.ts'
import { createLogger } from '../../server/src/log.ts'
import { MemoryBoardStore } from '../../server/src/store/MemoryBoardStore.ts'
import { Connection, type Socket } from '../../server/src/sync/Connection.ts'
import { runOnConnect, type SyncHooks } from '../../server/src/sync/hooks.ts'
import { updateMessage } from '../../server/src/sync/protocol.ts'
import type { Room } from '../../server/src/sync/Room.ts'
import { Rooms } from '../../server/src/sync/Rooms.ts'
import { type Measurement, median } from './report.ts'

const BOARD = 'bench-hostile-1'
/** The server's default MAX_FRAME_BYTES: `ws` closes the socket on anything bigger. */
export const FRAME_BYTES = 1_048_576

type Link = 'edit' | 'view'

// Building a frame leaves megabytes of garbage: collected before each timed `receive` (and the
// sweeping that follows given time to end), so work it did not cause does not land in it.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

interface Counter {
  bytes: number
  messages: number
}

interface Harness {
  rooms: Rooms
  room: Room
  store: MemoryBoardStore
  connect(link: Link, counter: Counter): Promise<Connection>
  storedBytes(): number
  close(): Promise<void>
}

function countingSocket(counter: Counter): Socket {
  return {
    isOpen: true,
    send(data: Uint8Array) {
      counter.bytes += data.byteLength
      counter.messages += 1
    },
    close() {},
  }
}

/** A board seeded like the real ones (retreat template), plus whatever `prepare` adds. */
async function harness(prepare?: (doc: Y.Doc) => void): Promise<Harness> {
  const store = new MemoryBoardStore()
  const seed = new Y.Doc()
  seedBoard(seed, { title: 'Bench', createdAt: 1, template: 'retreat' })
  prepare?.(seed)
  await store.createBoard(
    { id: BOARD, title: 'Bench', template: 'retreat', createdAt: 1 },
    Y.encodeStateAsUpdate(seed),
  )
  seed.destroy()
  const links = new MemoryLinkStore()
  const tokens = await links.create(BOARD)
  const hooks: SyncHooks[] = [accessHooks(links)]
  const rooms = new Rooms({
    store,
    log: createLogger({ level: 'error', write: () => {} }),
    hooks,
    graceMs: 60_000,
    compactAfterUpdates: 1_000_000,
  })
  let room: Room | null = null
  const connect = async (link: Link, counter: Counter): Promise<Connection> => {
    const params = new URLSearchParams({ token: tokens[link], participant: newParticipantSecret() })
    const connection = new Connection(countingSocket(counter), {
      boardId: BOARD,
      remoteAddress: `bench-${link}`,
      params,
    })
    const refusal = await runOnConnect(hooks, connection)
    if (refusal) throw new Error(`the ${link} link was refused: ${JSON.stringify(refusal)}`)
    room = (await rooms.join(connection)) as Room
    return connection
  }
  // Load the room once (a watcher that stays), so `room` is known before any frame is built.
  const loader = { bytes: 0, messages: 0 }
  await connect('edit', loader)
  await rooms.queue.flush()
  return {
    rooms,
    get room() {
      return room as Room
    },
    store,
    connect,
    storedBytes: () =>
      (store.boards.get(BOARD)?.updates ?? []).reduce((sum, u) => sum + u.data.byteLength, 0),
    close: () => rooms.close(1012, 'bench over'),
  }
}

/** A client holding the board as the room has it; its updates are collected as sync messages. */
function clientOf(room: Room): { doc: Y.Doc; frames: Uint8Array[] } {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const frames: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => frames.push(updateMessage(update)))
  return { doc, frames }
}

/** The one frame `change` makes the client send. */
function frameOf(room: Room, change: (doc: Y.Doc) => void): Uint8Array {
  const client = clientOf(room)
  client.doc.transact(() => change(client.doc))
  client.doc.destroy()
  if (client.frames.length !== 1) throw new Error(`expected one frame, got ${client.frames.length}`)
  return client.frames[0] as Uint8Array
}

/**
 * About the largest frame `build(size)` makes that still fits in `limit` bytes (within 64 B when
 * `build` grows about byte for byte with `size`, as a string's length does; a few corrections).
 */
function fitFrame(limit: number, build: (size: number) => Uint8Array): Uint8Array {
  let size = limit - 8_192
  let best: Uint8Array | undefined
  for (let i = 0; i < 12; i++) {
    const frame = build(size)
    if (frame.byteLength <= limit && (!best || frame.byteLength > best.byteLength)) best = frame
    const gap = limit - frame.byteLength
    if (gap >= 0 && gap < 64) break
    size += gap >= 0 ? gap : gap - 64
  }
  if (!best) throw new Error(`no frame under ${limit} B`)
  return best
}

/** How many structs and delete ranges the update in a sync frame holds. */
function describeFrame(frame: Uint8Array): string {
  const decoder = decoding.createDecoder(frame)
  decoding.readVarUint(decoder) // sync
  decoding.readVarUint(decoder) // update
  const { structs, ds } = Y.decodeUpdate(decoding.readVarUint8Array(decoder)) as unknown as {
    structs: unknown[]
    ds: { clients: Map<number, unknown[]> }
  }
  let ranges = 0
  for (const list of ds.clients.values()) ranges += list.length
  return `${structs.length} structs, ${ranges} delete ranges`
}

export interface FrameResult {
  /** `room.receive` until it returned or threw. */
  receiveMs: number
  /** `rooms.queue.flush()` afterwards: storing and sending what the frame caused. */
  flushMs: number
  frameBytes: number
  /** Structs and delete ranges of the update. */
  frameHolds: string
  watcherBytes: number
  senderBytes: number
  storedBytes: number
  /** `returned`, or the close code it threw with. */
  outcome: string
}

interface Case {
  name: string
  link: Link
  prepare?: (doc: Y.Doc) => void
  frame(room: Room): Uint8Array
  /** Throws when the room did not end up as expected (the bench would measure the wrong thing). */
  check(room: Room): void
}

async function runCase(testCase: Case): Promise<FrameResult> {
  const bench = await harness(testCase.prepare)
  try {
    const watcher = { bytes: 0, messages: 0 }
    const sent = { bytes: 0, messages: 0 }
    await bench.connect('edit', watcher)
    const sender = await bench.connect(testCase.link, sent)
    await bench.rooms.queue.flush()
    const frame = testCase.frame(bench.room)
    watcher.bytes = 0
    sent.bytes = 0
    const storedBefore = bench.storedBytes()
    collectGarbage()
    await new Promise((resolve) => setTimeout(resolve, 100)) // concurrent sweeping finishes
    let outcome = 'returned'
    const started = performance.now()
    try {
      bench.room.receive(sender, frame)
    } catch (error) {
      outcome = `closed ${(error as { code?: number }).code ?? (error as Error).message}`
    }
    const receiveMs = performance.now() - started
    const flushFrom = performance.now()
    await bench.rooms.queue.flush()
    const flushMs = performance.now() - flushFrom
    testCase.check(bench.room)
    return {
      receiveMs,
      flushMs,
      frameBytes: frame.byteLength,
      frameHolds: describeFrame(frame),
      watcherBytes: watcher.bytes,
      senderBytes: sent.bytes,
      storedBytes: bench.storedBytes() - storedBefore,
      outcome,
    }
  } finally {
    await bench.close()
  }
}

const HUGE_NOTE = 'shape:hostile'
const NOTES = 200
const PLAN_ENTRIES = 40_000

function cases(scale: number): Case[] {
  const frameLimit = Math.round(FRAME_BYTES * scale)
  const planEntries = Math.round(PLAN_ENTRIES * scale)
  const noteIds = Array.from({ length: NOTES }, (_, i) => `n${i}`)
  const roleKey = (i: number) => `structure/roles/r${i}`
  return [
    {
      name: 'view note 1 MiB',
      link: 'view',
      frame: (room) =>
        fitFrame(frameLimit, (size) =>
          frameOf(room, (doc) => {
            openBoardDoc(doc).records.set(HUGE_NOTE, note('hostile', 'x'.repeat(size)))
          }),
        ),
      check(room) {
        if (openBoardDoc(room.doc).records.get(HUGE_NOTE) !== undefined) {
          throw new Error('the hostile note was kept')
        }
      },
    },
    {
      name: 'edit plan 1 MiB',
      link: 'edit',
      frame: (room) =>
        fitFrame(frameLimit, (size) =>
          frameOf(room, (doc) => {
            doc.getMap(PLAN).set('community/needs', { text: 'x'.repeat(size) })
          }),
        ),
      check(room) {
        if (room.doc.getMap(PLAN).get('community/needs') !== undefined) {
          throw new Error('the invalid plan entry was kept')
        }
      },
    },
    {
      name: `view delete ${NOTES} records`,
      link: 'view',
      prepare(doc) {
        const board = openBoardDoc(doc)
        doc.transact(() => {
          for (const [i, id] of noteIds.entries()) {
            board.records.set(`shape:${id}`, note(id, `Idea ${i}`, { x: i * 10, y: 0 }))
          }
        })
      },
      frame: (room) =>
        frameOf(room, (doc) => {
          const board = openBoardDoc(doc)
          for (const id of noteIds) board.records.delete(`shape:${id}`)
        }),
      check(room) {
        const records = openBoardDoc(room.doc).records
        if (noteIds.some((id) => records.get(`shape:${id}`) === undefined)) {
          throw new Error('a note was deleted')
        }
      },
    },
    {
      name: `edit delete ${planEntries.toLocaleString('en')} plan entries`,
      link: 'edit',
      prepare(doc) {
        const plan = doc.getMap(PLAN)
        doc.transact(() => {
          for (let i = 0; i < planEntries; i++) {
            plan.set(roleKey(i), { role: 'other', holder: `Holder ${i}`, note: '' })
          }
        })
      },
      frame: (room) =>
        frameOf(room, (doc) => {
          const plan = doc.getMap(PLAN)
          for (let i = 0; i < planEntries; i++) plan.delete(roleKey(i))
        }),
      check(room) {
        const left = room.doc.getMap(PLAN).size
        if (left !== 0) throw new Error(`the deletion was not applied (${left} entries left)`)
      },
    },
    ...(['view', 'edit'] as const).map(
      (link): Case => ({
        name: `${link} set+delete map keys`,
        link,
        frame: (room) =>
          fitFrame(frameLimit, (size) =>
            frameOf(room, (doc) => {
              // About 17 bytes a key: `size / 17` keys, every other one deleted in the same update.
              const plan = doc.getMap(PLAN)
              const keys = Math.max(2, Math.floor(size / 17))
              for (let i = 0; i < keys; i++) plan.set(`k${i}`, 1)
              for (let i = 0; i < keys; i += 2) plan.delete(`k${i}`)
            }),
          ),
        check(room) {
          if (room.doc.getMap(PLAN).get('k1') !== undefined) throw new Error('a key was kept')
        },
      }),
    ),
  ]
}

export interface HostileResult {
  name: string
  runs: FrameResult[]
}

/**
 * Each case `repeats` times (a fresh room each), after one small warm-up run of each; `only`
 * picks cases by name.
 */
export async function hostileFramesRuns(
  quick: boolean,
  log: (line: string) => void = () => {},
  only: (name: string) => boolean = () => true,
): Promise<HostileResult[]> {
  for (const testCase of cases(0.05)) if (only(testCase.name)) await runCase(testCase)
  const results: HostileResult[] = []
  for (const testCase of cases(1)) {
    if (!only(testCase.name)) continue
    const repeats = quick ? 3 : testCase.name.startsWith('edit delete') ? 5 : 9
    const runs: FrameResult[] = []
    for (let i = 0; i < repeats; i++) runs.push(await runCase(testCase))
    results.push({ name: testCase.name, runs })
    const times = runs.map((run) => run.receiveMs)
    log(
      `  ${testCase.name}: receive ${median(times).toFixed(2)} ms (${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)}), watcher ${runs[0]?.watcherBytes} B, ${runs[0]?.outcome}`,
    )
  }
  return results
}

export async function hostileFramesBench(quick: boolean): Promise<Measurement[]> {
  const rows: Measurement[] = []
  for (const { name, runs } of await hostileFramesRuns(quick)) {
    const suite = `hostile: ${name}`
    const first = runs[0] as FrameResult
    const times = runs.map((run) => run.receiveMs)
    const flushes = runs.map((run) => run.flushMs)
    const range = (values: number[]) =>
      `min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)} ms, ${values.length} runs`
    rows.push(
      {
        suite,
        metric: 'room.receive (median)',
        value: Math.round(median(times) * 100) / 100,
        unit: 'ms',
        note: `${range(times)}; ${first.outcome}`,
      },
      {
        suite,
        metric: 'commit queue flush after it (median)',
        value: Math.round(median(flushes) * 100) / 100,
        unit: 'ms',
        note: range(flushes),
      },
      { suite, metric: 'frame size', value: first.frameBytes, unit: 'B', note: first.frameHolds },
      { suite, metric: 'bytes sent to a watcher', value: first.watcherBytes, unit: 'B' },
      { suite, metric: 'bytes sent back to the sender', value: first.senderBytes, unit: 'B' },
      { suite, metric: 'bytes stored', value: first.storedBytes, unit: 'B' },
    )
  }
  return rows
}
