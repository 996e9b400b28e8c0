/**
 * The ballot box under random traffic (fast-check), through a real `Room` and the real access
 * hooks: sequences of dot requests (`MESSAGE_BALLOT`) from a facilitator, two participants, an
 * observer and a connection without a device secret, over an anonymous hidden vote, a named
 * visible one and a vote that does not exist, with the vote closed and reopened and voters
 * rejoining in between. Invariants:
 *
 * - every request is answered to its sender alone with the ballot a simple model of the rules
 *   keeps (and why it was refused), and everyone is told the turnout the vote lets them see;
 * - the outcome the server writes at the reveal equals shared `tally()` over the ballots the
 *   model accepted (with the names of a named vote);
 * - an anonymous vote's outcome is the same, byte for byte, whichever connection cast which
 *   ballot, and its ballots are gone from the store once it is written.
 */
import {
  CLOSE,
  MESSAGE_BALLOT,
  MESSAGE_NOTICE,
  type Notice,
  newParticipantSecret,
} from '@common-ground/shared/board'
import {
  closeVote,
  readVoteState,
  reopenVote,
  revealVote,
  startVote,
  tally,
  type VoteSession,
} from '@common-ground/shared/vote'
import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deviceOf } from './ClientOwners.ts'
import { Connection, type Socket } from './Connection.ts'
import { runOnConnect } from './hooks.ts'
import { updateMessage } from './protocol.ts'
import type { Room } from './Room.ts'
import { readServerFrame, roomsForOneBoard } from './testRooms.ts'

const BOARD = 'ballot-board'

/** The three who may vote, an observer, and a participant link without a device secret. */
const VOTERS = ['lead', 'ana', 'ben'] as const
type Voter = (typeof VOTERS)[number]
type Who = Voter | 'observer' | 'nobody'
const NAMES: Record<Voter, string> = { lead: 'Lead', ana: 'Ana', ben: 'Ben' }

const ANON = 'anon'
const NAMED = 'named'
/** Notes b and c are in both votes, e in neither; the votes' caps and budgets get reached. */
const ITEMS = ['shape:a', 'shape:b', 'shape:b', 'shape:c', 'shape:c', 'shape:d', 'shape:e']

/** Everyone has two tabs open (two connections; a voter's share its device and ballot). */
type Tab = 0 | 1
const WHO: readonly Who[] = [...VOTERS, 'observer', 'nobody']
const TABS: readonly Tab[] = [0, 1]

type Op =
  | {
      kind: 'dot'
      who: Who
      tab: Tab
      sessionId: string
      itemId: string
      delta: 1 | -1
    }
  | { kind: 'close'; sessionId: string }
  | { kind: 'reopen'; sessionId: string }
  | { kind: 'rejoin'; who: Who; tab: Tab }

const who = fc.constantFrom<Who>('lead', 'ana', 'ben', 'ana', 'ben', 'observer', 'nobody')
const tab = fc.constantFrom<Tab>(0, 0, 1)
const sessionId = fc.constantFrom(ANON, ANON, NAMED, NAMED, 'ghost')
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('dot' as const),
      who,
      tab,
      sessionId,
      itemId: fc.constantFrom(...ITEMS),
      delta: fc.constantFrom<1 | -1>(1, 1, 1, -1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('close' as const, 'reopen' as const),
      sessionId: fc.constantFrom(ANON, NAMED),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rejoin' as const), who, tab }) },
)
/** Which voter casts what another would have cast: every permutation of the three. */
const permutation = fc.constantFrom<Voter[]>(
  ['lead', 'ana', 'ben'],
  ['lead', 'ben', 'ana'],
  ['ana', 'lead', 'ben'],
  ['ana', 'ben', 'lead'],
  ['ben', 'lead', 'ana'],
  ['ben', 'ana', 'lead'],
)

/** A connection that keeps a doc in step with the server and every notice it is sent. */
class Peer implements Socket {
  isOpen = true
  doc = new Y.Doc()
  notices: Notice[] = []
  connection!: Connection
  room!: Room
  send(data: Uint8Array): void {
    const frame = readServerFrame(data)
    if (frame.update) Y.applyUpdate(this.doc, frame.update, 'server')
    if (frame.type === MESSAGE_NOTICE)
      this.notices.push(JSON.parse(decoding.readVarString(frame.decoder)) as Notice)
  }
  close(): void {
    this.isOpen = false
  }
}

