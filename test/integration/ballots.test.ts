/**
 * The ballot box against a real server process (issue 17: "secret until revealed, anonymous for
 * good"). Ballots never enter the board's document: a dot is a request to the server
 * (`MESSAGE_BALLOT`), the caster alone is told their ballot, everyone else only the turnout the
 * vote lets them see, and at the reveal the server writes the outcome into the board.
 *
 * - A bystander records every frame it is sent during a hidden anonymous vote: nothing in it
 *   tells anyone's ballot before the reveal, and nothing after it ties a dot to a person.
 *   Presence shows each person by their person id, never by the participant id the server keeps
 *   their ballot under (issue 17: "presence carries no identifier that a ballot carries").
 * - Every refusal (rules, role, closed board, malformed requests) leaves the caster's ballot as it
 *   was.
 * - Ballots are kept across a restart (even `kill -9`): a voter gets theirs back, the outcome
 *   counts them.
 * - A board whose document still holds ballots from before loses them when it loads; their
 *   votes count as they did.
 * - A named, visible vote shows counts and names while it runs, and its outcome keeps the names.
 */
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { isDeepStrictEqual } from 'node:util'
import {
  isBoardClosed,
  MESSAGE_BALLOT,
  type Notice,
  participantIdFor,
  personIdFor,
} from '@common-ground/shared/board'
import {
  ballotKey,
  closeVote,
  rank,
  readVoteState,
  revealVote,
  sessionKey,
  startVote,
  tally,
  VOTES,
  type VoteSession,
} from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type CreatedBoard, createBoard, participantOf, withToken } from '../support/boards.ts'
import {
  announce,
  announceAsOlderApp,
  type Person,
  peopleIn,
  Recorder,
  syncUrl,
} from '../support/recorder.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers, useServer } from '../support/session.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import {
  type BallotNotice,
  ballotNotices,
  castDot,
  holdsBallotKeys,
  outcomeOf,
  rankingOf,
  turnoutNotices,
} from '../support/voting.ts'
import { ballotMessage, textMessage, waitFor, type YClient } from '../support/yclient.ts'

const DATABASE = 'common-ground.sqlite'

/** A dot request frame (type 101) carrying `text` as it is, JSON or not. */
const ballotText = (text: string) => textMessage(MESSAGE_BALLOT, text)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The notices about votes (ballots and turnout) among `notices`. */
const voteNotices = (notices: readonly Notice[]) =>
  notices.filter((notice) => notice.kind === 'ballot' || notice.kind === 'turnout')

/** One person casts their dots in order; resolves the answer to each. */
async function castAll(
  client: YClient,
  sessionId: string,
  itemIds: readonly string[],
  name?: string,
): Promise<BallotNotice[]> {
  const answers: BallotNotice[] = []
  for (const itemId of itemIds) {
    answers.push(await castDot(client, { sessionId, itemId, delta: 1, ...(name ? { name } : {}) }))
  }
  return answers
}

async function setClosed(server: RunningServer, boardId: string, closed: boolean): Promise<void> {
  const response = await fetch(withToken(`${server.url}/api/boards/${boardId}/closed`, boardId), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ closed }),
  })
  expect(response.status).toBe(200)
}

