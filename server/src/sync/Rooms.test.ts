import {
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  openBoardDoc,
  readBoardMeta,
  SYNC_STEP2,
} from '@common-ground/shared/board'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { seedUpdate } from '../boards.ts'
import { createLogger } from '../log.ts'
import type { PendingUpdate, StoredBoardState } from '../store/BoardStore.ts'
import { MemoryBoardStore } from '../store/MemoryBoardStore.ts'
import { Connection, type Socket } from './Connection.ts'
import type { SyncHooks } from './hooks.ts'
import { awarenessMessage, ProtocolError, syncStep1Message, updateMessage } from './protocol.ts'
import { SERVER_ORIGIN } from './Room.ts'
import { ChangeNotStoredError, Rooms } from './Rooms.ts'
import { readServerFrame } from './testRooms.ts'

const BOARD = 'board-test-1'

/** One shared timeline of what the store and the sockets saw, to check their order. */
type Timeline = string[]

class RecordingStore extends MemoryBoardStore {
  timeline: Timeline
  loads = 0
  failNextCommit = false
  /** While held, loads and commits wait. */
  gate: Promise<void> | null = null
  #release = () => {}

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.#release = resolve
    })
  }

  release(): void {
    this.gate = null
    this.#release()
  }

  constructor(timeline: Timeline) {
    super()
    this.timeline = timeline
  }

  override async loadUpdates(id: string): Promise<StoredBoardState> {
    this.loads++
    await this.gate
    return super.loadUpdates(id)
  }

  override async appendUpdates(batch: readonly PendingUpdate[]): Promise<number[]> {
    await this.gate
    if (this.failNextCommit) {
      this.failNextCommit = false
      this.timeline.push('commit failed')
      throw new Error('SQLITE_FULL: database or disk is full')
    }
    const seqs = await super.appendUpdates(batch)
    this.timeline.push(`commit ${batch.length}`)
    return seqs
  }
}

/** A socket that records what it is sent; `doc` mirrors what a y-websocket client would hold. */
class FakeSocket implements Socket {
  isOpen = true
  closedWith: { code: number; reason: string } | null = null
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc())
  readonly name: string
  readonly timeline: Timeline
  /** The updates of every sync step 2 it was sent, as sent. */
  readonly step2s: Uint8Array[] = []

  constructor(name: string, timeline: Timeline) {
    this.name = name
    this.timeline = timeline
  }

  send(data: Uint8Array): void {
    const { type, step, update, decoder } = readServerFrame(data)
    if (step !== null) {
      this.timeline.push(`${this.name} <- ${['step1', 'step2', 'update'][step]}`)
      if (update) Y.applyUpdate(this.doc, update)
      if (update && step === SYNC_STEP2) this.step2s.push(update)
    } else if (type === MESSAGE_AWARENESS) {
      this.timeline.push(`${this.name} <- awareness`)
      awarenessProtocol.applyAwarenessUpdate(
        this.awareness,
        decoding.readVarUint8Array(decoder),
        'server',
      )
    }
  }

  close(code: number, reason: string): void {
    this.isOpen = false
    this.closedWith = { code, reason }
  }
}

/** Rooms over `store` with the defaults of `setup`, logging nothing, closed after the test. */
function quietRooms(store: RecordingStore): Rooms {
  const rooms = new Rooms({
    store,
    log: createLogger({ level: 'error', write: () => {} }),
    hooks: [],
    graceMs: 60_000,
    compactAfterUpdates: 500,
  })
  cleanups.push(() => rooms.close(CLOSE.serviceRestart, 'test over'))
  return rooms
}