function ballotFrame(request: object): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_BALLOT)
  encoding.writeVarString(encoder, JSON.stringify(request))
  return encoding.toUint8Array(encoder)
}

/** The rules as plainly as they can be said: what the ballot box should keep. */
class Model {
  readonly sessions: Map<string, VoteSession>
  /** sessionId → voter → dots. */
  readonly ballots = new Map<string, Map<Voter, Record<string, number>>>()
  constructor(sessions: VoteSession[]) {
    this.sessions = new Map(sessions.map((session) => [session.id, session]))
    for (const session of sessions) this.ballots.set(session.id, new Map())
  }

  ballot(sessionId: string, voter: Voter): Record<string, number> {
    return this.ballots.get(sessionId)?.get(voter) ?? {}
  }

  /** The answer to one request: the ballot kept, and why the request was refused if it was. */
  cast(
    voter: Voter | null,
    request: { sessionId: string; itemId: string; delta: 1 | -1 },
  ): { dots: Record<string, number>; refused?: string } {
    if (voter === null) return { dots: {}, refused: 'notYourBallot' }
    const session = this.sessions.get(request.sessionId)
    if (!session) return { dots: {}, refused: 'unknownVote' }
    const kept = this.ballot(session.id, voter)
    if (session.status !== 'open') return { dots: kept, refused: 'notOpen' }
    if (!session.itemIds.includes(request.itemId)) return { dots: kept, refused: 'notInVote' }
    const count = Math.max(0, (kept[request.itemId] ?? 0) + request.delta)
    if (count > session.maxDotsPerItem) return { dots: kept, refused: 'itemCapReached' }
    const dots = { ...kept, [request.itemId]: count }
    if (count === 0) delete dots[request.itemId]
    const total = Object.values(dots).reduce((sum, n) => sum + n, 0)
    if (total > session.dotsPerParticipant) return { dots: kept, refused: 'budgetSpent' }
    this.ballots.get(session.id)?.set(voter, dots)
    return { dots }
  }

  voters(sessionId: string): Voter[] {
    return [...(this.ballots.get(sessionId) ?? [])]
      .filter(([, dots]) => Object.keys(dots).length > 0)
      .map(([voter]) => voter)
  }

  /** Names per note, sorted: who put at least one dot on it. */
  names(sessionId: string): Record<string, string[]> {
    const names: Record<string, string[]> = {}
    for (const [voter, dots] of this.ballots.get(sessionId) ?? []) {
      for (const itemId of Object.keys(dots)) {
        const list = names[itemId] ?? []
        list.push(NAMES[voter])
        names[itemId] = list
      }
    }
    for (const list of Object.values(names)) list.sort()
    return names
  }

  /** What everyone may know while a vote runs. */
  turnout(sessionId: string): unknown {
    const session = this.sessions.get(sessionId) as VoteSession
    const turnout: Record<string, unknown> = {
      kind: 'turnout',
      sessionId,
      voters: this.voters(sessionId).length,
    }
    if (!session.hiddenUntilReveal) {
      turnout.dots = this.dotsPerItem(session)
      if (!session.anonymous) turnout.names = this.names(sessionId)
    }
    return turnout
  }

  /** The outcome: shared `tally()` over the accepted ballots (and the names of a named vote). */
  outcome(sessionId: string): unknown {
    const session = this.sessions.get(sessionId) as VoteSession
    const counted = tally(
      session,
      [...(this.ballots.get(sessionId)?.values() ?? [])].map((dots) => ({ dots })),
    )
    const outcome: Record<string, unknown> = {
      dots: Object.fromEntries(counted.items.map((item) => [item.itemId, item.dots])),
      voters: counted.voters,
    }
    if (!session.anonymous) outcome.names = this.names(sessionId)
    return outcome
  }

  dotsPerItem(session: VoteSession): Record<string, number> {
    const dots: Record<string, number> = Object.fromEntries(session.itemIds.map((id) => [id, 0]))
    for (const ballot of this.ballots.get(session.id)?.values() ?? []) {
      for (const [itemId, count] of Object.entries(ballot))
        dots[itemId] = (dots[itemId] ?? 0) + count
    }
    return dots
  }
}

