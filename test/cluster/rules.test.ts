/**
 * Every rule holds whichever process a person is connected to: the owner judges what a replica
 * forwards with the identity the replica checked. A participant on another process than the
 * board's owner is refused a facilitator-only write (and nobody receives it), an observer there
 * writes nothing, a dot cast there is answered with the voter's own ballot, and the reveal's
 * outcome counts it; so is a placement mark, and the round's result counts it.
 */
import { MESSAGE_ROUND, type Notice } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import {
  readRoundState,
  revealRound,
  revealVote,
  sessionKey,
  startRound,
  startVote,
  VOTES,
} from '@common-ground/shared/vote'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import { clusterSettings, ownerOf, startMember } from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { castDot, outcomeOf, turnoutNotices } from '../support/voting.ts'
import { jsonMessage, waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let database: TestDatabase
let members: RunningServer[] = []
beforeAll(async () => {
  database = await createDatabase()
  const settings = clusterSettings(database)
  members = await Promise.all([0, 1].map(() => startMember(settings)))
})
afterAll(async () => {
  await Promise.all(members.map((member) => member.stop()))
  await database?.drop()
})

const refusals = (client: YClient) =>
  (client.notices as Notice[]).filter((notice) => notice.kind === 'write-refused')

describe('the rules across processes', () => {
  it('a participant on a replica is refused a facilitator-only write; an observer there writes nothing; a dot cast there is answered', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'Rules' })
    const lead = session.client(members[0] as RunningServer, board.id, {
      params: participantOf(board.id, 'facilitate').params,
    })
    await lead.whenSynced()
    const owner = await ownerOf(database, members, board.id)
    expect(owner).toBe(members[0])
    const replica = members[1] as RunningServer
    const join = async (kind: 'edit' | 'view') => {
      const joined = session.client(replica, board.id, {
        params: participantOf(board.id, kind).params,
      })
      await joined.whenSynced()
      return joined
    }
    const ana = await join('edit')
    const watcher = await join('view')
    // The welcome notice came from the owner, through the replica, with the role of the link.
    for (const person of [ana, watcher]) {
      await waitFor(() => (person.notices as Notice[]).find((n) => n.kind === 'welcome'), {
        what: 'the welcome',
      })
    }
    expect((ana.notices as Notice[]).find((n) => n.kind === 'welcome')).toMatchObject({
      role: 'participant',
    })
    expect((watcher.notices as Notice[]).find((n) => n.kind === 'welcome')).toMatchObject({
      role: 'observer',
    })

    // A participant may not start a vote: refused by the owner, told through the replica.
    ana.doc.getMap(VOTES).set(sessionKey('hers'), { id: 'hers', title: 'Mine' })
    await waitFor(() => refusals(ana).length === 1, { what: 'Ana’s refusal' })
    expect(refusals(ana)[0]).toMatchObject({ code: 'facilitators-only', resync: true })
    // An observer may not add a note.
    const sneaky = note('sneaky', 'from a view link')
    watcher.board.records.set(sneaky.id, sneaky)
    await waitFor(() => refusals(watcher).length === 1, { what: 'the observer’s refusal' })
    expect(refusals(watcher)[0]).toMatchObject({ code: 'read-only' })
    // Ana's own note is fine, and reaches the facilitator on the other process.
    const hers = note('hers', 'a note from the replica')
    await ana.whenSynced()
    ana.board.records.set(hers.id, hers)
    await waitFor(() => lead.board.records.get(hers.id), { what: 'Ana’s note at the lead' })
    // Neither refused write reached anyone.
    expect(lead.doc.getMap(VOTES).has(sessionKey('hers'))).toBe(false)
    expect(lead.board.records.get(sneaky.id)).toBeUndefined()

    // The facilitator starts a vote; Ana, on the replica, casts dots through the owner's desk.
    const vote = startVote(lead.doc, {
      id: 'first',
      title: 'Which first?',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    await waitFor(() => ana.doc.getMap(VOTES).has(sessionKey(vote.id)), { what: 'the vote at Ana' })
    expect(await castDot(ana, { sessionId: vote.id, itemId: 'shape:a', delta: 1 })).toEqual({
      kind: 'ballot',
      sessionId: vote.id,
      dots: { 'shape:a': 1 },
    })
    const second = await castDot(ana, { sessionId: vote.id, itemId: 'shape:b', delta: 1 })
    expect(second.dots).toEqual({ 'shape:a': 1, 'shape:b': 1 })
    // An observer's dot is refused, with the reason.
    const refused = await castDot(watcher, { sessionId: vote.id, itemId: 'shape:a', delta: 1 })
    expect(refused.refused).toBeDefined()
    // Everyone, on either process, hears the turnout.
    await waitFor(() => turnoutNotices(lead, vote.id).at(-1)?.voters === 1, {
      what: 'the turnout at the lead',
    })
    await waitFor(() => turnoutNotices(ana, vote.id).at(-1)?.voters === 1, {
      what: 'the turnout at Ana',
    })
    // The reveal: the outcome, written by the owner, counts Ana's dots on both processes.
    revealVote(lead.doc, vote.id, Date.now())
    for (const person of [lead, ana, watcher]) {
      await waitFor(() => outcomeOf(person, vote.id), { what: 'the outcome' })
      expect(outcomeOf(person, vote.id)?.dots).toEqual({ 'shape:a': 1, 'shape:b': 1 })
    }

    // A placement round: Ana's mark, sent on the replica, is judged and kept by the owner; an
    // observer's is refused; the owner's result reaches both processes.
    startRound(lead.doc, {
      id: 'place',
      kind: 'placement',
      title: 'Impact and effort',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    await waitFor(() => readRoundState(ana.doc).rounds.has('place'), { what: 'the round at Ana' })
    const markFrom = async (client: YClient, mark: object) => {
      const answers = () =>
        (client.notices as Notice[]).filter(
          (n) => n.kind === 'round-ballot' && n.roundId === 'place',
        )
      const seen = answers().length
      client.provider.ws?.send(
        jsonMessage(MESSAGE_ROUND, { roundId: 'place', itemId: 'shape:a', mark }),
      )
      return waitFor(() => answers()[seen], { what: 'the answer to a mark' })
    }
    expect(await markFrom(ana, { impact: 8, effort: 3 })).toEqual({
      kind: 'round-ballot',
      roundId: 'place',
      marks: { 'shape:a': { impact: 8, effort: 3 } },
    })
    expect(await markFrom(watcher, { impact: 1, effort: 1 })).toMatchObject({
      refused: 'cannotVote',
    })
    revealRound(lead.doc, 'place', Date.now())
    for (const person of [lead, ana, watcher]) {
      await waitFor(() => readRoundState(person.doc).results.get('place'), { what: 'the result' })
      expect(readRoundState(person.doc).results.get('place')).toMatchObject({ voters: 1 })
    }
  })
})

describe('the server’s own changes across processes', () => {
  it('closing a board, restoring a version and replacing a link through a process that does not own the board', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'HTTP anywhere' })
    const lead = session.client(members[0] as RunningServer, board.id, {
      params: participantOf(board.id, 'facilitate').params,
    })
    await lead.whenSynced()
    expect(await ownerOf(database, members, board.id)).toBe(members[0])
    const other = members[1] as RunningServer
    const ana = session.client(other, board.id, { params: participantOf(board.id).params })
    const ben = session.client(members[0] as RunningServer, board.id, {
      params: participantOf(board.id).params,
    })
    await Promise.all([ana.whenSynced(), ben.whenSynced()])
    const post = (path: string, body: unknown = {}) =>
      fetch(`${other.url}/api/boards/${board.id}${path}?token=${board.tokens.facilitate}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })

    // A version, then a note, then the version restored: through the other process.
    const saved = await post('/versions', { name: 'empty' })
    expect(saved.status).toBe(201)
    const { id: versionId } = (await saved.json()) as { id: number }
    const later = note('later', 'written after the version')
    lead.board.records.set(later.id, later)
    await waitFor(() => ana.board.records.get(later.id), { what: 'the note at Ana' })
    const restored = await post(`/versions/${versionId}/restore`)
    expect(restored.status).toBe(200)
    for (const person of [lead, ana, ben]) {
      await waitFor(() => person.board.records.get(later.id) === undefined, {
        what: 'the restore everywhere',
      })
    }

    // Closed to edits through the other process: everyone is told, and the owner refuses.
    const closed = await post('/closed', { closed: true })
    expect(closed.status).toBe(200)
    for (const person of [lead, ana, ben]) {
      await waitFor(() => person.doc.getMap('meta').get('closedForEdits') === true, {
        what: 'the board closed everywhere',
      })
    }
    const refused = note('refused', 'after closing')
    ana.board.records.set(refused.id, refused)
    await waitFor(() => refusals(ana).some((notice) => notice.code === 'board-closed'), {
      what: 'Ana refused on a closed board',
    })

    // The edit link replaced through the other process: its people on both processes go.
    const codes: number[] = []
    for (const person of [ana, ben]) {
      person.provider.on('connection-close', (event: CloseEvent | null) => {
        if (event) codes.push(event.code)
      })
    }
    const rotated = await post('/links/edit/rotate')
    expect(rotated.status).toBe(200)
    await waitFor(() => codes.filter((code) => code === 4403).length >= 2, {
      what: 'both edit-link people let go',
    })
    expect(lead.provider.wsconnected).toBe(true)
  })
})

describe('limits across processes', () => {
  it('MAX_BOARDS holds for the whole cluster, with creations racing on two processes', async () => {
    // A database of its own: its boards are only the ones this test creates.
    const own = await createDatabase()
    const settings = clusterSettings(own)
    const limited = await Promise.all(
      [0, 1].map(() => startMember(settings, { env: { MAX_BOARDS: '4' } })),
    )
    try {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const response = await fetch(`${(limited[i % 2] as RunningServer).url}/api/boards`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title: `Racing ${i}` }),
          })
          if (response.status === 507) {
            expect(await response.json()).toMatchObject({ error: { code: 'board_limit_reached' } })
          }
          return response.status
        }),
      )
      expect(statuses.filter((status) => status === 201)).toHaveLength(4)
      expect(statuses.filter((status) => status === 507)).toHaveLength(6)
      const [row] = await own.query<{ boards: string }>('SELECT count(*) AS boards FROM boards')
      expect(Number(row?.boards)).toBe(4)
    } finally {
      await Promise.all(limited.map((member) => member.stop()))
      await own.drop()
    }
  })

  it('an address’s board creation budget is one for the whole cluster', async () => {
    const settings = clusterSettings(database)
    const limited = await Promise.all(
      [0, 1].map(() => startMember(settings, { env: { MAX_BOARDS_PER_HOUR_PER_IP: '3' } })),
    )
    try {
      const create = (member: RunningServer) =>
        fetch(`${member.url}/api/boards`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'One more' }),
        })
      const [a, b] = limited as [RunningServer, RunningServer]
      const statuses = []
      for (const member of [a, b, a, b]) statuses.push((await create(member)).status)
      expect(statuses).toEqual([201, 201, 201, 429])
      const refused = await create(a)
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(1000)
    } finally {
      await Promise.all(limited.map((member) => member.stop()))
    }
  })
})
