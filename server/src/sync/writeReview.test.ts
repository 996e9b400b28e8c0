import { newParticipantSecret, openBoardDoc, PLAN, seedBoard } from '@common-ground/shared'
import { note } from '@common-ground/shared/fixtures'
import * as decoding from 'lib0/decoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { accessHooks } from '../access/access.ts'
import { MemoryLinkStore } from '../access/LinkStore.ts'
import { createLogger } from '../log.ts'
import { MemoryBoardStore } from '../store/MemoryBoardStore.ts'
import { Connection, type Socket } from './Connection.ts'
import { runOnConnect } from './hooks.ts'
import {
  CLOSE,
  MESSAGE_NOTICE,
  MESSAGE_SYNC,
  type Notice,
  ProtocolError,
  SYNC_STEP1,
  syncStep1Message,
  updateMessage,
} from './protocol.ts'
import type { Room } from './Room.ts'
import { Rooms } from './Rooms.ts'

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
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC && decoding.readVarUint(decoder) !== SYNC_STEP1) {
      this.updatesReceived++
      Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), 'server')
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
  const store = new MemoryBoardStore()
  const seed = new Y.Doc()
  seedBoard(seed, { title: 'Review', createdAt: 1, template: 'blank' })
  await store.createBoard(
    { id: BOARD, title: 'Review', template: 'blank', createdAt: 1 },
    Y.encodeStateAsUpdate(seed),
  )
  const links = new MemoryLinkStore()
  const tokens = await links.create(BOARD)
  const hooks = [accessHooks(links)]
  const rooms = new Rooms({
    store,
    log: createLogger({ level: 'error', write: () => {} }),
    hooks,
    graceMs: 60_000,
    compactAfterUpdates: 500,
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

  it('reverts an invalid record in place: others never receive it, the sender is told and keeps editing', async () => {
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
    expect(a.notices).toContainEqual({ kind: 'write-refused', code: 'invalid', count: 1 })
    expect(a.records.get('shape:n1')).toEqual(note('n1', 'first')) // the sender got the revert
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

  it('restores a record the update deleted when deleting it is refused', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    const documentRecord = b.records.get('document:document')
    expect(documentRecord).toBeDefined()
    a.edit(() => a.records.delete('document:document'))
    await flush()
    expect(a.records.get('document:document')).toEqual(documentRecord)
    expect(b.records.get('document:document')).toEqual(documentRecord)
    expect(a.notices.at(-1)).toMatchObject({ kind: 'write-refused', code: 'invalid' })
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

  it('refuses nested types and keeps plan answers to their validators, restoring the old answer', async () => {
    const { tokens, join, flush } = await setup()
    const [a, b] = [await join(tokens.edit), await join(tokens.edit)]
    a.edit((doc) => doc.getMap(PLAN).set('community/needs', 'Evening childcare'))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')

    a.edit((doc) => doc.getMap(PLAN).set('community/needs', { not: 'text' }))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')
    expect(a.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')

    a.edit((doc) => doc.getMap(PLAN).set('community/needs', new Y.Map()))
    await flush()
    expect(b.doc.getMap(PLAN).get('community/needs')).toBe('Evening childcare')
    expect(a.notices.filter((n) => n.kind === 'write-refused')).toHaveLength(2)
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
    // Told twice, then closed with a code that stops y-websocket from retrying.
    expect(viewer.notices.filter((n) => n.kind === 'write-refused').map((n) => n.code)).toEqual([
      'read-only',
      'read-only',
    ])
    expect(viewer.closedWith?.code).toBe(CLOSE.readOnly)
  })

  it('lets a view link re-put a value unchanged (tldraw re-saves records), and nothing else', async () => {
    const { tokens, join, flush } = await setup()
    const viewer = await join(tokens.view)
    const same = viewer.records.get('document:document')
    viewer.edit(() => viewer.records.set('document:document', structuredClone(same) as never))
    await flush()
    expect(viewer.notices.filter((n) => n.kind === 'write-refused')).toEqual([])
    expect(viewer.closedWith).toBeNull()
  })

  it('keeps board settings such as the title and closing the board to facilitators', async () => {
    const { tokens, join, flush } = await setup()
    const [facilitator, participant] = [await join(tokens.facilitate), await join(tokens.edit)]
    participant.edit((doc) => doc.getMap('meta').set('title', 'Mine now'))
    await flush()
    expect(facilitator.doc.getMap('meta').get('title')).toBe('Review')
    expect(participant.notices.at(-1)).toMatchObject({ code: 'facilitators-only' })

    facilitator.edit((doc) => doc.getMap('meta').set('closedForEdits', true))
    await flush()
    participant.edit(() => participant.records.set('shape:late', note('late', 'after the retreat')))
    await flush()
    expect(facilitator.records.get('shape:late')).toBeUndefined()
    expect(participant.notices.at(-1)).toMatchObject({ code: 'board-closed' })
  })
})