async function setup() {
  const { store, tokens, hooks, rooms } = await roomsForOneBoard({ boardId: BOARD })
  const secrets = new Map<Who, string>([
    ['lead', newParticipantSecret()],
    ['ana', newParticipantSecret()],
    ['ben', newParticipantSecret()],
    ['observer', newParticipantSecret()],
  ])
  const tokenOf: Record<Who, string> = {
    lead: tokens.facilitate,
    ana: tokens.edit,
    ben: tokens.edit,
    observer: tokens.view,
    nobody: tokens.edit,
  }
  const peers = new Map<string, Peer>()
  /** (Re)connects a tab of `who` with a fresh copy of the board, as the app does. */
  const connect = async (who: Who, tab: Tab) => {
    const old = peers.get(`${who}/${tab}`)
    if (old) rooms.leave(old.room, old.connection)
    const peer = new Peer()
    const params = new URLSearchParams({ token: tokenOf[who] })
    const secret = secrets.get(who)
    if (secret) params.set('participant', secret)
    peer.connection = new Connection(peer, { boardId: BOARD, remoteAddress: 't', params })
    expect(await runOnConnect(hooks, peer.connection)).toBeUndefined()
    peer.room = (await rooms.join(peer.connection)) as Room
    Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(peer.room.doc))
    peer.room.clientOwners.claim(peer.doc.clientID, deviceOf(peer.connection))
    peers.set(`${who}/${tab}`, peer)
    return peer
  }
  for (const person of WHO) for (const t of TABS) await connect(person, t)
  const peer = (who: Who, tab: Tab = 0) => peers.get(`${who}/${tab}`) as Peer
  const all = () => WHO.flatMap((person) => TABS.map((t) => ({ who: person, tab: t })))
  /** Everything queued is committed and sent, the turnout of this turn too. */
  const settle = async () => {
    await rooms.queue.flush()
    await new Promise((resolve) => setImmediate(resolve))
    await rooms.queue.flush()
  }
  /** The facilitator changes the votes in its copy; the change goes through the room. */
  const facilitate = async (change: (doc: Y.Doc) => void) => {
    const lead = peer('lead')
    const updates: Uint8Array[] = []
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') updates.push(update)
    }
    lead.doc.on('update', capture)
    change(lead.doc)
    lead.doc.off('update', capture)
    for (const update of updates) lead.room.receive(lead.connection, updateMessage(update))
    await settle()
    expect(lead.connection.refusals).toBe(0)
  }
  return { store, rooms, peer, all, connect, settle, facilitate }
}

/**
 * Plays `ops` (the voters swapped by `cast`: `cast[i]` casts what `VOTERS[i]` would) and checks
 * every answer and turnout against the model; resolves the outcomes the server wrote.
 */
