import {
  CLOSE,
  MESSAGE_NOTICE,
  type Notice,
  newParticipantSecret,
  openBoardDoc,
} from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { PLAN, seedBoard } from '@common-ground/shared/plan'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Connection, type Socket } from './Connection.ts'
import { runOnConnect } from './hooks.ts'
import { ProtocolError, syncStep1Message, updateMessage } from './protocol.ts'
import type { Room } from './Room.ts'
import { readServerFrame, roomsForOneBoard } from './testRooms.ts'
import { readIncomingUpdate, UnreadableUpdate } from './writeReview.ts'

const BOARD = 'review-board-1'

/** A client as y-websocket would be: a doc that applies what it is sent, and the notices. */
class Client implements Socket {
  isOpen = true
  closedWith: { code: number; reason: string } | null = null
  readonly doc = new Y.Doc()
  readonly notices: Notice[] = []
  updatesReceived = 0
  connection!: Connection
  room!: Room

  send(data: Uint8Array): void {
    const { type, update, decoder } = readServerFrame(data)
    if (update) {
      this.updatesReceived++
      Y.applyUpdate(this.doc, update, 'server')
    } else if (type === MESSAGE_NOTICE) {
      this.notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice)
    }
  }

  close(code: number, reason: string): void {
    this.isOpen = false
    this.closedWith = { code, reason }
  }

  get records() {
    return openBoardDoc(this.doc).records
  }

  /** Makes a change locally and sends it, as the client binding does. */
  edit(change: (doc: Y.Doc) => void): void {
    const updates: Uint8Array[] = []
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') updates.push(update)
    }
    this.doc.on('update', capture)
    this.doc.transact(() => change(this.doc))
    this.doc.off('update', capture)
    for (const update of updates) {
      try {
        this.room.receive(this.connection, updateMessage(update))
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error
        this.close(error.code, error.message)
      }
    }
  }
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function setup() {
  const { store, tokens, hooks, rooms } = await roomsForOneBoard({
    boardId: BOARD,
    title: 'Review',
  })
  cleanups.push(() => rooms.close(CLOSE.serviceRestart, 'test over'))
  const join = async (token: string) => {
    const client = new Client()
    const params = new URLSearchParams({ token, participant: newParticipantSecret() })
    client.connection = new Connection(client, { boardId: BOARD, remoteAddress: 't', params })
    expect(await runOnConnect(hooks, client.connection)).toBeUndefined()
    client.room = (await rooms.join(client.connection)) as Room
    client.room.receive(client.connection, syncStep1Message(client.doc))
    await rooms.queue.flush()
    return client
  }
  return { rooms, store, tokens, join, flush: () => rooms.queue.flush() }
}