function setup(
  options: {
    graceMs?: number
    compactAfterUpdates?: number
    hooks?: SyncHooks[]
    /** Receives every log line at info level and above. */
    logLines?: Record<string, unknown>[]
  } = {},
) {
  const timeline: Timeline = []
  const store = new RecordingStore(timeline)
  // Boards come from the API only; the memory store takes this one synchronously.
  const board = { id: BOARD, title: 'Untitled board', template: 'blank', createdAt: 1 } as const
  void store.createBoard(board, seedUpdate(board))
  const { logLines } = options
  const rooms = new Rooms({
    store,
    log: logLines
      ? createLogger({ level: 'info', write: (line) => logLines.push(JSON.parse(line)) })
      : createLogger({ level: 'error', write: () => {} }),
    hooks: options.hooks ?? [],
    graceMs: options.graceMs ?? 60_000,
    compactAfterUpdates: options.compactAfterUpdates ?? 500,
  })
  const connect = (name: string) => {
    const socket = new FakeSocket(name, timeline)
    const connection = new Connection(socket, { boardId: BOARD, remoteAddress: name })
    return { socket, connection }
  }
  cleanups.push(() => {
    store.release()
    return rooms.close(CLOSE.serviceRestart, 'test over')
  })
  return { timeline, store, rooms, connect }
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** `setup()` with A and B joined and everything they were sent so far flushed off the timeline. */
async function twoJoined() {
  const { timeline, store, rooms, connect } = setup()
  const a = connect('A')
  const b = connect('B')
  const room = await rooms.join(a.connection)
  await rooms.join(b.connection)
  await rooms.queue.flush()
  timeline.length = 0
  return { timeline, store, rooms, connect, a, b, room }
}

/** An edit made on a client doc, as the update message the client would send. */
function clientEdit(doc: Y.Doc, key: string, value: string): Uint8Array {
  let update: Uint8Array | null = null
  const capture = (u: Uint8Array) => {
    update = u
  }
  doc.on('update', capture)
  doc.getMap<string>('notes').set(key, value)
  doc.off('update', capture)
  if (!update) throw new Error('no update')
  return updateMessage(update)
}

const untilTrue = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  expect(check()).toBe(true)
}

