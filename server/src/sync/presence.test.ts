import {
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  participantIdFor,
  personIdFor,
  presenceIdOf,
} from '@common-ground/shared/board'
import { PERSON_FIELD, type PersonPresence } from '@common-ground/shared/facilitation'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { seedUpdate } from '../boards.ts'
import { createLogger } from '../log.ts'
import { MemoryBoardStore } from '../store/MemoryBoardStore.ts'
import { ClientOwners, DEVICE } from './ClientOwners.ts'
import { Connection, type Socket } from './Connection.ts'
import type { PresenceIdentity } from './hooks.ts'
import { MAX_PRESENCE_CLIENTS, PresenceRefused, reviewPresence } from './presence.ts'
import { ProtocolError } from './protocol.ts'
import { Rooms } from './Rooms.ts'

const BOARD = 'presence-board'

const socket = (): Socket => ({ isOpen: true, send() {}, close() {} })

/** A connection of `device` (a participant id, as the access hooks set it), or of none. */
function connectionOf(device?: string): Connection {
  const connection = new Connection(socket(), { boardId: BOARD, remoteAddress: 'test' })
  if (device) connection.context[DEVICE] = device
  return connection
}

const SECRET_A = 'device-a-secret-secret-1'
const SECRET_B = 'device-b-secret-secret-1'
const deviceA = participantIdFor(SECRET_A, BOARD)
const deviceB = participantIdFor(SECRET_B, BOARD)
/** The person ids everyone sees; the devices above are the participant ids ballots are kept under. */
const personA = personIdFor(SECRET_A, BOARD)
const personB = personIdFor(SECRET_B, BOARD)
const PERSON_OF = new Map([
  [deviceA, personA],
  [deviceB, personB],
])

/** An awareness update as y-protocols encodes it: count, then client id, clock, JSON state. */
function awarenessUpdate(...entries: Array<[client: number, clock: number, json: string]>) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const [client, clock, json] of entries) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, json)
  }
  return encoding.toUint8Array(encoder)
}

function entriesOf(update: Uint8Array): Array<[number, number, unknown]> {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: Array<[number, number, unknown]> = []
  for (let i = 0; i < count; i++) {
    entries.push([
      decoding.readVarUint(decoder),
      decoding.readVarUint(decoder),
      JSON.parse(decoding.readVarString(decoder)),
    ])
  }
  return entries
}

/** tldraw's instance presence record, as `createPresenceStateDerivation` makes it. */
function tldrawPresence(client: number) {
  return {
    typeName: 'instance_presence',
    id: presenceIdOf(client),
    userId: 'user:ana',
    userName: 'Ana',
    lastActivityTimestamp: 1_700_000_000_000,
    followingUserId: null,
    cursor: { x: 10, y: 20, type: 'default', rotation: 0 },
    color: '#1c7ed6',
    camera: { x: 0, y: 0, z: 1 },
    screenBounds: { x: 0, y: 0, w: 1280, h: 720 },
    selectedShapeIds: ['shape:note-1'],
    currentPageId: 'page:page',
    brush: null,
    scribbles: [],
    chatMessage: '',
    meta: {},
  }
}

function person(extra: Partial<PersonPresence> = {}): PersonPresence {
  return {
    personId: personA,
    name: 'Ana',
    color: '#1c7ed6',
    role: 'participant',
    organization: null,
    idle: false,
    ...extra,
  }
}

/** What the app publishes (presenceBinding + publishPerson). */
function appState(client: number, extra: Partial<PersonPresence> = {}) {
  return {
    presence: tldrawPresence(client),
    user: { name: 'Ana', color: '#1c7ed6' },
    [PERSON_FIELD]: person(extra),
  }
}

interface Setup {
  awareness?: awarenessProtocol.Awareness
  owners?: ClientOwners
  connections?: Connection[]
  identity?: PresenceIdentity
}

/** The room's awareness, as Room makes it: the server itself has no presence. */
function roomAwareness(): awarenessProtocol.Awareness {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc())
  awareness.setLocalState(null)
  return awareness
}