describe('a vote on a running server', () => {
  const running = useServer()

  const joinAs = (board: CreatedBoard, person: Person) => {
    const client = running.client(board.id, { params: person.params })
    return client.whenSynced().then(() => client)
  }

  it('tells a bystander nothing of anyone’s ballot before the reveal, and nobody’s name after', async () => {
    const board = await createBoard(running.server, { title: 'Secret ballot' })
    const lead = participantOf(board.id, 'facilitate')
    const [ana, ben, watcher] = [
      participantOf(board.id),
      participantOf(board.id),
      participantOf(board.id),
    ]
    const facilitator = await joinAs(board, lead)
    announce(facilitator, lead.personId, 'Fay Facilitator', '#a1b2c3')
    const recorder = await Recorder.open(syncUrl(running.server, board.id, watcher))
    try {
      const anaClient = await joinAs(board, ana)
      const benClient = await joinAs(board, ben)
      announce(anaClient, ana.personId, 'Ana Ballotwriter', '#d4e5f6')
      // Ben's app is from before person ids: it puts his participant id in his presence.
      announceAsOlderApp(benClient, ben.participantId, 'Ben Dotplacer')
      // Each person's two ids, derived from their device's secret as the server does: the one
      // everyone sees, and the one the server keeps their ballot under. They differ.
      const idsOf = (person: Person) => {
        const secret = person.params.participant as string
        return { seen: personIdFor(secret, board.id), keeping: participantIdFor(secret, board.id) }
      }
      const voters = [lead, ana, ben].map(idsOf)
      for (const { seen, keeping } of voters) expect(seen).not.toBe(keeping)
      const seenIds = voters.map((voter) => voter.seen)
      const keepingIds = voters.map((voter) => voter.keeping)
      // The recorder sees who is here, as everyone does: their names and person ids.
      const present = () => new Set(peopleIn(recorder.presence).map((p) => p.personId))
      await waitFor(() => seenIds.every((id) => present().has(id)), {
        what: 'everyone’s presence',
      })
      // Each voter's own app is told both its ids, and nobody else's.
      const welcome = (client: YClient) =>
        (client.notices as Notice[]).find((notice) => notice.kind === 'welcome')
      expect(welcome(anaClient)).toMatchObject({
        participantId: idsOf(ana).keeping,
        personId: idsOf(ana).seen,
      })

      const session = startVote(facilitator.doc, {
        id: 'secret',
        title: 'What first?',
        itemIds: ['shape:a', 'shape:b', 'shape:c'],
        now: Date.now(),
        anonymous: true,
        hiddenUntilReveal: true,
      })
      await waitFor(() => readVoteState(anaClient.doc).sessions.has(session.id), {
        what: 'the vote',
      })
      await waitFor(() => readVoteState(benClient.doc).sessions.has(session.id), {
        what: 'the vote',
      })
      // Ana's app is doctored to sign her dots; an anonymous vote keeps no name.
      const anaAnswers = await castAll(
        anaClient,
        session.id,
        ['shape:a', 'shape:a', 'shape:b'],
        'Ana Ballotwriter',
      )
      const benAnswers = await castAll(benClient, session.id, ['shape:b', 'shape:c'])
      // Ben takes one back and puts it again: the turnout moves, nothing else does.
      benAnswers.push(
        await castDot(benClient, { sessionId: session.id, itemId: 'shape:c', delta: -1 }),
        await castDot(benClient, { sessionId: session.id, itemId: 'shape:c', delta: 1 }),
      )
      expect(anaAnswers.at(-1)).toEqual({
        kind: 'ballot',
        sessionId: session.id,
        dots: { 'shape:a': 2, 'shape:b': 1 },
      })
      expect(benAnswers.map((answer) => answer.dots)).toEqual([
        { 'shape:b': 1 },
        { 'shape:b': 1, 'shape:c': 1 },
        { 'shape:b': 1 },
        { 'shape:b': 1, 'shape:c': 1 },
      ])
      await waitFor(() => turnoutNotices(recorder, session.id).at(-1)?.voters === 2, {
        what: 'the turnout of two voters',
      })
      // Presence goes on during the vote: Ben's older app says he is idle, with his participant
      // id again; the recorder sees him idle, under his person id.
      announceAsOlderApp(benClient, ben.participantId, 'Ben Dotplacer', { idle: true })
      await waitFor(
        () => peopleIn(recorder.presence).some((p) => p.personId === idsOf(ben).seen && p.idle),
        { what: 'Ben idle' },
      )

      // Before the reveal: the recorder's copy of the board never held a ballot; its notices
      // are its welcome and turnout counts, no more; no voter's id is in anything but presence.
      expect(recorder.ballotKeysSeen).toEqual(new Set())
      expect(recorder.nonPresenceBytes.includes('ballot/')).toBe(false)
      expect(new Set(recorder.notices.map((notice) => notice.kind))).toEqual(
        new Set(['welcome', 'turnout']),
      )
      const turnout = recorder.notices.filter((notice) => notice.kind === 'turnout')
      expect(turnout.length).toBeGreaterThan(0)
      for (const notice of turnout) {
        expect(Object.keys(notice).sort()).toEqual(['kind', 'sessionId', 'voters'])
      }
      expect(turnout.map((notice) => notice.voters)).toEqual(
        [...turnout.map((notice) => notice.voters)].sort((a, b) => a - b),
      )
      for (const id of [...seenIds, ...keepingIds]) {
        expect(recorder.nonPresenceBytes.includes(id), id).toBe(false)
      }
      // Nor is the id a ballot is kept under in any presence the recorder received.
      expect(peopleIn(recorder.presence).length).toBeGreaterThan(3)
      for (const person of peopleIn(recorder.presence)) {
        expect(seenIds).toContain(person.personId)
        expect(Object.keys(person)).not.toContain('participantId')
      }
      for (const id of keepingIds) expect(recorder.presenceBytes.includes(id), id).toBe(false)
      expect([...recorder.doc.getMap(VOTES).keys()]).toEqual([sessionKey(session.id)])

      revealVote(facilitator.doc, session.id, Date.now())
      await waitFor(() => outcomeOf(recorder, session.id), { what: 'the outcome' })

      // After it: counts, and how many voted; nothing that says who.
      expect(outcomeOf(recorder, session.id)).toEqual({
        dots: { 'shape:a': 2, 'shape:b': 2, 'shape:c': 1 },
        voters: 2,
      })
      expect(new Set(recorder.doc.getMap(VOTES).keys())).toEqual(
        new Set([sessionKey(session.id), `outcome/${session.id}`]),
      )
      expect(recorder.ballotKeysSeen).toEqual(new Set())
      const told = JSON.stringify([
        recorder.doc.getMap(VOTES).toJSON(),
        voteNotices(recorder.notices),
        voteNotices(anaClient.notices as Notice[]),
        voteNotices(benClient.notices as Notice[]),
        voteNotices(facilitator.notices as Notice[]),
      ])
      const presenceValues = peopleIn(recorder.presence).flatMap((person) => [
        person.personId,
        person.name,
        person.color,
      ])
      expect(presenceValues).toContain('Ana Ballotwriter')
      for (const value of new Set(presenceValues)) {
        expect(told.includes(value), value).toBe(false)
        expect(recorder.nonPresenceBytes.includes(value), value).toBe(false)
      }
      // Everyone else holds the same outcome, and the ranking the ballots call for.
      const expected = rank(
        tally(session, [
          { dots: { 'shape:a': 2, 'shape:b': 1 } },
          { dots: { 'shape:b': 1, 'shape:c': 1 } },
        ]),
      )
      for (const client of [facilitator, anaClient, benClient]) {
        await waitFor(() => outcomeOf(client, session.id), { what: 'the outcome' })
        expect(rankingOf(client, session)).toEqual(expected)
        expect(holdsBallotKeys(client)).toBe(false)
      }
    } finally {
      recorder.close()
    }
  })

  it('refuses dots against the rules, from an observer, on a closed board; the ballot stays', async () => {
    const board = await createBoard(running.server, { title: 'Refusals' })
    const facilitator = await joinAs(board, participantOf(board.id, 'facilitate'))
    const anaPerson = participantOf(board.id)
    const ana = await joinAs(board, anaPerson)
    const observer = await joinAs(board, participantOf(board.id, 'view'))
    const session = startVote(facilitator.doc, {
      id: 'rules',
      title: 'Rules',
      itemIds: ['shape:a', 'shape:b', 'shape:c'],
      now: Date.now(),
      dotsPerParticipant: 3,
      maxDotsPerItem: 2,
    })
    await waitFor(() => readVoteState(ana.doc).sessions.has(session.id), { what: 'the vote' })
    const sessionId = session.id

    /** Ana's ballot as the server keeps it; each refusal must answer with it, unchanged. */
    let kept: Record<string, number> = {}
    const accepted = async (itemId: string, delta: 1 | -1, dots: Record<string, number>) => {
      expect(await castDot(ana, { sessionId, itemId, delta })).toEqual({
        kind: 'ballot',
        sessionId,
        dots,
      })
      kept = dots
    }
    const refused = async (
      client: YClient,
      request: { sessionId: string; itemId: string; delta: 1 | -1 },
      reason: string,
      dots: Record<string, number> = kept,
    ) => {
      expect(await castDot(client, request)).toEqual({
        kind: 'ballot',
        sessionId: request.sessionId,
        dots,
        refused: reason,
      })
    }

    await accepted('shape:a', 1, { 'shape:a': 1 })
    await accepted('shape:a', 1, { 'shape:a': 2 })
    await refused(ana, { sessionId, itemId: 'shape:a', delta: 1 }, 'itemCapReached')
    await accepted('shape:b', 1, { 'shape:a': 2, 'shape:b': 1 })
    await refused(ana, { sessionId, itemId: 'shape:c', delta: 1 }, 'budgetSpent')
    await refused(ana, { sessionId, itemId: 'shape:elsewhere', delta: 1 }, 'notInVote')
    await refused(ana, { sessionId: 'nope', itemId: 'shape:a', delta: 1 }, 'unknownVote', {})
    // A view link holds no ballot.
    await refused(observer, { sessionId, itemId: 'shape:c', delta: 1 }, 'notYourBallot', {})

    // Malformed requests close the connection (1007) and change nothing: each is sent from a
    // second connection of Ana's own device.
    const valid = { sessionId, itemId: 'shape:c', delta: 1 }
    const encoder = new TextEncoder()
    const malformed: { what: string; frame: Uint8Array }[] = [
      { what: 'not JSON', frame: ballotText('{"sessionId": "rules",') },
      { what: 'an array', frame: ballotMessage([valid] as never) },
      { what: 'a number for the vote', frame: ballotMessage({ ...valid, sessionId: 5 }) },
      { what: 'a bad vote id', frame: ballotMessage({ ...valid, sessionId: 'rules/x' }) },
      { what: 'two dots at once', frame: ballotMessage({ ...valid, delta: 2 }) },
      { what: 'a dot as text', frame: ballotMessage({ ...valid, delta: '1' }) },
      { what: 'no dot', frame: ballotMessage({ sessionId, itemId: 'shape:c' }) },
      { what: 'an empty item', frame: ballotMessage({ ...valid, itemId: '' }) },
      { what: 'a name too long', frame: ballotMessage({ ...valid, name: 'n'.repeat(201) }) },
      { what: 'someone else’s id', frame: ballotMessage({ ...valid, participantId: 'x' }) },
      { what: 'oversized', frame: ballotText(`${JSON.stringify(valid)}${' '.repeat(2000)}`) },
      { what: 'no text at all', frame: Uint8Array.of(101) },
      { what: 'cut text', frame: Uint8Array.of(101, 40, ...encoder.encode('{"sess')) },
    ]
    for (const { what, frame } of malformed) {
      const socket = await openSocket(syncUrl(running.server, board.id, anaPerson))
      const closed = closeOf(socket)
      socket.send(frame)
      expect((await closed).code, what).toBe(1007)
    }
    await accepted('shape:b', -1, { 'shape:a': 2 })

    // A closed board takes no dots, not even from its participants; reopened, it does again.
    await setClosed(running.server, board.id, true)
    await waitFor(() => isBoardClosed(ana.doc), {
      what: 'the board closed',
    })
    await refused(ana, { sessionId, itemId: 'shape:b', delta: 1 }, 'cannotVote')
    await setClosed(running.server, board.id, false)
    await waitFor(() => !isBoardClosed(ana.doc), {
      what: 'the board reopened',
    })
    await accepted('shape:c', 1, { 'shape:a': 2, 'shape:c': 1 })

    // A vote whose countdown ended takes no dots, though nobody closed it.
    const timed = startVote(facilitator.doc, {
      id: 'timed',
      title: 'Quick',
      itemIds: ['shape:a'],
      now: Date.now(),
      endsAt: Date.now() + 1000,
    })
    await waitFor(() => readVoteState(ana.doc).sessions.has(timed.id), { what: 'the timed vote' })
    while (Date.now() <= (timed.endsAt as number) + 50) await sleep(100)
    await refused(ana, { sessionId: timed.id, itemId: 'shape:a', delta: 1 }, 'timeUp', {})

    // A closed vote takes none either.
    closeVote(facilitator.doc, sessionId, Date.now())
    await waitFor(() => readVoteState(ana.doc).sessions.get(sessionId)?.status === 'closed', {
      what: 'the close',
    })
    await refused(ana, { sessionId, itemId: 'shape:b', delta: 1 }, 'notOpen')
    await refused(ana, { sessionId, itemId: 'shape:a', delta: -1 }, 'notOpen')

    // Ana's ballot is what her accepted dots made: a new tab of hers is told it on joining.
    const again = await joinAs(board, anaPerson)
    await waitFor(() => ballotNotices(again, sessionId).length > 0, { what: 'her ballot' })
    expect(ballotNotices(again, sessionId)).toEqual([
      { kind: 'ballot', sessionId, dots: { 'shape:a': 2, 'shape:c': 1 } },
    ])
    revealVote(facilitator.doc, sessionId, Date.now())
    await waitFor(() => outcomeOf(facilitator, sessionId), { what: 'the outcome' })
    expect(outcomeOf(facilitator, sessionId)).toEqual({
      dots: { 'shape:a': 2, 'shape:b': 0, 'shape:c': 1 },
      voters: 1,
    })
  })

  it('shows counts and names while a named visible vote runs, and keeps the names', async () => {
    const board = await createBoard(running.server, { title: 'Named' })
    const facilitator = await joinAs(board, participantOf(board.id, 'facilitate'))
    const ana = await joinAs(board, participantOf(board.id))
    const ben = await joinAs(board, participantOf(board.id))
    const observer = await joinAs(board, participantOf(board.id, 'view'))
    const session = startVote(facilitator.doc, {
      id: 'named',
      title: 'Who wants what',
      itemIds: ['shape:a', 'shape:b', 'shape:c'],
      now: Date.now(),
      anonymous: false,
      hiddenUntilReveal: false,
    })
    for (const client of [ana, ben]) {
      await waitFor(() => readVoteState(client.doc).sessions.has(session.id), { what: 'the vote' })
    }
    await castAll(ana, session.id, ['shape:a', 'shape:a'], 'Ana')
    await castAll(ben, session.id, ['shape:b', 'shape:a'], 'Ben')
    const whole = {
      kind: 'turnout',
      sessionId: session.id,
      voters: 2,
      dots: { 'shape:a': 3, 'shape:b': 1, 'shape:c': 0 },
      names: { 'shape:a': ['Ana', 'Ben'], 'shape:b': ['Ben'] },
    }
    for (const client of [observer, facilitator, ana]) {
      await waitFor(() => isDeepStrictEqual(turnoutNotices(client, session.id).at(-1), whole), {
        what: 'the whole turnout',
      })
    }
    expect(turnoutNotices(observer, session.id).at(-1)).toEqual(whole)

    revealVote(facilitator.doc, session.id, Date.now())
    await waitFor(() => outcomeOf(observer, session.id), { what: 'the outcome' })
    expect(outcomeOf(observer, session.id)).toEqual({
      dots: { 'shape:a': 3, 'shape:b': 1, 'shape:c': 0 },
      voters: 2,
      names: { 'shape:a': ['Ana', 'Ben'], 'shape:b': ['Ben'] },
    })
    expect(rankingOf(observer, session)).toEqual([
      { itemId: 'shape:a', dots: 3, rank: 1 },
      { itemId: 'shape:b', dots: 1, rank: 2 },
      { itemId: 'shape:c', dots: 0, rank: 3 },
    ])
  })
})