describe('write review', () => {
  it('lets a valid note through to everyone', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    a.edit(() => a.records.set('shape:n1', note('n1', 'childcare rota')))
    await flush()
    expect(b.records.get('shape:n1')).toEqual(note('n1', 'childcare rota'))
    expect(a.notices.filter((n) => n.kind === 'write-refused')).toEqual([])
  })

  it('refuses an invalid record before applying it: others never receive it, the sender is told to reload and keeps editing', async () => {
    const { rooms, store, tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    a.edit(() => a.records.set('shape:n1', note('n1', 'first')))
    await flush()
    const seen: unknown[] = []
    b.records.on('change', (changes: Map<string, { newValue?: unknown }>) => {
      for (const change of changes.values()) seen.push(change.newValue)
    })

    const broken = { ...note('n1', 'x'), props: { ...note('n1', 'x').props, color: 'plaid' } }
    a.edit(() => a.records.set('shape:n1', broken as never))
    await flush()
    expect(a.notices).toContainEqual({
      kind: 'write-refused',
      code: 'invalid',
      count: 1,
      resync: true,
    })
    expect(b.records.get('shape:n1')).toEqual(note('n1', 'first'))
    expect(seen.every((value) => JSON.stringify(value).includes('plaid') === false)).toBe(true)

    // The sender's later edits still go through (its history is intact, nothing is pending).
    a.edit(() => a.records.set('shape:n1', note('n1', 'second')))
    await flush()
    expect(b.records.get('shape:n1')).toEqual(note('n1', 'second'))
    expect(a.closedWith).toBeNull()

    // Nothing of the refused value reached the store.
    await rooms.close(CLOSE.serviceRestart, 'restart')
    const stored = await store.loadUpdates(BOARD)
    const restored = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(restored, stored.snapshot.data)
    for (const { data } of stored.updates) Y.applyUpdate(restored, data)
    expect(openBoardDoc(restored).records.get('shape:n1')).toEqual(note('n1', 'second'))
    const bytes = stored.updates.map(({ data }) => Buffer.from(data).toString('latin1')).join('')
    expect(bytes).not.toContain('plaid')
  })

  it('does not apply a refused deletion and writes nothing in its place', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    const documentRecord = b.records.get('document:document')
    expect(documentRecord).toBeDefined()
    const receivedBefore = b.updatesReceived
    a.edit(() => a.records.delete('document:document'))
    await flush()
    expect(b.records.get('document:document')).toEqual(documentRecord)
    expect(b.updatesReceived).toBe(receivedBefore) // a deletion refused is not re-written
    expect(a.notices.at(-1)).toMatchObject({ kind: 'write-refused', code: 'invalid', resync: true })
  })

  it('refuses the whole update when one entry of it is refused', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    a.edit((doc) => {
      openBoardDoc(doc).records.set('shape:ok', note('ok', 'fine on its own'))
      doc.getMap('sneaky').set('x', 1)
    })
    await flush()
    expect(b.records.get('shape:ok')).toBeUndefined()
    expect(a.records.get('shape:ok')).toBeUndefined()
    expect(b.doc.share.has('sneaky') ? b.doc.getMap('sneaky').get('x') : undefined).toBeUndefined()
  })

  it('refuses nested types and keeps plan answers to their validators', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    a.edit((doc) => doc.getMap(PLAN).set('community/needs', 'Evening childcare'))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')

    a.edit((doc) => doc.getMap(PLAN).set('community/needs', { not: 'text' }))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')

    // Built on the refused answer (the sender has not reloaded yet): refused as well.
    a.edit((doc) => doc.getMap(PLAN).set('community/needs', new Y.Map()))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')
    const c = await join(tokens.edit)
    c.edit((doc) => doc.getMap(PLAN).set('community/other', new Y.Map()))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/other')).toBeUndefined()
    expect(a.notices.filter((n) => n.kind === 'write-refused')).toHaveLength(2)
    expect(c.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code)).toEqual([
      'invalid',
    ])
  })

  it('keeps a view link from changing anything and closes it after repeated tries', async () => {
    const { tokens, join, flush } = await setup()
    const [viewer, b] = [await join(tokens.view), await join(tokens.edit)]
    expect(viewer.notices[0]).toMatchObject({ kind: 'welcome', role: 'observer' })
    for (let i = 0; i < 3; i++) {
      viewer.edit(() => viewer.records.set(`shape:v${i}`, note(`v${i}`, 'not allowed')))
      await flush()
    }
    expect([...b.records.map.keys()].filter((key) => key.startsWith('shape:v'))).toEqual([])
    // Nothing of it was applied, not even as empty ranges.
    expect(Y.getState(b.doc.store, viewer.doc.clientID)).toBe(0)
    // Told twice, then closed with a code that stops y-websocket from retrying.
    expect(viewer.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code)).toEqual([
      'read-only',
      'read-only',
    ])
    expect(viewer.closedWith?.code).toBe(CLOSE.linkRefused)
  })

  it('refuses a view link even a value an entry already holds (the role comes first)', async () => {
    const { tokens, join, flush } = await setup()
    const viewer = await join(tokens.view)
    const same = viewer.records.get('document:document')
    viewer.edit(() => viewer.records.set('document:document', structuredClone(same) as never))
    await flush()
    expect(viewer.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code)).toEqual([
      'read-only',
    ])
  })

  it('leaves an empty sync step 2 of a view link alone', async () => {
    const { tokens, join, flush } = await setup()
    const viewer = await join(tokens.view)
    viewer.room.receive(viewer.connection, updateMessage(Y.encodeStateAsUpdate(viewer.doc)))
    await flush()
    expect(viewer.notices.filter((n) => n.kind === 'write-refused')).toEqual([])
    expect(viewer.closedWith).toBeNull()
  })

  it('keeps meta to the server: not even a facilitator writes the title, the schema or the closing flag', async () => {
    const { tokens, join, flush } = await setup()
    const [facilitator, participant] = [await join(tokens.facilitate), await join(tokens.edit)]
    const schema = facilitator.doc.getMap('meta').get('schema')
    participant.edit((doc) => doc.getMap('meta').set('title', 'Mine now'))
    participant.edit((doc) => doc.getMap('meta').set('schema', { schemaVersion: 99 }))
    facilitator.edit((doc) => doc.getMap('meta').set('closedForEdits', true))
    await flush()
    const watcher = await join(tokens.view)
    expect(watcher.doc.getMap('meta').get('title')).toBe('Review')
    expect(watcher.doc.getMap('meta').get('schema')).toEqual(schema)
    expect(watcher.doc.getMap('meta').get('closedForEdits')).toBeUndefined()
    expect(
      participant.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code),
    ).toEqual(['server-only', 'server-only'])
    expect(facilitator.notices.at(-1)).toMatchObject({ code: 'server-only' })
  })

  it('keeps the rounds map to its rules: rounds are a facilitator’s, results the server’s', async () => {
    const { tokens, join, flush } = await setup()
    const [facilitator, participant] = [await join(tokens.facilitate), await join(tokens.edit)]
    const round = {
      id: 'r1',
      kind: 'placement',
      title: 'Impact and effort',
      itemIds: ['shape:a'],
      status: 'open',
      startedAt: 1,
      closedAt: null,
      revealedAt: null,
      rankingRule: 'impactMinusEffort',
    }
    participant.edit((doc) => doc.getMap('rounds').set('round/r1', round))
    facilitator.edit((doc) =>
      doc
        .getMap('rounds')
        .set('result/r1', { kind: 'consensus', voters: 1, fingers: [0, 0, 0, 0, 0, 1] }),
    )
    facilitator.edit((doc) => doc.getMap('rounds').set('ballot/r1/x', { marks: {} }))
    facilitator.edit((doc) =>
      doc.getMap('rounds').set('round/r2', { ...round, id: 'r2', itemIds: [] }),
    )
    await flush()
    expect(
      participant.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code),
    ).toEqual(['facilitators-only'])
    expect(
      facilitator.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code),
    ).toEqual(['server-only', 'invalid', 'invalid'])
    facilitator.edit((doc) => doc.getMap('rounds').set('round/r1', round))
    await flush()
    const watcher = await join(tokens.view)
    expect(Object.keys(watcher.doc.getMap('rounds').toJSON())).toEqual(['round/r1'])
  })
})

