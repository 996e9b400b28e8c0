/**
 * Placement rounds (impact and effort) and consensus checks (fist to five) against a real server
 * process, through raw sockets (issue 21, parts 2 and 3). Marks never enter the board's document:
 * each is a `MESSAGE_ROUND` request, judged by the server, kept under the sender's participant
 * id and answered to the sender alone; everyone else learns only how many have taken part. At the
 * reveal the server writes the aggregate and forgets the marks.
 *
 * - Forged (another identity named, another kind, a result or round written by a participant),
 *   late (after close or reveal), out-of-range, malformed and view-link marks are refused, each
 *   with its own reason, and leave the sender's marks as they were.
 * - Two sockets of one device are one person: one set of marks, counted once.
 * - A bystander's frames hold nobody's marks before the reveal, and no id after it.
 * - Marks are kept across a `kill -9`.
 */
import { MESSAGE_ROUND, type Notice } from '@common-ground/shared/board'
import {
  closeRound,
  readRoundState,
  revealRound,
  roundKey,
  roundResultKey,
  startRound,
} from '@common-ground/shared/vote'
import { describe, expect, it } from 'vitest'
import { type Attacker, openAttacker } from '../support/attack.ts'
import { type CreatedBoard, createBoard, participantOf } from '../support/boards.ts'
import { type Person, Recorder, syncUrl } from '../support/recorder.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers, useServer } from '../support/session.ts'
import { jsonMessage, textMessage, waitFor, type YClient } from '../support/yclient.ts'

type RoundBallotNotice = Extract<Notice, { kind: 'round-ballot' }>
type RoundTurnoutNotice = Extract<Notice, { kind: 'round-turnout' }>

const ISSUES = ['shape:a', 'shape:b', 'shape:c']

const roundBallots = (notices: readonly unknown[], roundId: string) =>
  (notices as Notice[]).filter(
    (notice): notice is RoundBallotNotice =>
      notice.kind === 'round-ballot' && notice.roundId === roundId,
  )
const turnouts = (notices: readonly unknown[], roundId: string) =>
  (notices as Notice[]).filter(
    (notice): notice is RoundTurnoutNotice =>
      notice.kind === 'round-turnout' && notice.roundId === roundId,
  )

/** Sends one round request (any JSON) on a raw socket and resolves the server's answer to it. */
async function mark(
  socket: Attacker,
  request: Record<string, unknown>,
): Promise<RoundBallotNotice> {
  const roundId = String(request.roundId)
  const seen = roundBallots(socket.notices, roundId).length
  socket.send(jsonMessage(MESSAGE_ROUND, request))
  await socket.until(() => roundBallots(socket.notices, roundId).length > seen, 10_000, 'an answer')
  return roundBallots(socket.notices, roundId)[seen] as RoundBallotNotice
}

async function socketOf(server: RunningServer, board: CreatedBoard, person: Person) {
  const socket = await openAttacker(syncUrl(server, board.id, person))
  await socket.roundTrip()
  return socket
}

