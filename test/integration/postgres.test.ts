/**
 * A real server process on PostgreSQL (`DATABASE_URL`, issue 18's first slice): killed with
 * `kill -9` in the middle of a burst of edits, it loses nothing any client had seen, and a new
 * process on the same database (with an empty data directory of its own) serves the board, a
 * voter's ballot and a private brainstorm note as they were.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Notice } from '@common-ground/shared/board'
import {
  BRAINSTORM,
  FACILITATION,
  hideNotes,
  type NoteRecord,
} from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import { stageFrameId } from '@common-ground/shared/plan'
import { startVote } from '@common-ground/shared/vote'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBoard, participantOf } from '../support/boards.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { ballotNotices, castDot } from '../support/voting.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const { start, client } = useRestartableServers()
let database: TestDatabase
beforeAll(async () => {
  database = await createDatabase()
})
afterAll(async () => {
  await database?.drop()
})

type Person = ReturnType<typeof participantOf>
const onPostgres = (options: { port?: number } = {}) =>
  start({ ...options, env: { DATABASE_URL: database.url } })
const join = async (server: RunningServer, boardId: string, person: Person) => {
  const joined = client(server, boardId, { params: person.params })
  await joined.whenSynced()
  return joined
}
const noticesOf = <K extends Notice['kind']>(joined: YClient, kind: K) =>
  (joined.notices as Notice[]).filter((n): n is Extract<Notice, { kind: K }> => n.kind === kind)

/** Every update of another client that `seen` holds is in `fresh` too. */
function missingFrom(fresh: Y.Doc, seen: Y.Doc): string[] {
  const have = Y.decodeStateVector(Y.encodeStateVector(fresh))
  const missing: string[] = []
  for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(seen))) {
    if (id === seen.clientID) continue // its own latest edits may not have reached the server
    if ((have.get(id) ?? 0) < clock) missing.push(`${id}: ${have.get(id) ?? 0} < ${clock}`)
  }
  return missing
}

describe('boards in PostgreSQL', () => {
  it('kill -9 mid-burst: a new process on the same database serves every seen edit, ballot and private note', async () => {
    const server = await onPostgres()
    const board = await createBoard(server, { title: 'On PostgreSQL', template: 'retreat' })
    const [leadPerson, anaPerson] = [participantOf(board.id, 'facilitate'), participantOf(board.id)]
    const lead = await join(server, board.id, leadPerson)
    const ana = await join(server, board.id, anaPerson)

    // Ana's dots, each answered by the server only once it is stored.
    const vote = startVote(lead.doc, {
      id: 'first',
      title: 'Which first?',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    await waitFor(() => ana.doc.getMap('votes').size > 0, { what: 'the vote at Ana' })
    for (const itemId of ['shape:a', 'shape:a', 'shape:b']) {
      expect((await castDot(ana, { sessionId: vote.id, itemId, delta: 1 })).refused).toBeUndefined()
    }

    // A hidden brainstorm round: Ana's note is kept by the server, answered once stored.
    const facilitation = lead.doc.getMap(FACILITATION)
    facilitation.set(BRAINSTORM, hideNotes(null, 'issues'))
    const round = (facilitation.get(BRAINSTORM) as { serial: number }).serial
    await waitFor(
      () => (ana.doc.getMap(FACILITATION).get(BRAINSTORM) as { serial?: number })?.serial === round,
      { what: 'the round at Ana' },
    )
    const secret = note('secret', 'Ana: a shared intake form', {
      parentId: stageFrameId('issues'),
      x: 40,
      y: 60,
    }) as unknown as NoteRecord
    ana.sendPrivateNote({ round, rev: 1, id: secret.id, record: secret })
    const answer = await waitFor(
      () =>
        noticesOf(ana, 'private-note').find((n) => n.id === secret.id && n.record === undefined),
      { what: 'the answer about the note' },
    )
    expect(answer.refused).toBeUndefined()

    // A burst of edits from three clients; the server dies while they flow.
    const writers = await Promise.all(
      [0, 1, 2].map(() => join(server, board.id, participantOf(board.id))),
    )
    let edits = 0
    const bursts = writers.map((writer, w) => {
      let own = 0
      return setInterval(() => {
        const shape = note(`w${w}-${own++ % 20}`, `writer ${w}, edit ${edits++}`)
        writer.board.records.set(shape.id, shape)
      }, 20)
    })
    await waitFor(() => writers.every((writer) => writer.board.records.get(note('w2-10', '').id)), {
      what: 'the burst to flow',
    })
    await server.kill9()
    for (const burst of bursts) clearInterval(burst)
    for (const each of [lead, ana, ...writers]) each.provider.destroy() // freeze what each saw
    expect(edits).toBeGreaterThan(30)

    // It was PostgreSQL that kept them: no SQLite file, the rows are in the database.
    expect(existsSync(path.join(server.dataDir, 'common-ground.sqlite'))).toBe(false)
    expect(
      await database.query('SELECT count(*)::int AS n FROM board_ballots WHERE board_id = $1', [
        board.id,
      ]),
    ).toEqual([{ n: 1 }])

    const restarted = await onPostgres()
    expect(restarted.dataDir).not.toBe(server.dataDir)
    const fresh = await join(restarted, board.id, participantOf(board.id))
    for (const seen of [lead, ana, ...writers]) expect(missingFrom(fresh.doc, seen.doc)).toEqual([])
    expect(fresh.board.records.get(note('w2-10', '').id)).toBeDefined()
    expect(fresh.board.records.has(secret.id as never)).toBe(false)

    // Ana, on a new tab of the same device: her ballot and her private note, as she left them.
    const anaAgain = await join(restarted, board.id, anaPerson)
    await waitFor(() => ballotNotices(anaAgain, vote.id).length > 0, { what: 'Ana’s ballot' })
    expect(ballotNotices(anaAgain, vote.id).at(-1)).toEqual({
      kind: 'ballot',
      sessionId: vote.id,
      dots: { 'shape:a': 2, 'shape:b': 1 },
    })
    await waitFor(() => noticesOf(anaAgain, 'private-notes').length > 0, { what: 'her notes' })
    expect(noticesOf(anaAgain, 'private-notes')[0]).toEqual({
      kind: 'private-notes',
      round,
      notes: [secret],
    })
    expect(await restarted.stop()).toBe(0)
  })
})