async function play(ops: readonly Op[], cast: readonly Voter[]) {
  const { store, rooms, peer, all, connect, settle, facilitate } = await setup()
  const swap = (who: Who): Who => {
    const i = VOTERS.indexOf(who as Voter)
    return i < 0 ? who : (cast[i] as Voter)
  }
  try {
    const sessions: VoteSession[] = []
    await facilitate((doc) => {
      sessions.push(
        startVote(doc, {
          id: ANON,
          title: 'Anonymous',
          itemIds: ['shape:a', 'shape:b', 'shape:c'],
          now: 1_000,
          dotsPerParticipant: 3,
          maxDotsPerItem: 2,
          anonymous: true,
          hiddenUntilReveal: true,
        }),
        startVote(doc, {
          id: NAMED,
          title: 'Named',
          itemIds: ['shape:b', 'shape:c', 'shape:d'],
          now: 2_000,
          dotsPerParticipant: 4,
          maxDotsPerItem: 3,
          anonymous: false,
          hiddenUntilReveal: false,
        }),
      )
    })
    const model = new Model(sessions)
    /** The turnout everyone was last told, per vote. */
    const told = new Map<string, string>()
    for (const step of ops) {
      if (step.kind === 'close' || step.kind === 'reopen') {
        const session = model.sessions.get(step.sessionId) as VoteSession
        const open = session.status === 'open'
        if (open !== (step.kind === 'close')) continue // closing a closed vote is no change
        let changed: VoteSession | undefined
        await facilitate((doc) => {
          changed =
            step.kind === 'close'
              ? closeVote(doc, step.sessionId, 5_000)
              : reopenVote(doc, step.sessionId)
        })
        model.sessions.set(step.sessionId, changed as VoteSession)
        continue
      }
      const person = swap(step.who)
      const voter = VOTERS.includes(person as Voter) ? (person as Voter) : null
      if (step.kind === 'rejoin') {
        // A tab loaded again: told every running vote's turnout and, if it votes, its ballot.
        const fresh = await connect(person, step.tab)
        await settle()
        const expected: unknown[] = []
        for (const session of model.sessions.values()) {
          expected.push(model.turnout(session.id))
          if (voter)
            expected.push({
              kind: 'ballot',
              sessionId: session.id,
              dots: model.ballot(session.id, voter),
            })
        }
        expect(fresh.notices.filter((n) => n.kind !== 'welcome')).toEqual(expected)
        continue
      }
      const sender = peer(person, step.tab)
      const request = { sessionId: step.sessionId, itemId: step.itemId, delta: step.delta }
      const name = voter ? NAMES[voter] : 'Someone'
      const seen = new Map(
        all().map((p) => [`${p.who}/${p.tab}`, peer(p.who, p.tab).notices.length]),
      )
      sender.room.receive(sender.connection, ballotFrame({ ...request, name }))
      await settle()
      const answer = model.cast(voter, request)
      const ballot = { kind: 'ballot', sessionId: step.sessionId, ...answer }
      // Everyone hears the turnout when it changed, and only then (an unchanged one would say
      // that someone touched their ballot).
      const turnoutNow = answer.refused ? null : model.turnout(step.sessionId)
      const changed = turnoutNow !== null && JSON.stringify(turnoutNow) !== told.get(step.sessionId)
      if (changed) told.set(step.sessionId, JSON.stringify(turnoutNow))
      // The sender is answered; a taken dot shows in every tab of its device and nowhere else,
      // and everyone hears the turnout.
      for (const p of all()) {
        const news = peer(p.who, p.tab).notices.slice(seen.get(`${p.who}/${p.tab}`))
        const told =
          (p.who === person && p.tab === step.tab) || (!answer.refused && p.who === voter)
        expect(
          news.filter((n) => n.kind === 'ballot'),
          `${p.who}/${p.tab} after ${JSON.stringify(step)}`,
        ).toEqual(told ? [ballot] : [])
        const turnout = news.filter((n) => n.kind === 'turnout')
        expect(turnout).toEqual(changed ? [turnoutNow] : [])
      }
    }
    await facilitate((doc) => {
      revealVote(doc, ANON, 9_000)
      revealVote(doc, NAMED, 9_000)
    })
    const room = peer('lead').room
    const outcomes = readVoteState(room.doc).outcomes
    for (const id of [ANON, NAMED]) expect(outcomes.get(id), id).toEqual(model.outcome(id))
    // Everyone holds the same outcome, and no ballot ever entered the document.
    for (const p of all()) {
      const state = readVoteState(peer(p.who, p.tab).doc)
      expect(state.outcomes).toEqual(outcomes)
      expect(state.ballots.size).toBe(0)
    }
    // Anonymous for good: its ballots are gone from the store; the named vote's are kept.
    const stored = await store.loadBallots(BOARD)
    expect(stored.filter((ballot) => ballot.sessionId === ANON)).toEqual([])
    expect(stored.filter((ballot) => ballot.sessionId === NAMED)).toHaveLength(
      model.voters(NAMED).length,
    )
    return {
      anonymous: JSON.stringify(room.doc.getMap('votes').get(`outcome/${ANON}`)),
      named: outcomes.get(NAMED),
    }
  } finally {
    await rooms.close(CLOSE.serviceRestart, 'property over')
  }
}

describe('the ballot box under random traffic', () => {
  it('writes the outcome of the accepted ballots; anonymous, it is the same whoever cast what', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 60, size: 'large' }),
        permutation,
        async (ops, cast) => {
          const plain = await play(ops, VOTERS)
          const swapped = await play(ops, cast)
          expect(swapped.anonymous).toBe(plain.anonymous)
          expect(plain.anonymous).not.toContain('names')
        },
      ),
      { numRuns: 100 },
    )
    // 200 rooms played through: ~3 s alone, more on a busy machine (not a speed check).
  }, 30_000)
})