function review(connection: Connection, update: Uint8Array, setup: Setup = {}) {
  return reviewPresence(update, {
    connection,
    owners: setup.owners ?? new ClientOwners(),
    connections: setup.connections ?? [connection],
    awareness: setup.awareness ?? roomAwareness(),
    identity: setup.identity,
  })
}

/** The entries of a reviewed update (none when nothing was left to apply). */
function applied(reviewed: { update: Uint8Array | null }) {
  return reviewed.update ? entriesOf(reviewed.update) : []
}

function refusal(run: () => unknown): { code: number; message: string } | 'accepted' {
  try {
    run()
    return 'accepted'
  } catch (error) {
    if (error instanceof PresenceRefused) return { code: error.code, message: error.message }
    throw error
  }
}

describe('presence review', () => {
  it('accepts what the app publishes and claims its client id for the device', () => {
    const owners = new ClientOwners()
    const connection = connectionOf(deviceA)
    const state = appState(7)
    const reviewed = review(connection, awarenessUpdate([7, 3, JSON.stringify(state)]), { owners })
    expect(applied(reviewed)).toEqual([[7, 3, state]])
    expect(reviewed.claims).toEqual([[7, deviceA]])
    expect(owners.ownerOf(7)).toBe(deviceA)
    // Again: nothing new to claim.
    expect(review(connection, awarenessUpdate([7, 4, '{}']), { owners }).claims).toEqual([])
  })

  it('accepts the empty state and plain extra fields other y-websocket tools send', () => {
    const connection = connectionOf()
    for (const state of [{}, { name: 'Ana' }, { user: { name: 'Ana' } }]) {
      const reviewed = review(connection, awarenessUpdate([7, 1, JSON.stringify(state)]))
      expect(applied(reviewed)).toEqual([[7, 1, state]])
    }
  })

  it('refuses deeply nested, oversized and malformed states with 1007', () => {
    const connection = connectionOf(deviceA)
    const invalid = { code: CLOSE.invalidPayload, message: 'invalid presence' }
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    // tldraw's `meta` takes any JSON: `levels` objects deep in it, the state is 2 + levels deep.
    const nested = (levels: number) => {
      let value: unknown = 1
      for (let i = 0; i < levels; i++) value = { a: value }
      return JSON.stringify({ presence: { ...tldrawPresence(7), meta: value } })
    }
    const cases = [
      `{"x":${deep}}`,
      nested(7), // nine levels in all
      JSON.stringify({ name: 'x'.repeat(40_000) }),
      JSON.stringify({ user: { name: 'x'.repeat(300) } }),
      JSON.stringify({ note: { nested: true } }), // an unknown field that is not a plain value
      JSON.stringify({ presence: { ...tldrawPresence(7), cursor: 'nonsense' } }),
      JSON.stringify({ presence: tldrawPresence(8) }), // someone else's cursor record
      JSON.stringify({ [PERSON_FIELD]: person({ name: '' }) }),
      JSON.stringify({ [PERSON_FIELD]: person({ role: 'admin' as never }) }),
      '{"not json',
      '[1, 2]',
    ]
    for (const json of cases) {
      expect(
        refusal(() => review(connection, awarenessUpdate([7, 1, json]))),
        json.slice(0, 60),
      ).toEqual(invalid)
    }
    expect(refusal(() => review(connection, awarenessUpdate([7, 1, nested(6)])))).toBe('accepted')
    // Truncated: an entry announced and missing.
    expect(refusal(() => review(connection, new Uint8Array([1, 7, 1])))).toEqual(invalid)
    // Brackets inside strings are not nesting.
    const brackets = JSON.stringify({ name: `${'['.repeat(150)}` })
    expect(refusal(() => review(connection, awarenessUpdate([7, 1, brackets])))).toBe('accepted')
  })

  it('refuses presence under another device’s client id with 1008, changing nothing', () => {
    const owners = new ClientOwners([[7, deviceA]])
    const thief = connectionOf(deviceB)
    const foreign = { code: CLOSE.policyViolation, message: 'presence of another connection' }
    expect(
      refusal(() =>
        review(thief, awarenessUpdate([7, 9, JSON.stringify(appState(7))]), { owners }),
      ),
    ).toEqual(foreign)
    // One foreign entry refuses the whole update: its own entry is not claimed either.
    const mixed = awarenessUpdate([8, 1, '{}'], [7, 9, '{}'])
    expect(refusal(() => review(thief, mixed, { owners }))).toEqual(foreign)
    expect(owners.ownerOf(8)).toBeUndefined()
    expect(owners.ownerOf(7)).toBe(deviceA)
    // Nor the server's own client id.
    const awareness = roomAwareness()
    const serverClient = awareness.clientID
    expect(
      refusal(() => review(thief, awarenessUpdate([serverClient, 9, '{}']), { awareness })),
    ).toEqual(foreign)
  })

  it('does not apply someone else leaving, and only reports it (y-websocket’s own timer)', () => {
    const owners = new ClientOwners([[7, deviceA]])
    const other = connectionOf(deviceB)
    const reviewed = review(other, awarenessUpdate([7, 9, 'null'], [8, 1, '{}']), { owners })
    expect(reviewed.ignored).toEqual([7])
    expect(applied(reviewed)).toEqual([[8, 1, {}]])
  })

  it('drops echoes of presence the room already has, unread, whoever they belong to', () => {
    // y-websocket sends back everyone's presence it receives, with the clock it came with.
    const awareness = roomAwareness()
    const owners = new ClientOwners([[7, deviceA]])
    awarenessProtocol.applyAwarenessUpdate(awareness, awarenessUpdate([7, 5, '{"a":1}']), 'x')
    const echo = awarenessUpdate([7, 5, '{"a":1}'], [7, 4, 'not even json'])
    const reviewed = review(connectionOf(deviceB), echo, { owners, awareness })
    expect(reviewed).toEqual({ update: null, claims: [], ignored: [] })
    // A clock-0 state of a client nobody knows changes nothing either (y-protocols' rule).
    expect(review(connectionOf(deviceB), awarenessUpdate([9, 0, '{}'])).update).toBeNull()
  })

  it('lets a device clear only its own presence', () => {
    const owners = new ClientOwners([[7, deviceA]])
    const own = connectionOf(deviceA)
    const reviewed = review(own, awarenessUpdate([7, 5, 'null']), { owners })
    expect(applied(reviewed)).toEqual([[7, 5, null]])
  })

  it('refuses an id held right now by a connection of another device, even without owners', () => {
    const holder = connectionOf()
    holder.awarenessIds.add(7)
    const other = connectionOf()
    const owners = new ClientOwners()
    const connections = [holder, other]
    expect(
      refusal(() => review(other, awarenessUpdate([7, 2, '{}']), { owners, connections })),
    ).toEqual({ code: CLOSE.policyViolation, message: 'presence of another connection' })
  })

  it('lets a tab of the same device take over an id (a reconnect before the old one dropped)', () => {
    const owners = new ClientOwners([[7, deviceA]])
    const old = connectionOf(deviceA)
    old.awarenessIds.add(7)
    const fresh = connectionOf(deviceA)
    const reviewed = review(fresh, awarenessUpdate([7, 9, '{}']), {
      owners,
      connections: [old, fresh],
    })
    expect(applied(reviewed)).toEqual([[7, 9, {}]])
  })

  it('claims nothing for a connection without a device secret; frees what it held once gone', () => {
    const owners = new ClientOwners()
    const anonymous = connectionOf()
    expect(review(anonymous, awarenessUpdate([7, 1, '{}']), { owners }).claims).toEqual([])
    expect(owners.ownerOf(7)).toBeUndefined()
    anonymous.awarenessIds.add(7) // the room records what it applied
    const back = connectionOf() // the same client reconnecting: a new "device"
    const foreign = { code: CLOSE.policyViolation, message: 'presence of another connection' }
    // While the first is still connected, the id is its own.
    expect(
      refusal(() =>
        review(back, awarenessUpdate([7, 2, '{}']), { owners, connections: [anonymous, back] }),
      ),
    ).toEqual(foreign)
    // Once it is gone, the presence may be taken up again.
    expect(applied(review(back, awarenessUpdate([7, 2, '{}']), { owners }))).toEqual([[7, 2, {}]])
    // So may an id that such a connection claimed through a document update, once it is gone.
    const claimed = new ClientOwners([[8, `connection:${anonymous.id}`]])
    const reviewed = review(back, awarenessUpdate([8, 2, '{}']), {
      owners: claimed,
      connections: [back],
    })
    expect(applied(reviewed)).toEqual([[8, 2, {}]])
    expect(claimed.ownerOf(8)).toBe(`connection:${anonymous.id}`)
    expect(
      refusal(() =>
        review(back, awarenessUpdate([8, 3, '{}']), {
          owners: claimed,
          connections: [anonymous, back],
        }),
      ),
    ).toEqual(foreign)
    // A device with a secret is never freed that way.
    const owned = new ClientOwners([[9, deviceA]])
    expect(refusal(() => review(back, awarenessUpdate([9, 2, '{}']), { owners: owned }))).toEqual(
      foreign,
    )
  })

  it('bounds the client ids one connection speaks for', () => {
    const connection = connectionOf(deviceA)
    const many = Array.from(
      { length: MAX_PRESENCE_CLIENTS + 1 },
      (_, i) => [i + 1, 1, '{}'] as [number, number, string],
    )
    const tooMany = { code: CLOSE.policyViolation, message: 'too many presence ids' }
    expect(refusal(() => review(connection, awarenessUpdate(...many)))).toEqual(tooMany)
    for (let i = 1; i <= MAX_PRESENCE_CLIENTS; i++) connection.awarenessIds.add(i)
    expect(refusal(() => review(connection, awarenessUpdate([100, 1, '{}'])))).toEqual(tooMany)
  })

  it('shows the role of the link and the person id of the device, whatever is claimed', () => {
    const connection = connectionOf(deviceA)
    const claimed = appState(7, { role: 'facilitator', personId: personB })
    const update = awarenessUpdate([7, 1, JSON.stringify(claimed)])
    const identity: PresenceIdentity = { role: 'participant', personId: personA }
    const [[, , relayed]] = applied(review(connection, update, { identity })) as [
      [number, number, ReturnType<typeof appState>],
    ]
    expect(relayed[PERSON_FIELD]).toEqual(person({ role: 'participant', personId: personA }))
    expect(relayed.presence).toEqual(claimed.presence)

    // No person id the server can vouch for: no person at all.
    const anonymous = review(connection, update, {
      identity: { role: 'observer', personId: null },
    })
    const [[, , anonymousState]] = applied(anonymous) as [[number, number, object]]
    expect(anonymousState).toEqual({ ...claimed, [PERSON_FIELD]: null })
    // No access hook ran: left as sent.
    expect(applied(review(connection, update))[0]?.[2]).toEqual(claimed)
  })

  it('lets in an older app’s person and relays it without the id ballots are kept under', () => {
    const { personId: _, ...rest } = person()
    const older = { ...appState(7), [PERSON_FIELD]: { ...rest, participantId: deviceA } }
    const update = awarenessUpdate([7, 1, JSON.stringify(older)])
    const identity: PresenceIdentity = { role: 'participant', personId: personA }
    const reviewed = review(connectionOf(deviceA), update, { identity })
    const [[, , relayed]] = applied(reviewed) as [[number, number, ReturnType<typeof appState>]]
    expect(relayed[PERSON_FIELD]).toEqual(person())
    expect(new TextDecoder().decode(reviewed.update ?? new Uint8Array())).not.toContain(deviceA)
  })
})