describe('rooms', () => {
  it('migrates a board’s plan data of an older version when it loads, as a stored change', async () => {
    const timeline: Timeline = []
    const store = new RecordingStore(timeline)
    const board = { id: BOARD, title: 'Untitled board', template: 'blank', createdAt: 1 } as const
    // A board saved by the app of plan version 1: an indicator without the later fields.
    const old = new Y.Doc()
    Y.applyUpdate(old, seedUpdate(board))
    old.getMap('meta').set('planSchemaVersion', 1)
    const indicator = { name: 'Families enrolled', kind: 'quantitative', dataSource: 'Intake' }
    old.getMap('plan').set('evaluation/indicators/i1', indicator)
    await store.createBoard(board, Y.encodeStateAsUpdate(old))
    const rooms = quietRooms(store)
    const socket = new FakeSocket('A', timeline)
    const room = await rooms.join(new Connection(socket, { boardId: BOARD, remoteAddress: 'A' }))
    const migrated = {
      ...indicator,
      organization: null,
      unit: '',
      baseline: null,
      target: null,
      frequency: null,
    }
    expect(room?.doc.getMap('meta').get('planSchemaVersion')).toBe(2)
    expect(room?.doc.getMap('plan').get('evaluation/indicators/i1')).toEqual(migrated)
    // Kept by the store: a fresh load holds the migrated entry.
    await rooms.queue.flush()
    const stored = await store.loadUpdates(BOARD)
    const again = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(again, stored.snapshot.data)
    for (const update of stored.updates) Y.applyUpdate(again, update.data)
    expect(again.getMap('plan').get('evaluation/indicators/i1')).toEqual(migrated)
  })

  it('commits an update before relaying it or answering a sync with it', async () => {
    const { timeline, store, rooms, a, b, room } = await twoJoined()

    store.hold()
    room?.receive(a.connection, clientEdit(a.socket.doc, 'n1', 'hello'))
    room?.receive(b.connection, syncStep1Message(b.socket.doc))
    // A whole event-loop turn later the commit is still in flight: nothing may have left.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(timeline).toEqual([])
    store.release()
    await rooms.queue.flush()

    // Everyone gets the turn's update, its sender included (the same bytes), then B its reply.
    expect(timeline).toEqual(['commit 1', 'A <- update', 'B <- update', 'B <- step2'])
    expect(b.socket.doc.getMap('notes').get('n1')).toBe('hello')
    expect(a.socket.closedWith).toBeNull()
  })

  it('drops the room without sending anything when a commit fails', async () => {
    const { timeline, store, rooms, connect, a, b, room } = await twoJoined()

    store.failNextCommit = true
    room?.receive(a.connection, clientEdit(a.socket.doc, 'lost', 'never broadcast'))
    await rooms.queue.flush()

    expect(timeline).toEqual(['commit failed'])
    expect(a.socket.closedWith).toEqual({ code: CLOSE.internalError, reason: 'storage failure' })
    expect(b.socket.closedWith).toEqual({ code: CLOSE.internalError, reason: 'storage failure' })
    expect(b.socket.doc.getMap('notes').has('lost')).toBe(false)
    expect(rooms.loaded(BOARD)).toBeUndefined()

    // Clients reconnect: the room reloads from the store, which never got the update...
    const c = connect('C')
    const reloaded = await rooms.join(c.connection)
    expect(reloaded).not.toBe(room)
    reloaded?.receive(c.connection, syncStep1Message(c.socket.doc))
    await rooms.queue.flush()
    expect(c.socket.doc.getMap('notes').has('lost')).toBe(false)
    expect(openBoardDoc(c.socket.doc).records.get('document:document')).toBeDefined()

    // ...and the author's sync step 2 (its whole state) brings the update back.
    const again = connect('A2')
    Y.applyUpdate(again.socket.doc, Y.encodeStateAsUpdate(a.socket.doc))
    await rooms.join(again.connection)
    const step2 = new Uint8Array([
      MESSAGE_SYNC,
      SYNC_STEP2,
      ...lengthPrefixed(Y.encodeStateAsUpdate(again.socket.doc)),
    ])
    reloaded?.receive(again.connection, step2)
    await rooms.queue.flush()
    expect(c.socket.doc.getMap('notes').get('lost')).toBe('never broadcast')
  })

  it('loads a board once for simultaneous joins and answers only when loaded', async () => {
    const { timeline, store, rooms, connect } = setup()
    store.hold()
    const a = connect('A')
    const b = connect('B')
    const joins = Promise.all([rooms.join(a.connection), rooms.join(b.connection)])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(timeline).toEqual([])
    store.release()
    const [roomA, roomB] = await joins
    expect(roomA).toBe(roomB)
    expect(store.loads).toBe(1)

    roomA?.receive(a.connection, syncStep1Message(a.socket.doc))
    await rooms.queue.flush()
    expect(openBoardDoc(a.socket.doc).records.get('document:document')?.typeName).toBe('document')
    expect(await store.getBoard(BOARD)).toMatchObject({ id: BOARD, title: 'Untitled board' })
  })

  it('logs how long each step of a load took', async () => {
    const logLines: Record<string, unknown>[] = []
    const { rooms, connect } = setup({ logLines })
    await rooms.join(connect('A').connection)

    const loaded = logLines.filter((line) => line.msg === 'room loaded')
    expect(loaded).toHaveLength(1)
    const { steps, ms, cpuMs, bytes } = loaded[0] as {
      steps: Record<string, number>
      ms: number
      cpuMs: number
      bytes: number
    }
    expect(Object.keys(steps)).toEqual([
      'unloading',
      'board',
      'claim',
      'read',
      'decode',
      'kept',
      'room',
      'seed',
      'meta',
      'plan',
      'secrets',
      'placed',
    ])
    for (const step of Object.values(steps)) expect(step).toBeGreaterThanOrEqual(0)
    expect(typeof ms).toBe('number')
    expect(cpuMs).toBeGreaterThanOrEqual(0)
    expect(bytes).toBeGreaterThan(0)
  })

  it('unloads an idle room after the grace period, compacting its log first', async () => {
    const { store, rooms, connect } = setup({ graceMs: 0 })
    const a = connect('A')
    const room = await rooms.join(a.connection)
    room?.receive(a.connection, clientEdit(a.socket.doc, 'n1', 'kept'))
    room?.receive(a.connection, clientEdit(a.socket.doc, 'n2', 'kept too'))
    a.socket.isOpen = false
    a.connection.markClosed()
    if (room) rooms.leave(room, a.connection)

    await untilTrue(() => room?.closed === true)
    const stored = store.boards.get(BOARD)
    expect(stored?.updates).toEqual([])
    const snapshotDoc = new Y.Doc()
    Y.applyUpdate(snapshotDoc, stored?.snapshot?.data ?? new Uint8Array())
    expect(snapshotDoc.getMap('notes').toJSON()).toEqual({ n1: 'kept', n2: 'kept too' })
  })

  it('compacts the log once it outgrows the threshold', async () => {
    const { store, rooms, connect } = setup({ compactAfterUpdates: 3 })
    const a = connect('A')
    const room = await rooms.join(a.connection)
    for (let i = 0; i < 6; i++) {
      room?.receive(a.connection, clientEdit(a.socket.doc, `n${i}`, `v${i}`))
      await rooms.queue.flush()
    }
    await untilTrue(() => (store.boards.get(BOARD)?.snapshot ?? null) !== null)
    const stored = store.boards.get(BOARD)
    expect(stored?.updates.length).toBeLessThanOrEqual(3)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, stored?.snapshot?.data ?? new Uint8Array())
    for (const { data } of stored?.updates ?? []) Y.applyUpdate(doc, data)
    expect(Object.keys(doc.getMap('notes').toJSON())).toHaveLength(6)
  })

  it('removes the presence of a connection that left, for everyone', async () => {
    const { rooms, connect } = setup()
    const a = connect('A')
    const b = connect('B')
    const room = await rooms.join(a.connection)
    await rooms.join(b.connection)
    const presence = new awarenessProtocol.Awareness(new Y.Doc())
    presence.setLocalState({ name: 'Ana' })
    room?.receive(a.connection, awarenessMessage(presence, [presence.clientID]))
    await rooms.queue.flush()
    expect(b.socket.awareness.getStates().get(presence.clientID)).toEqual({ name: 'Ana' })

    a.connection.markClosed()
    if (room) rooms.leave(room, a.connection)
    await rooms.queue.flush()
    expect(b.socket.awareness.getStates().has(presence.clientID)).toBe(false)
    expect(room?.awareness.getStates().has(presence.clientID)).toBe(false)
    presence.destroy()
  })

  it('refuses malformed messages with specific close codes and keeps serving', async () => {
    const { rooms, connect } = setup()
    const a = connect('A')
    const room = await rooms.join(a.connection)
    const refusal = (message: number[]) => {
      try {
        room?.receive(a.connection, new Uint8Array(message))
      } catch (error) {
        if (error instanceof ProtocolError) return error.code
        throw error
      }
      return 'accepted'
    }
    expect(refusal([])).toBe(CLOSE.invalidPayload)
    expect(refusal([0x80])).toBe(CLOSE.invalidPayload) // varint never ends
    expect(refusal([0, 2, 10, 1, 2])).toBe(CLOSE.invalidPayload) // length says 10, 2 bytes follow
    expect(refusal([0, 2, 3, 255, 255, 255])).toBe(CLOSE.invalidPayload) // not a Yjs update
    expect(refusal([1, 3, 1, 2, 3])).toBe(CLOSE.invalidPayload) // not an awareness update
    expect(refusal([7])).toBe(CLOSE.unsupportedData)
    expect(refusal([0, 9, 0])).toBe(CLOSE.unsupportedData)
    expect(refusal([3])).toBe('accepted') // query awareness

    room?.receive(a.connection, clientEdit(a.socket.doc, 'still', 'works'))
    await rooms.queue.flush()
    expect(room?.doc.getMap('notes').get('still')).toBe('works')
  })

  it('lets a hook refuse an update before it is applied', async () => {
    const seen: string[] = []
    const { rooms, connect } = setup({
      hooks: [
        {
          beforeApplyUpdate: ({ connection }) =>
            connection.remoteAddress === 'viewer' ? { code: 4403, reason: 'read only' } : undefined,
          afterCommit: (commits) => seen.push(...commits.map((commit) => commit.boardId)),
        },
      ],
    })
    const viewer = connect('viewer')
    const room = await rooms.join(viewer.connection)
    expect(() => room?.receive(viewer.connection, clientEdit(viewer.socket.doc, 'x', 'y'))).toThrow(
      expect.objectContaining({ code: 4403 }),
    )
    expect(room?.doc.getMap('notes').has('x')).toBe(false)

    const editor = connect('editor')
    await rooms.join(editor.connection)
    room?.receive(editor.connection, clientEdit(editor.socket.doc, 'x', 'y'))
    await rooms.queue.flush()
    expect(seen).toContain(BOARD)
  })
})