describe('placement rounds and consensus checks on a running server', () => {
  const running = useServer()

  const facilitatorOf = async (board: CreatedBoard): Promise<YClient> => {
    const client = running.client(board.id, {
      params: participantOf(board.id, 'facilitate').params,
    })
    await client.whenSynced()
    return client
  }

  it('keeps placements hidden, refuses forged, late, out-of-range and view-link marks, and reveals only aggregates', async () => {
    const board = await createBoard(running.server, { title: 'Impact and effort' })
    const facilitator = await facilitatorOf(board)
    const [ana, ben, watcher] = [
      participantOf(board.id),
      participantOf(board.id),
      participantOf(board.id),
    ]
    const viewer = participantOf(board.id, 'view')
    const recorder = await Recorder.open(syncUrl(running.server, board.id, watcher))
    const anaSocket = await socketOf(running.server, board, ana)
    const anaAgain = await socketOf(running.server, board, ana) // Ana's second tab
    const benSocket = await socketOf(running.server, board, ben)
    const viewSocket = await socketOf(running.server, board, viewer)
    try {
      startRound(facilitator.doc, {
        id: 'place',
        kind: 'placement',
        title: 'Impact and effort',
        itemIds: ISSUES,
        now: Date.now(),
      })
      await anaSocket.until(() => readRoundState(anaSocket.doc).rounds.has('place'))
      const roundId = 'place'

      // Accepted marks answer with the sender's marks; Ana's second tab is told too.
      expect(
        await mark(anaSocket, { roundId, itemId: 'shape:a', mark: { impact: 9, effort: 2 } }),
      ).toEqual({
        kind: 'round-ballot',
        roundId,
        marks: { 'shape:a': { impact: 9, effort: 2 } },
      })
      await anaAgain.until(
        () => roundBallots(anaAgain.notices, roundId).at(-1)?.marks['shape:a'] !== undefined,
      )
      // Her second tab moves it: still one person.
      await mark(anaAgain, { roundId, itemId: 'shape:a', mark: { impact: 8, effort: 2 } })
      const anaKept = { 'shape:a': { impact: 8, effort: 2 }, 'shape:b': { impact: 3, effort: 7 } }
      expect(
        (await mark(anaSocket, { roundId, itemId: 'shape:b', mark: { impact: 3, effort: 7 } }))
          .marks,
      ).toEqual(anaKept)
      await mark(benSocket, { roundId, itemId: 'shape:a', mark: { impact: 6, effort: 4 } })
      await mark(benSocket, { roundId, itemId: 'shape:c', mark: { impact: 5, effort: 5 } })
      // Ben takes one back.
      expect((await mark(benSocket, { roundId, itemId: 'shape:c', mark: null })).marks).toEqual({
        'shape:a': { impact: 6, effort: 4 },
      })

      // Every refusal has its reason and leaves Ana's marks as the server keeps them.
      const refused = async (
        socket: Attacker,
        request: Record<string, unknown>,
        reason: string,
        marks: object = anaKept,
      ) =>
        expect(await mark(socket, request)).toEqual({
          kind: 'round-ballot',
          roundId: request.roundId,
          marks,
          refused: reason,
        })
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:a', mark: { impact: 11, effort: 2 } },
        'outOfRange',
      )
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:a', mark: { impact: -1, effort: 2 } },
        'outOfRange',
      )
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:a', mark: { impact: 2.5, effort: 2 } },
        'outOfRange',
      )
      await refused(anaSocket, { roundId, itemId: 'shape:a', mark: { fingers: 3 } }, 'wrongKind')
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:zzz', mark: { impact: 1, effort: 1 } },
        'notInRound',
      )
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:a', mark: { impact: '5', effort: 2 } },
        'invalid',
      )
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:a', mark: { impact: 1, effort: 1 }, extra: 1 },
        'invalid',
      )
      // Forged identity: a mark that names Ben's participant id is refused, and Ben keeps his.
      await refused(
        anaSocket,
        {
          roundId,
          itemId: 'shape:c',
          mark: { impact: 0, effort: 10 },
          participantId: ben.participantId,
        },
        'notYourBallot',
      )
      await refused(
        anaSocket,
        { roundId: 'nope', itemId: 'shape:a', mark: null },
        'unknownRound',
        {},
      )
      // A view link places nothing.
      await refused(
        viewSocket,
        { roundId, itemId: 'shape:a', mark: { impact: 1, effort: 1 } },
        'cannotVote',
        {},
      )

      // Not a request at all: the connection is closed (1007), nothing changes.
      const broken = await socketOf(running.server, board, ana)
      broken.send(textMessage(MESSAGE_ROUND, '{"roundId":'))
      expect((await broken.whenClosed).code).toBe(1007)

      const refusalsOf = (client: YClient) =>
        (client.notices as Notice[]).filter((notice) => notice.kind === 'write-refused')
      // A participant cannot start or reveal a round, nor write a result into the board.
      const anaDoc = running.client(board.id, { params: ana.params, reloadOnRefusal: false })
      await anaDoc.whenSynced()
      revealRound(anaDoc.doc, roundId, Date.now())
      await waitFor(() => refusalsOf(anaDoc).length > 0, { what: 'a refusal' })
      expect(refusalsOf(anaDoc).at(-1)).toMatchObject({
        kind: 'write-refused',
        code: 'facilitators-only',
      })
      const forgedResult = {
        kind: 'placement',
        voters: 1,
        items: {
          'shape:a': { count: 1, impact: { mean: 10, spread: 0 }, effort: { mean: 0, spread: 0 } },
        },
      }
      facilitator.doc.getMap('rounds').set(roundResultKey(roundId), forgedResult)
      await waitFor(() => refusalsOf(facilitator).length > 0, { what: 'a refusal' })
      expect(refusalsOf(facilitator).at(-1)).toMatchObject({
        kind: 'write-refused',
        code: 'server-only',
      })

      // Everyone sees how many took part, nothing more.
      await waitFor(() => turnouts(recorder.notices, roundId).at(-1)?.voters === 2, {
        what: 'turnout 2',
      })
      const revealing = await facilitatorOf(board)
      await waitFor(() => readRoundState(revealing.doc).rounds.has(roundId), { what: 'the round' })

      // Late: a closed round takes nothing.
      closeRound(revealing.doc, roundId, Date.now())
      await anaSocket.until(
        () => readRoundState(anaSocket.doc).rounds.get(roundId)?.status === 'closed',
      )
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:c', mark: { impact: 1, effort: 1 } },
        'notOpen',
      )

      revealRound(revealing.doc, roundId, Date.now())
      await waitFor(() => readRoundState(recorder.doc).results.has(roundId), { what: 'the result' })
      expect(readRoundState(recorder.doc).results.get(roundId)).toEqual({
        kind: 'placement',
        voters: 2,
        items: {
          'shape:a': { count: 2, impact: { mean: 7, spread: 1 }, effort: { mean: 3, spread: 1 } },
          'shape:b': { count: 1, impact: { mean: 3, spread: 0 }, effort: { mean: 7, spread: 0 } },
        },
      })
      // Late again: after the reveal, refused as such; the marks are gone.
      await refused(
        anaSocket,
        { roundId, itemId: 'shape:c', mark: { impact: 1, effort: 1 } },
        'revealed',
        {},
      )

      // The bystander never saw a mark or an id: only turnout notices, and the aggregate.
      const kinds = new Set(recorder.notices.map((notice) => notice.kind))
      expect(kinds.has('round-ballot')).toBe(false)
      for (const id of [ana.participantId, ben.participantId])
        expect(recorder.nonPresenceBytes.includes(id)).toBe(false)
      expect([...recorder.doc.getMap('rounds').keys()].sort()).toEqual([
        roundResultKey(roundId),
        roundKey(roundId),
      ])
    } finally {
      for (const socket of [anaSocket, anaAgain, benSocket, viewSocket]) socket.close()
      recorder.close()
    }
  })

  it('runs a consensus check: fingers 0–5, hidden until the reveal, the distribution after', async () => {
    const board = await createBoard(running.server, { title: 'Fist to five' })
    const facilitator = await facilitatorOf(board)
    const people = Array.from({ length: 4 }, () => participantOf(board.id))
    const sockets = await Promise.all(
      people.map((person) => socketOf(running.server, board, person)),
    )
    try {
      startRound(facilitator.doc, {
        id: 'agree',
        kind: 'consensus',
        title: 'Can we all live with “shared intake”?',
        itemIds: ['shape:a'],
        now: Date.now(),
      })
      for (const socket of sockets)
        await socket.until(() => readRoundState(socket.doc).rounds.has('agree'))
      const answers = [5, 4, 4, 1]
      for (const [i, socket] of sockets.entries()) {
        const answer = await mark(socket, {
          roundId: 'agree',
          itemId: 'shape:a',
          mark: { fingers: answers[i] },
        })
        expect(answer.refused).toBeUndefined()
      }
      const first = sockets[0] as Attacker
      expect(
        (await mark(first, { roundId: 'agree', itemId: 'shape:a', mark: { fingers: 6 } })).refused,
      ).toBe('outOfRange')
      expect(
        (await mark(first, { roundId: 'agree', itemId: 'shape:a', mark: { impact: 1, effort: 1 } }))
          .refused,
      ).toBe('wrongKind')
      expect(
        (await mark(first, { roundId: 'agree', itemId: 'shape:b', mark: { fingers: 3 } })).refused,
      ).toBe('notInRound')
      // Nothing of the fingers is in the board before the reveal.
      expect(JSON.stringify(first.doc.getMap('rounds').toJSON())).not.toContain('fingers')
      revealRound(facilitator.doc, 'agree', Date.now())
      await first.until(() => readRoundState(first.doc).results.has('agree'))
      expect(readRoundState(first.doc).results.get('agree')).toEqual({
        kind: 'consensus',
        voters: 4,
        fingers: [0, 1, 0, 0, 2, 1],
      })
      expect(
        (await mark(first, { roundId: 'agree', itemId: 'shape:a', mark: { fingers: 5 } })).refused,
      ).toBe('revealed')
      expect(facilitator.doc.getMap('rounds').get(roundKey('agree'))).toMatchObject({
        status: 'revealed',
      })
    } finally {
      for (const socket of sockets) socket.close()
    }
  })
})