/** A socket that keeps the presence it is sent, as a y-websocket client's awareness would. */
class PresenceSocket implements Socket {
  isOpen = true
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc())
  failures = 0

  send(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return
    try {
      awarenessProtocol.applyAwarenessUpdate(
        this.awareness,
        decoding.readVarUint8Array(decoder),
        'server',
      )
    } catch {
      this.failures++
    }
  }

  close(): void {
    this.isOpen = false
  }
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function roomSetup() {
  const store = new MemoryBoardStore()
  const board = { id: BOARD, title: 'Presence', template: 'blank', createdAt: 1 } as const
  void store.createBoard(board, seedUpdate(board))
  const rooms = new Rooms({
    store,
    log: createLogger({ level: 'error', write: () => {} }),
    hooks: [
      {
        presenceIdentity: (connection) => {
          const device = connection.context[DEVICE]
          const personId = typeof device === 'string' ? PERSON_OF.get(device) : undefined
          return personId ? { role: 'participant', personId } : undefined
        },
      },
    ],
    graceMs: 60_000,
    compactAfterUpdates: 500,
  })
  cleanups.push(() => rooms.close(CLOSE.serviceRestart, 'test over'))
  const connect = async (device?: string) => {
    const socket = new PresenceSocket()
    const connection = new Connection(socket, { boardId: BOARD, remoteAddress: 'test' })
    if (device) connection.context[DEVICE] = device
    const room = await rooms.join(connection)
    if (!room) throw new Error('no room')
    await rooms.queue.flush()
    return { socket, connection, room }
  }
  const send = (
    from: { connection: Connection; room: { receive(c: Connection, m: Uint8Array): void } },
    update: Uint8Array,
  ) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(encoder, update)
    from.room.receive(from.connection, encoding.toUint8Array(encoder))
  }
  return { rooms, connect, send }
}

