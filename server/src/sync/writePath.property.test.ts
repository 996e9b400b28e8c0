/**
 * The write path under random traffic (fast-check): sequences of valid, malformed and forbidden
 * updates from facilitator, participant and observer connections, including updates sent under
 * another device's client id. Invariant: the board's content on the server equals a model that
 * applies only the updates the rules allow, and no exception other than a protocol refusal
 * escapes the room.
 */
import { CLOSE, newParticipantSecret, openBoardDoc } from '@common-ground/shared/board'
import { FACILITATION, STAGE } from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import { PLAN } from '@common-ground/shared/plan'
import { VOTES } from '@common-ground/shared/vote'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deviceOf } from './ClientOwners.ts'
import { Connection, type Socket } from './Connection.ts'
import { runOnConnect } from './hooks.ts'
import { ProtocolError, updateMessage } from './protocol.ts'
import type { Room } from './Room.ts'
import { readServerFrame, roomsForOneBoard } from './testRooms.ts'

const BOARD = 'property-board'
type Who = 'facilitator' | 'participant' | 'observer'

type Op =
  | { kind: 'note'; who: Who; n: number; text: string }
  | { kind: 'plan'; who: Who; text: string }
  | { kind: 'planInvalid'; who: Who }
  | { kind: 'stage'; who: Who }
  | { kind: 'meta'; who: Who }
  | { kind: 'deleteNote'; who: Who; n: number }
  | { kind: 'truncated'; who: Who; n: number }
  | { kind: 'garbage'; who: Who; bytes: Uint8Array }
  | { kind: 'foreign'; who: Who; victim: Who; n: number }

const who = fc.constantFrom<Who>('facilitator', 'participant', 'observer')
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('note' as const),
    who,
    n: fc.nat(5),
    text: fc.string({ maxLength: 20 }),
  }),
  fc.record({ kind: fc.constant('plan' as const), who, text: fc.string({ maxLength: 30 }) }),
  fc.record({ kind: fc.constant('planInvalid' as const), who }),
  fc.record({ kind: fc.constant('stage' as const), who }),
  fc.record({ kind: fc.constant('meta' as const), who }),
  fc.record({ kind: fc.constant('deleteNote' as const), who, n: fc.nat(5) }),
  fc.record({ kind: fc.constant('truncated' as const), who, n: fc.nat(5) }),
  fc.record({
    kind: fc.constant('garbage' as const),
    who,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('foreign' as const), who, victim: who, n: fc.nat(5) }),
)

/** A connection with a doc kept in step with the server, as the app keeps one. */
class Peer implements Socket {
  isOpen = true
  doc = new Y.Doc()
  connection!: Connection
  room!: Room
  readonly role: Who
  readonly token: string
  constructor(role: Who, token: string) {
    this.role = role
    this.token = token
  }
  /** Applies what the server sends (its updates and sync replies), as y-websocket does. */
  send(data: Uint8Array): void {
    const { update } = readServerFrame(data)
    if (update) Y.applyUpdate(this.doc, update, 'server')
  }
  close(): void {
    this.isOpen = false
  }
}

async function setup() {
  const { tokens, hooks, rooms } = await roomsForOneBoard({ boardId: BOARD, title: 'Property' })
  const secrets: Record<Who, string> = {
    facilitator: newParticipantSecret(),
    participant: newParticipantSecret(),
    observer: newParticipantSecret(),
  }
  /** (Re)connects a peer and gives it the board as the server has it (a fresh copy). */
  const connect = async (peer: Peer) => {
    peer.isOpen = true
    const params = new URLSearchParams({ token: peer.token, participant: secrets[peer.role] })
    peer.connection = new Connection(peer, { boardId: BOARD, remoteAddress: 't', params })
    expect(await runOnConnect(hooks, peer.connection)).toBeUndefined()
    peer.room = (await rooms.join(peer.connection)) as Room
    peer.doc = new Y.Doc()
    Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(peer.room.doc))
    // The app announces its presence at once, which claims its client id (see presence.ts).
    peer.room.clientOwners.claim(peer.doc.clientID, deviceOf(peer.connection))
    owners.set(peer.doc.clientID, peer.role)
  }
  /** Which peer first used each client id (it alone may use it later). */
  const owners = new Map<number, Who>()
  const peers: Record<Who, Peer> = {
    facilitator: new Peer('facilitator', tokens.facilitate),
    participant: new Peer('participant', tokens.edit),
    observer: new Peer('observer', tokens.view),
  }
  for (const peer of Object.values(peers)) await connect(peer)
  return { rooms, peers, connect, owners }
}

/** What one change of `doc` sends (y-websocket sends each transaction's update). */
function changeOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array | null {
  let sent: Uint8Array | null = null
  const capture = (update: Uint8Array) => {
    sent = update
  }
  doc.on('update', capture)
  doc.transact(() => change(doc))
  doc.off('update', capture)
  return sent
}