describe('placement marks across a crash', () => {
  const servers = useRestartableServers()

  it('keeps every mark through kill -9, and counts it at the reveal', async () => {
    const server = await servers.start()
    const board = await createBoard(server, { title: 'Crash' })
    const lead = participantOf(board.id, 'facilitate')
    const ana = participantOf(board.id)
    const facilitator = servers.client(server, board.id, { params: lead.params })
    await facilitator.whenSynced()
    startRound(facilitator.doc, {
      id: 'kept',
      kind: 'placement',
      title: 'x',
      itemIds: ISSUES,
      now: Date.now(),
    })
    const socket = await socketOf(server, board, ana)
    await socket.until(() => readRoundState(socket.doc).rounds.has('kept'))
    await mark(socket, { roundId: 'kept', itemId: 'shape:b', mark: { impact: 10, effort: 1 } })
    socket.close()
    await server.kill9()
    const again = await servers.start({ dataDir: server.dataDir })
    const back = await socketOf(again, board, ana)
    await back.until(() => roundBallots(back.notices, 'kept').length > 0)
    expect(roundBallots(back.notices, 'kept').at(-1)?.marks).toEqual({
      'shape:b': { impact: 10, effort: 1 },
    })
    const lead2 = servers.client(again, board.id, { params: lead.params })
    await lead2.whenSynced()
    revealRound(lead2.doc, 'kept', Date.now())
    await back.until(() => readRoundState(back.doc).results.has('kept'))
    expect(readRoundState(back.doc).results.get('kept')).toMatchObject({ voters: 1 })
    back.close()
  })
})