describe('readIncomingUpdate', () => {
  /** A board doc as the server holds it, and a client that has synced with it. */
  function boardAndClient() {
    const server = new Y.Doc()
    seedBoard(server, { title: 'Read', createdAt: 1, template: 'blank' })
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    return { server, client, records: openBoardDoc(server).records }
  }
  const anyone = () => true
  /** What `change` sends from `doc`, as y-websocket does: the update of its transaction. */
  function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
    let sent: Uint8Array | undefined
    const capture = (update: Uint8Array) => {
      sent = update
    }
    doc.on('update', capture)
    doc.transact(change)
    doc.off('update', capture)
    if (!sent) throw new Error('the change changed nothing')
    return sent
  }

  it('reads a whole update before anything is applied: a cut delete set changes nothing', () => {
    const { server, client, records } = boardAndClient()
    const update = updateOf(client, () => {
      openBoardDoc(client).records.set('shape:n1', note('n1', 'an idea'))
      openBoardDoc(client).records.delete('document:document')
    })
    const state = Y.encodeStateVector(server)
    expect(() => readIncomingUpdate(server, records, update.slice(0, -1), anyone)).toThrow(
      UnreadableUpdate,
    )
    expect(Y.encodeStateVector(server)).toEqual(state)
  })

  it('lists each record and map entry written or removed, with the value before', () => {
    const { server, client, records } = boardAndClient()
    const update = updateOf(client, () => {
      openBoardDoc(client).records.set('shape:n1', note('n1', 'an idea'))
      openBoardDoc(client).records.delete('document:document')
      client.getMap(PLAN).set('community/needs', 'Evening childcare')
    })
    const read = readIncomingUpdate(server, records, update, anyone)
    const byKey = Object.fromEntries(read.writes.map((w) => [w.key, w]))
    expect(byKey['shape:n1']).toMatchObject({ root: 'records', before: undefined })
    expect(byKey['document:document']?.after).toBeUndefined()
    expect(byKey['document:document']?.before).toEqual(records.get('document:document'))
    expect(byKey['community/needs']).toMatchObject({ root: PLAN, after: 'Evening childcare' })
    expect(read.changes).toBe(true)
  })

  it('marks values JSON cannot hold, nested types and unknown top-level types as unsupported', () => {
    for (const value of [10n, Number.NaN, Number.POSITIVE_INFINITY, undefined, new Uint8Array(2)]) {
      const { server, client, records } = boardAndClient()
      const update = updateOf(client, () => client.getMap(PLAN).set('community/needs', value))
      const [write] = readIncomingUpdate(server, records, update, anyone).writes
      expect(write?.unsupported, String(value)).toBeTypeOf('string')
    }
    const { server, client, records } = boardAndClient()
    const nested = updateOf(client, () => client.getMap(PLAN).set('x', new Y.Map()))
    expect(readIncomingUpdate(server, records, nested, anyone).writes[0]?.unsupported).toMatch(
      /ContentType/,
    )
    const other = boardAndClient()
    const elsewhere = updateOf(other.client, () => other.client.getMap('sneaky').set('x', 1))
    const read = readIncomingUpdate(other.server, other.records, elsewhere, anyone)
    expect(read.writes[0]?.unsupported).toMatch(/not a part of the board/)
    expect(other.server.share.has('sneaky')).toBe(false)
  })

  it('refuses structs under a client id the sender may not use, and gaps', () => {
    const { server, client, records } = boardAndClient()
    const first = updateOf(client, () => client.getMap(PLAN).set('a', 1))
    const second = updateOf(client, () => client.getMap(PLAN).set('b', 2))
    expect(() => readIncomingUpdate(server, records, first, () => false)).toThrow(
      expect.objectContaining({ kind: 'foreign-client' }),
    )
    expect(() => readIncomingUpdate(server, records, second, anyone)).toThrow(
      expect.objectContaining({ kind: 'unknown-dependency' }),
    )
  })

  it('answers a refused update with a skeleton: tiny, no deletions, later changes still fit', () => {
    const { server, client, records } = boardAndClient()
    for (let i = 0; i < 200; i++)
      openBoardDoc(server).records.set(`shape:s${i}`, note(`s${i}`, 'x'))
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const wipe = updateOf(client, () => {
      for (let i = 0; i < 200; i++) openBoardDoc(client).records.delete(`shape:s${i}`)
      client.getMap(PLAN).set('community/needs', 'first')
    })
    const read = readIncomingUpdate(server, records, wipe, anyone)
    expect(read.writes.filter((w) => w.after === undefined)).toHaveLength(200)
    const skeleton = read.skeleton()
    expect(skeleton.byteLength).toBeLessThan(20)
    Y.applyUpdate(server, skeleton)
    expect(records.get('shape:s0')).toBeDefined()
    expect(server.getMap(PLAN).get('community/needs')).toBeUndefined()
    // The sender's next change is numbered after the refused one and applies without waiting.
    const next = updateOf(client, () =>
      openBoardDoc(client).records.set('shape:n2', note('n2', 'y')),
    )
    expect(readIncomingUpdate(server, records, next, anyone).writes.map((w) => w.key)).toEqual([
      'shape:n2',
    ])
    Y.applyUpdate(server, next)
    expect(server.store.pendingStructs).toBeNull()
    expect(records.get('shape:n2')).toEqual(note('n2', 'y'))
  })

  it('reads forty thousand removed plan entries in one pass', () => {
    const { server, client, records } = boardAndClient()
    server.transact(() => {
      for (let i = 0; i < 40_000; i++) server.getMap(PLAN).set(`community/k${i}`, i)
    })
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const wipe = updateOf(client, () => {
      for (let i = 0; i < 40_000; i++) client.getMap(PLAN).delete(`community/k${i}`)
    })
    const read = readIncomingUpdate(server, records, wipe, anyone)
    expect(read.writes).toHaveLength(40_000)
    expect(read.writes.every((w) => w.after === undefined && w.before !== undefined)).toBe(true)
  })
})