/** The board's content as plain JSON: records, plan, facilitation, votes and meta. */
function content(doc: Y.Doc): unknown {
  const records = Object.fromEntries(
    [...openBoardDoc(doc).records.map.entries()].map(([key, entry]) => [key, entry.val]),
  )
  return {
    records,
    ...Object.fromEntries(
      [PLAN, FACILITATION, VOTES, 'meta'].map((name) => [name, doc.getMap(name).toJSON()]),
    ),
  }
}

describe('the write path under random traffic', () => {
  it('keeps the board equal to a model that applies only allowed updates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const { rooms, peers, connect, owners } = await setup()
        const room = peers.facilitator.room
        const model = new Y.Doc()
        Y.applyUpdate(model, Y.encodeStateAsUpdate(room.doc))
        openBoardDoc(model) // tidies record duplicates as the server's YKeyValue does
        try {
          for (const step of ops) {
            const peer = peers[step.who]
            const mayEdit = peer.role !== 'observer'
            let update: Uint8Array | null = null
            let allowed = false
            let frame: Uint8Array | null = null
            switch (step.kind) {
              case 'note':
                update = changeOf(peer.doc, (doc) =>
                  openBoardDoc(doc).records.set(`shape:p${step.n}`, note(`p${step.n}`, step.text)),
                )
                allowed = mayEdit
                break
              case 'plan':
                update = changeOf(peer.doc, (doc) =>
                  doc.getMap(PLAN).set('community/needs', step.text),
                )
                allowed = mayEdit
                break
              case 'planInvalid':
                update = changeOf(peer.doc, (doc) =>
                  doc.getMap(PLAN).set('community/needs', { not: 'text' }),
                )
                break
              case 'stage':
                update = changeOf(peer.doc, (doc) => doc.getMap(FACILITATION).set(STAGE, 'issues'))
                // Re-putting the value a key holds changes nothing and is let through.
                allowed =
                  peer.role === 'facilitator' ||
                  (mayEdit && model.getMap(FACILITATION).get(STAGE) === 'issues')
                break
              case 'meta':
                update = changeOf(peer.doc, (doc) => doc.getMap('meta').set('title', 'Taken'))
                break
              case 'deleteNote':
                update = changeOf(peer.doc, (doc) => {
                  const records = openBoardDoc(doc).records
                  if (records.has(`shape:p${step.n}`)) records.delete(`shape:p${step.n}`)
                })
                allowed = mayEdit // no private round nor lock here: anyone who edits may
                break
              case 'truncated': {
                const whole = changeOf(peer.doc, (doc) =>
                  openBoardDoc(doc).records.set(`shape:t${step.n}`, note(`t${step.n}`, 'cut')),
                )
                frame = whole && updateMessage(whole.slice(0, -1))
                break
              }
              case 'garbage':
                frame = updateMessage(step.bytes)
                break
              case 'foreign': {
                if (step.victim === step.who) continue
                // The victim's client id, the board as the server has it, one more note.
                // (The id is set after the state is applied: Yjs would change it on seeing it.)
                const forged = new Y.Doc()
                Y.applyUpdate(forged, Y.encodeStateAsUpdate(room.doc))
                forged.clientID = peers[step.victim].doc.clientID
                update = changeOf(forged, (doc) =>
                  openBoardDoc(doc).records.set(`shape:f${step.n}`, note(`f${step.n}`, 'forged')),
                )
                allowed = false // every peer's id is claimed when it connects
                break
              }
            }
            if (update === null && frame === null) continue // the change changed nothing
            const before = content(room.doc)
            let refusedOrClosed = false
            const noticesBefore = peer.connection.refusals
            try {
              peer.room.receive(peer.connection, frame ?? updateMessage(update as Uint8Array))
            } catch (error) {
              if (!(error instanceof ProtocolError)) throw error
              refusedOrClosed = true
            }
            await rooms.queue.flush()
            refusedOrClosed ||= peer.connection.refusals > noticesBefore
            if (frame) {
              // Malformed or random bytes: nothing of the board changes.
              expect(content(room.doc)).toEqual(before)
            } else if (allowed) {
              expect(refusedOrClosed, JSON.stringify(step)).toBe(false)
              Y.applyUpdate(model, update as Uint8Array)
            } else {
              expect(refusedOrClosed, JSON.stringify(step)).toBe(true)
            }
            // Applied whole or as a refused update's empty ranges, the update claims its client
            // ids for the device; a view link's and a foreign one's are not applied at all.
            if (update && peer.role !== 'observer') {
              for (const client of Y.decodeStateVector(
                Y.encodeStateVectorFromUpdate(update),
              ).keys()) {
                if (Y.getState(room.doc.store, client) > 0 && !owners.has(client)) {
                  owners.set(client, step.who)
                }
              }
            }
            expect(content(room.doc)).toEqual(content(model))
            // A refused or closed peer starts again from the board, as the app reloads it.
            if (refusedOrClosed || frame) {
              rooms.leave(peer.room, peer.connection)
              await connect(peer)
            }
          }
        } finally {
          await rooms.close(CLOSE.serviceRestart, 'property over')
        }
      }),
      { numRuns: 60 },
    )
  })
})