describe('ballots on disk', () => {
  const { start, client } = useRestartableServers()

  const voter = (server: RunningServer, boardId: string, person: Person) =>
    client(server, boardId, { params: person.params })

  it('keeps every answered dot across kill -9: voters get their ballot back, the outcome counts it', async () => {
    const server = await start()
    const board = await createBoard(server, { title: 'Kept' })
    const facilitator = client(server, board.id)
    const [anaPerson, benPerson] = [participantOf(board.id), participantOf(board.id)]
    const ana = voter(server, board.id, anaPerson)
    const ben = voter(server, board.id, benPerson)
    await Promise.all([facilitator, ana, ben].map((c) => c.whenSynced()))
    const session = startVote(facilitator.doc, {
      id: 'kept',
      title: 'Kept',
      itemIds: ['shape:a', 'shape:b', 'shape:c'],
      now: Date.now(),
    })
    for (const c of [ana, ben]) {
      await waitFor(() => readVoteState(c.doc).sessions.has(session.id), { what: 'the vote' })
    }
    await castAll(ana, session.id, ['shape:a', 'shape:a', 'shape:b'])
    await castAll(ben, session.id, ['shape:c'])

    // Every dot was answered, so it is on disk: the server dies without a word.
    await server.kill9()
    ben.provider.disconnect() // Ben's tab is gone; he opens a new one below
    const anaBefore = ballotNotices(ana, session.id).length
    const restarted = await start({ dataDir: server.dataDir, port: server.port })
    // Ana's app reconnects by itself and is told her ballot; Ben opens a new tab.
    await waitFor(() => ballotNotices(ana, session.id).length > anaBefore, {
      what: 'Ana’s ballot after the restart',
    })
    expect(ballotNotices(ana, session.id).at(-1)).toEqual({
      kind: 'ballot',
      sessionId: session.id,
      dots: { 'shape:a': 2, 'shape:b': 1 },
    })
    const benAgain = voter(restarted, board.id, benPerson)
    await benAgain.whenSynced()
    await waitFor(() => ballotNotices(benAgain, session.id).length > 0, { what: 'Ben’s ballot' })
    expect(ballotNotices(benAgain, session.id)).toEqual([
      { kind: 'ballot', sessionId: session.id, dots: { 'shape:c': 1 } },
    ])
    expect(turnoutNotices(benAgain, session.id).at(-1)?.voters).toBe(2)
    // Voting carries on from the kept ballots: Ana's budget holds two more dots.
    await castAll(ana, session.id, ['shape:c', 'shape:c'])
    expect(
      (await castDot(ana, { sessionId: session.id, itemId: 'shape:b', delta: 1 })).refused,
    ).toBe('budgetSpent')

    await waitFor(() => facilitator.provider.wsconnected && facilitator.provider.synced, {
      what: 'the facilitator back',
    })
    revealVote(facilitator.doc, session.id, Date.now())
    await waitFor(() => outcomeOf(benAgain, session.id), { what: 'the outcome' })
    const outcome = {
      dots: { 'shape:a': 2, 'shape:b': 1, 'shape:c': 3 },
      voters: 2,
    }
    expect(outcomeOf(benAgain, session.id)).toEqual(outcome)

    // Anonymous for good: the ballots are gone from the store once the outcome is written, and
    // the outcome stays after another restart.
    expect(await restarted.stop()).toBe(0)
    const db = new DatabaseSync(path.join(server.dataDir, DATABASE), { readOnly: true })
    try {
      const rows = db
        .prepare('SELECT count(*) AS n FROM board_ballots WHERE board_id = ?')
        .get(board.id) as { n: number }
      expect(Number(rows.n)).toBe(0)
    } finally {
      db.close()
    }
    const third = await start({ dataDir: server.dataDir })
    const late = voter(third, board.id, anaPerson)
    await late.whenSynced()
    expect(outcomeOf(late, session.id)).toEqual(outcome)
    expect(holdsBallotKeys(late)).toBe(false)
    await third.stop()
  })

  it('moves ballots a board kept in its document out of it when it loads; they still count', async () => {
    const server = await start()
    const board = await createBoard(server, { title: 'From before' })
    expect(await server.stop()).toBe(0)

    // What the app wrote before the ballot box: sessions and ballots side by side in `votes`.
    const [p1, p2, p3, p4] = [1, 2, 3, 4].map(() => participantOf(board.id)) as [
      Person,
      Person,
      Person,
      Person,
    ]
    const base = {
      title: 'Before',
      itemIds: ['shape:a', 'shape:b'],
      dotsPerParticipant: 5,
      maxDotsPerItem: 3,
      endsAt: null,
      startedAt: 1_000,
      runoffOf: null,
    }
    const revealed: VoteSession = {
      ...base,
      id: 'done',
      anonymous: true,
      hiddenUntilReveal: true,
      status: 'revealed',
      closedAt: 2_000,
      revealedAt: 2_000,
    }
    const open: VoteSession = {
      ...base,
      id: 'running',
      anonymous: false,
      hiddenUntilReveal: false,
      status: 'open',
      closedAt: null,
      revealedAt: null,
    }
    const legacy = new Y.Doc()
    legacy.transact(() => {
      const votes = legacy.getMap(VOTES)
      votes.set(sessionKey(revealed.id), revealed)
      votes.set(ballotKey(revealed.id, p1.participantId), { dots: { 'shape:a': 2 } })
      votes.set(ballotKey(revealed.id, p2.participantId), { dots: { 'shape:a': 1, 'shape:b': 1 } })
      votes.set(sessionKey(open.id), open)
      votes.set(ballotKey(open.id, p1.participantId), { dots: { 'shape:b': 1 }, name: 'Ana' })
      votes.set(ballotKey(open.id, p3.participantId), { dots: { 'shape:a': 2 }, name: 'Cy' })
      // A ballot that never counted (tally's rule) goes with the rest.
      votes.set(ballotKey(open.id, p4.participantId), { dots: { 'shape:a': 'lots' } })
    })
    const db = new DatabaseSync(path.join(server.dataDir, DATABASE), { timeout: 5000 })
    try {
      db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(
        board.id,
        Y.encodeStateAsUpdate(legacy),
      )
      // …and a version saved then, which holds them too.
      db.prepare(
        'INSERT INTO board_versions (board_id, name, auto, created_at, data) VALUES (?, ?, 0, ?, ?)',
      ).run(board.id, 'before the ballot box', Date.now(), Y.encodeStateAsUpdate(legacy))
    } finally {
      db.close()
    }

    const restarted = await start({ dataDir: server.dataDir })
    const facilitator = client(restarted, board.id)
    await facilitator.whenSynced()
    expect(holdsBallotKeys(facilitator)).toBe(false)
    expect(
      restarted.logs.filter(
        (line) => line.msg === 'ballots moved out of the document' && line.board === board.id,
      ),
    ).toEqual([expect.objectContaining({ ballots: 5 })])
    // On disk too: the version is rewritten without them, and the log that held them is folded
    // into a snapshot of the board as it is now (whose deleted entries keep their keys, not
    // their dots: docs/voting.md).
    await waitFor(
      () =>
        restarted.logs.some((line) => line.msg === 'versions rewritten without ballots and stamps'),
      { what: 'the version rewritten' },
    )
    const onDisk = new DatabaseSync(path.join(server.dataDir, DATABASE), { readOnly: true })
    try {
      const version = onDisk
        .prepare('SELECT data FROM board_versions WHERE board_id = ?')
        .get(board.id) as { data: Uint8Array }
      const text = Buffer.from(version.data).toString('latin1')
      for (const person of [p1, p2, p3, p4]) expect(text).not.toContain(person.participantId)
      expect(text).toContain('Before') // the vote itself is still there
      expect(
        onDisk.prepare('SELECT count(*) AS n FROM board_updates WHERE board_id = ?').get(board.id),
      ).toEqual({ n: 0 })
      const snapshot = onDisk
        .prepare('SELECT data FROM board_snapshots WHERE board_id = ?')
        .get(board.id) as { data: Uint8Array }
      const folded = new Y.Doc()
      Y.applyUpdate(folded, snapshot.data)
      const ballotEntries = [...folded.store.clients.values()]
        .flat()
        .filter(
          (struct): struct is Y.Item =>
            struct instanceof Y.Item && String(struct.parentSub).startsWith('ballot/'),
        )
      expect(ballotEntries).toHaveLength(5)
      expect(ballotEntries.every((item) => item.content instanceof Y.ContentDeleted)).toBe(true)
      folded.destroy()
    } finally {
      onDisk.close()
    }
    // The vote revealed before the move gets its outcome from the ballots it had.
    expect(outcomeOf(facilitator, revealed.id)).toEqual({
      dots: { 'shape:a': 3, 'shape:b': 1 },
      voters: 2,
    })
    expect(outcomeOf(facilitator, open.id)).toBeUndefined()
    expect(new Set(facilitator.doc.getMap(VOTES).keys())).toEqual(
      new Set([sessionKey(revealed.id), `outcome/${revealed.id}`, sessionKey(open.id)]),
    )

    // Moved into the box for good (a second start finds nothing to move): the open vote's
    // voters get their ballots back, everyone its turnout, and it counts them when revealed.
    expect(await restarted.stop()).toBe(0)
    const third = await start({ dataDir: server.dataDir })
    const lead = client(third, board.id)
    const ana = voter(third, board.id, p1)
    await Promise.all([lead.whenSynced(), ana.whenSynced()])
    expect(third.logs.some((line) => line.msg === 'ballots moved out of the document')).toBe(false)
    expect(holdsBallotKeys(lead)).toBe(false)
    await waitFor(() => ballotNotices(ana, open.id).length > 0, { what: 'Ana’s ballot' })
    expect(ballotNotices(ana, open.id)).toEqual([
      { kind: 'ballot', sessionId: open.id, dots: { 'shape:b': 1 } },
    ])
    expect(ballotNotices(ana, revealed.id)).toEqual([])
    await waitFor(() => turnoutNotices(lead, open.id).length > 0, { what: 'the turnout' })
    expect(turnoutNotices(lead, open.id).at(-1)).toEqual({
      kind: 'turnout',
      sessionId: open.id,
      voters: 2,
      dots: { 'shape:a': 2, 'shape:b': 1 },
      names: { 'shape:a': ['Cy'], 'shape:b': ['Ana'] },
    })
    revealVote(lead.doc, open.id, Date.now())
    await waitFor(() => outcomeOf(ana, open.id), { what: 'the outcome' })
    expect(outcomeOf(ana, open.id)).toEqual({
      dots: { 'shape:a': 2, 'shape:b': 1 },
      voters: 2,
      names: { 'shape:a': ['Cy'], 'shape:b': ['Ana'] },
    })
    await third.stop()
  })
})