describe('an update that writes and deletes in one go', () => {
  it('is reviewed as the deletion it is', () => {
    const server = new Y.Doc()
    seedBoard(server, { title: 'Read', createdAt: 1, template: 'blank' })
    const records = openBoardDoc(server).records
    // Without garbage collection the deleted entries travel with their content.
    const client = new Y.Doc({ gc: false })
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const documentRecord = openBoardDoc(client).records.get('document:document')
    let sent: Uint8Array | undefined
    client.on('update', (update: Uint8Array) => {
      sent = update
    })
    // Crafted by hand (the app's YKeyValue never sends this): a valid new entry for the document
    // record, deleted again in the same update together with the old one.
    const entries = client.getArray<{ key: string; val: unknown }>('records')
    client.transact(() => {
      entries.push([{ key: 'document:document', val: structuredClone(documentRecord) }])
      entries.delete(entries.length - 1, 1)
      entries.delete(
        entries.toArray().findIndex((entry) => entry.key === 'document:document'),
        1,
      )
      client.getMap(PLAN).set('community/needs', 'set then gone')
      client.getMap(PLAN).delete('community/needs')
    })
    const read = readIncomingUpdate(server, records, sent as Uint8Array, () => true)
    const byKey = Object.fromEntries(read.writes.map((w) => [w.key, w]))
    expect(byKey['document:document']?.after).toBeUndefined()
    expect(byKey['community/needs']?.after).toBeUndefined()
  })
})