function closeCode(run: () => void): number | 'accepted' {
  try {
    run()
    return 'accepted'
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
}

describe('presence in a room', () => {
  it('refuses a deeply nested state; a newcomer still joins and sees everyone else', async () => {
    const { rooms, connect, send } = roomSetup()
    const ana = await connect(deviceA)
    send(ana, awarenessUpdate([7, 1, JSON.stringify(appState(7))]))
    const mallory = await connect()
    const deep = `{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`
    expect(closeCode(() => send(mallory, awarenessUpdate([8, 1, deep])))).toBe(CLOSE.invalidPayload)
    await rooms.queue.flush()
    const newcomer = await connect(deviceB)
    expect(newcomer.socket.failures).toBe(0)
    const own = newcomer.socket.awareness.clientID
    expect([...newcomer.socket.awareness.getStates().keys()].filter((id) => id !== own)).toEqual([
      7,
    ])
  })

  it('keeps a victim’s presence when someone else sends under its client id', async () => {
    const { rooms, connect, send } = roomSetup()
    const ana = await connect(deviceA)
    const watcher = await connect()
    send(ana, awarenessUpdate([7, 1, JSON.stringify(appState(7))]))
    const thief = await connect(deviceB)
    // Someone else "leaving" is not applied (only reported); a new state is refused.
    expect(closeCode(() => send(thief, awarenessUpdate([7, 5, 'null'])))).toBe('accepted')
    expect(closeCode(() => send(thief, awarenessUpdate([7, 6, '{"user":{"name":"Eve"}}'])))).toBe(
      CLOSE.policyViolation,
    )
    await rooms.queue.flush()
    expect(watcher.socket.awareness.getStates().get(7)).toEqual(appState(7))
  })

  it('removes the presence of a connection that leaves, not what another tab took over', async () => {
    const { rooms, connect, send } = roomSetup()
    const watcher = await connect()
    const old = await connect(deviceA)
    send(old, awarenessUpdate([7, 1, '{}'], [8, 1, '{}']))
    // The same device reconnects with client 7 before the server noticed the old one drop.
    const fresh = await connect(deviceA)
    send(fresh, awarenessUpdate([7, 2, '{"name":"back"}']))
    await rooms.queue.flush()
    rooms.leave(old.room, old.connection)
    await rooms.queue.flush()
    expect(watcher.socket.awareness.getStates().get(7)).toEqual({ name: 'back' })
    expect(watcher.socket.awareness.getStates().has(8)).toBe(false)
    rooms.leave(fresh.room, fresh.connection)
    await rooms.queue.flush()
    expect(watcher.socket.awareness.getStates().has(7)).toBe(false)
  })

  it('answers a few awareness queries, then closes a flood with 4029', async () => {
    const { connect } = roomSetup()
    const asker = await connect()
    const query = new Uint8Array([MESSAGE_QUERY_AWARENESS])
    let answered = 0
    let code: number | 'accepted' = 'accepted'
    while (code === 'accepted' && answered < 10_000) {
      code = closeCode(() => asker.room.receive(asker.connection, query))
      if (code === 'accepted') answered++
    }
    expect(code).toBe(4029)
    expect(answered).toBeGreaterThanOrEqual(4)
    expect(answered).toBeLessThan(1000)
  })
})