function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = []
  let n = bytes.length
  while (n > 127) {
    out.push((n & 127) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return [...out, ...bytes]
}

describe('the first syncs of a loaded board', () => {
  /** A board stored as one row of `update`, whose row in `boards` has `title`. */
  async function storedAs(update: Uint8Array, title = 'Untitled board') {
    const timeline: Timeline = []
    const store = new RecordingStore(timeline)
    await store.createBoard({ id: BOARD, title, template: 'blank', createdAt: 1 }, update)
    const rooms = quietRooms(store)
    const join = async (name: string) => {
      const socket = new FakeSocket(name, timeline)
      const connection = new Connection(socket, { boardId: BOARD, remoteAddress: name })
      const room = await rooms.join(connection)
      if (!room) throw new Error('not joined')
      return { socket, connection, room }
    }
    return { rooms, join }
  }

  /** The seeded board and some notes, as one update encoded otherwise than Yjs would now. */
  function mergedBoard(): Uint8Array {
    const board = { id: BOARD, title: 'Untitled board', template: 'blank', createdAt: 1 } as const
    const doc = new Y.Doc()
    Y.applyUpdate(doc, seedUpdate(board))
    const parts = [Y.encodeStateAsUpdate(doc)]
    for (let i = 0; i < 3; i++) {
      const before = Y.encodeStateVector(doc)
      doc.getArray('list').push([`item ${i}`])
      parts.push(Y.encodeStateAsUpdate(doc, before))
    }
    const merged = Y.mergeUpdates(parts)
    // A doc joins the three items into one struct, a merged update does not: these bytes are
    // not what Yjs would encode from the loaded document.
    expect(merged).not.toEqual(Y.encodeStateAsUpdate(doc))
    return merged
  }

  it('answer an empty state vector with the stored row itself while nothing changed', async () => {
    const stored = mergedBoard()
    const { rooms, join } = await storedAs(stored)
    const a = await join('A')
    const b = await join('B')
    a.room.receive(a.connection, syncStep1Message(a.socket.doc))
    b.room.receive(b.connection, syncStep1Message(b.socket.doc))
    await rooms.queue.flush()

    expect(a.socket.step2s).toEqual([stored])
    expect(b.socket.step2s).toEqual([stored])
    expect(a.socket.doc.getArray('list').toJSON()).toEqual(['item 0', 'item 1', 'item 2'])
  })

  it('answer with the document as it is once anything changed it: a repair at load, an edit', async () => {
    // The board's row says another title: the load repairs `meta`, so the row is stale at once.
    const { rooms, join } = await storedAs(mergedBoard(), 'Renamed')
    const a = await join('A')
    a.room.receive(a.connection, syncStep1Message(a.socket.doc))
    await rooms.queue.flush()
    expect(readBoardMeta(a.socket.doc).title).toBe('Renamed')

    a.room.receive(a.connection, clientEdit(a.socket.doc, 'n9', 'after the load'))
    const b = await join('B')
    b.room.receive(b.connection, syncStep1Message(b.socket.doc))
    await rooms.queue.flush()
    expect(b.socket.doc.getMap('notes').get('n9')).toBe('after the load')
    expect(readBoardMeta(b.socket.doc).title).toBe('Renamed')
    expect(b.socket.step2s.at(-1)).toEqual(Y.encodeStateAsUpdate(a.room.doc))
  })

  it('answer a state vector that holds something with only what it lacks', async () => {
    const { rooms, join } = await storedAs(mergedBoard())
    const a = await join('A')
    a.room.receive(a.connection, syncStep1Message(a.socket.doc))
    await rooms.queue.flush()
    const b = await join('B')
    Y.applyUpdate(b.socket.doc, Y.encodeStateAsUpdate(a.socket.doc))
    b.room.receive(b.connection, syncStep1Message(b.socket.doc))
    await rooms.queue.flush()
    expect(b.socket.step2s).toEqual([
      Y.encodeStateAsUpdate(a.room.doc, Y.encodeStateVector(b.socket.doc)),
    ])
    expect((b.socket.step2s[0] as Uint8Array).byteLength).toBeLessThan(10)
  })
})

describe("the server's own changes", () => {
  it('resolve once committed, and reject when the store could not keep them', async () => {
    const { store, rooms } = setup()
    const write = (key: string) => (room: { doc: Y.Doc }) => {
      room.doc.transact(() => room.doc.getMap('notes').set(key, 'by the server'), SERVER_ORIGIN)
      return true
    }
    expect(await rooms.applyChange(BOARD, 'change', () => false)).toBe(false)
    const stored = async () => (await store.loadUpdates(BOARD)).updates.length
    const before = await stored()
    expect(await rooms.applyChange(BOARD, 'change', write('a'))).toBe(true)
    expect(await stored()).toBe(before + 1)

    store.failNextCommit = true
    const failed = rooms.applyChange(BOARD, 'restore', write('b'))
    await expect(failed).rejects.toBeInstanceOf(ChangeNotStoredError)
    await expect(failed).rejects.toMatchObject({ change: 'restore' })
    expect(await stored()).toBe(before + 1)
  })
})
