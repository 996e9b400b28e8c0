/**
 * Private brainstorm notes against a real server process (issue 17: "secret until revealed").
 * While a round is hidden, a note is a request to the server (`MESSAGE_PRIVATE_NOTE`), kept
 * there and handed back only to its writer's devices; the reveal writes every note into the
 * board in one transaction, where it was put.
 *
 * - A bystander records every frame it is sent during a round: nothing in it carries anyone's
 *   note, its text or its id before the reveal, only counts; after it, nothing ties a note to a
 *   person in presence. The facilitator's connection learns no more than the bystander.
 * - Every refusal (no round, a view link, someone else's id, a note already on the board,
 *   tldraw's validators, too many notes, malformed frames) keeps nothing.
 * - Kept notes survive `kill -9`; a board whose document holds notes stamped with their writer
 *   from before moves a hidden round's notes into the server's keeping when it loads.
 */
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { MESSAGE_PRIVATE_NOTE, type Notice } from '@common-ground/shared/board'
import {
  anonymousNote,
  BRAINSTORM,
  FACILITATION,
  hideNotes,
  LEGACY_AUTHOR_META_KEY,
  MAX_PRIVATE_NOTES_PER_PERSON,
  type NoteRecord,
  type PrivateNoteRequest,
  revealNotes,
} from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import { stageFrameId } from '@common-ground/shared/plan'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type CreatedBoard, createBoard, participantOf } from '../support/boards.ts'
import { announce, type Person, peopleIn, Recorder, syncUrl } from '../support/recorder.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers, useServer } from '../support/session.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import { jsonMessage, textMessage, waitFor, type YClient } from '../support/yclient.ts'

type PrivateNoteNotice = Extract<Notice, { kind: 'private-note' }>
type PrivateNotesNotice = Extract<Notice, { kind: 'private-notes' }>
type CountNotice = Extract<Notice, { kind: 'private-count' }>

const ISSUES = stageFrameId('issues')
/** The tldraw user id Ana's presence shows (tldraw signs notes with it). */
const ANA_USER = 'user:ana-device-7f3a'

/** A note inside the Issues stage, as the app makes it. */
const idea = (id: string, text: string, x = 40, y = 60): NoteRecord =>
  note(id, text, { parentId: ISSUES, x, y }) as unknown as NoteRecord

const noticesOf = <K extends Notice['kind']>(client: { notices: unknown[] }, kind: K) =>
  (client.notices as Notice[]).filter((n): n is Extract<Notice, { kind: K }> => n.kind === kind)

/** Sends one request and resolves the server's answer to it (the next answer for that note). */
async function keep(
  client: YClient,
  request: Omit<PrivateNoteRequest, 'rev'> & { rev?: number },
): Promise<PrivateNoteNotice> {
  const answered = () =>
    noticesOf(client, 'private-note').filter((n) => n.id === request.id && n.record === undefined)
  const seen = answered().length
  client.sendPrivateNote({ rev: 1, ...request })
  return waitFor(() => answered()[seen], { what: `the answer about ${request.id}` })
}

const startRound = (lead: YClient, stage = 'issues') => {
  const map = lead.doc.getMap(FACILITATION)
  map.set(BRAINSTORM, hideNotes(map.get(BRAINSTORM) as never, stage))
  return (map.get(BRAINSTORM) as { serial: number }).serial
}

const reveal = (lead: YClient) => {
  const map = lead.doc.getMap(FACILITATION)
  map.set(BRAINSTORM, revealNotes(map.get(BRAINSTORM) as never))
}

const roundOn = (client: YClient, round: number) =>
  waitFor(
    () =>
      (client.doc.getMap(FACILITATION).get(BRAINSTORM) as { serial?: number } | undefined)
        ?.serial === round,
    { what: `round ${round}` },
  )

describe('a private round on a running server', () => {
  const running = useServer()
  const joinAs = (board: CreatedBoard, person: Person) => {
    const client = running.client(board.id, { params: person.params })
    return client.whenSynced().then(() => client)
  }

  it('hands a note only to its writer’s devices; others learn counts; the reveal puts all in place', async () => {
    const board = await createBoard(running.server, { title: 'Private ideas', template: 'retreat' })
    const leadPerson = participantOf(board.id, 'facilitate')
    const [ana, ben, watcher] = [
      participantOf(board.id),
      participantOf(board.id),
      participantOf(board.id),
    ]
    const lead = await joinAs(board, leadPerson)
    announce(lead, leadPerson.personId, 'Fay Facilitator', '#a1b2c3')
    const recorder = await Recorder.open(syncUrl(running.server, board.id, watcher))
    try {
      const anaTab = await joinAs(board, ana)
      const anaPhone = await joinAs(board, ana) // the same person on a second device tab
      const benTab = await joinAs(board, ben)
      announce(anaTab, ana.personId, 'Ana Quietwriter', '#d4e5f6')
      announce(benTab, ben.personId, 'Ben Noteholder', '#0f1e2d')

      const round = startRound(lead)
      for (const client of [anaTab, anaPhone, benTab]) await roundOn(client, round)
      const anaIdea = idea('ana-idea', 'Ana: a shared intake form', 40, 60)
      const benIdea = idea('ben-idea', 'Ben: one youth jobs fair', 300, 80)
      expect(await keep(anaTab, { round, id: anaIdea.id, record: anaIdea })).toEqual({
        kind: 'private-note',
        round,
        id: anaIdea.id,
        rev: 1,
      })
      // Typing changes the note: the server keeps the newest.
      // Typing signs the note with the tldraw user id that Ana's presence shows too.
      const typed = {
        ...anaIdea,
        props: { ...(anaIdea.props as object), color: 'blue', textLastEditedBy: ANA_USER },
      }
      expect(
        await keep(anaTab, { round, rev: 2, id: anaIdea.id, record: typed }),
      ).not.toHaveProperty('refused')
      expect(await keep(benTab, { round, id: benIdea.id, record: benIdea })).not.toHaveProperty(
        'refused',
      )
      // Ana's other device shows her note as it is now; nobody else gets it.
      await waitFor(
        () =>
          noticesOf(anaPhone, 'private-note').some(
            (n) => n.id === anaIdea.id && n.rev === 2 && n.record !== undefined,
          ),
        { what: 'Ana’s note on her phone' },
      )
      await waitFor(() => noticesOf(recorder, 'private-count').at(-1)?.notes === 2, {
        what: 'the count',
      })
      expect(noticesOf(recorder, 'private-count').at(-1)).toEqual({
        kind: 'private-count',
        round,
        notes: 2,
        people: 2,
      })
      // A device that joins mid-round gets its own notes, and only those.
      const anaLate = await joinAs(board, ana)
      await waitFor(() => noticesOf(anaLate, 'private-notes').length > 0, { what: 'the greeting' })
      expect(noticesOf(anaLate, 'private-notes')).toEqual([
        { kind: 'private-notes', round, notes: [typed] },
      ])
      const leadLate = await joinAs(board, leadPerson)
      await waitFor(() => noticesOf(leadLate, 'private-count').length > 0, { what: 'lead count' })
      expect(noticesOf(leadLate, 'private-notes')).toEqual([
        { kind: 'private-notes', round, notes: [] },
      ])

      // Before the reveal: nothing of either note reached the bystander or the facilitator.
      const secrets = [
        'Ana: a shared intake form',
        'Ben: one youth jobs fair',
        'ana-idea',
        'ben-idea',
      ]
      for (const watching of [
        recorder.nonPresenceBytes.toString('latin1'),
        JSON.stringify([lead.notices, leadLate.notices]),
      ]) {
        for (const secret of secrets) expect(watching).not.toContain(secret)
      }
      expect([...recorder.recordsSeen.keys()].filter((id) => id.includes('idea'))).toEqual([])
      for (const client of [lead, benTab, anaTab]) {
        expect(client.board.records.has(anaIdea.id as never)).toBe(false)
      }
      expect(noticesOf(benTab, 'private-note').filter((n) => n.id === anaIdea.id)).toEqual([])

      // The reveal: both notes, where their writers put them, in one frame everywhere.
      const framesBefore = recorder.frames.length
      reveal(lead)
      await waitFor(
        () => recorder.recordsSeen.has(anaIdea.id) && recorder.recordsSeen.has(benIdea.id),
        {
          what: 'the revealed notes',
        },
      )
      expect(recorder.recordsSeen.get(anaIdea.id)).toBe(recorder.recordsSeen.get(benIdea.id))
      expect(recorder.recordsSeen.get(anaIdea.id)).toBeGreaterThanOrEqual(framesBefore)
      for (const client of [lead, anaTab, benTab]) {
        await waitFor(() => client.board.records.has(benIdea.id as never), { what: 'the reveal' })
        expect(client.board.records.get(anaIdea.id as never)).toEqual(anonymousNote(typed))
        expect(client.board.records.get(benIdea.id as never)).toEqual(benIdea)
      }
      // After it: no presence value appears anywhere but in presence frames (no note, no count
      // carries a participant id or a name), and the notes carry no author.
      const everythingElse = recorder.nonPresenceBytes.toString('latin1')
      const presenceValues = peopleIn(recorder.presence).flatMap((p) => [p.personId, p.name])
      expect(presenceValues).toContain(ana.personId)
      const keepingIds = [ana.participantId, ben.participantId]
      for (const value of new Set([...presenceValues, ...keepingIds, ANA_USER])) {
        expect(everythingElse).not.toContain(value)
      }
      expect(JSON.stringify(recorder.notices)).not.toContain(ana.participantId)
      // A request for the ended round is refused: the browser puts such a note on the board.
      expect(
        (await keep(anaTab, { round, rev: 3, id: 'shape:late', record: idea('late', 'late') }))
          .refused,
      ).toBe('roundOver')
    } finally {
      recorder.close()
    }
  })

  it('refuses what may not be kept, and keeps nothing of it', async () => {
    const board = await createBoard(running.server, { title: 'Refusals', template: 'retreat' })
    const lead = await joinAs(board, participantOf(board.id, 'facilitate'))
    const ana = await joinAs(board, participantOf(board.id))
    const ben = await joinAs(board, participantOf(board.id))
    const viewer = await joinAs(board, participantOf(board.id, 'view'))
    const refusedWith = async (client: YClient, request: Parameters<typeof keep>[1]) =>
      (await keep(client, request)).refused

    // No round yet.
    expect(
      await refusedWith(ana, { round: 1, id: 'shape:early', record: idea('early', 'x') }),
    ).toBe('roundOver')
    const round = startRound(lead)
    for (const client of [ana, ben, viewer]) await roundOn(client, round)
    expect(
      await refusedWith(ana, { round, id: 'shape:mine', record: idea('mine', 'mine') }),
    ).toBeUndefined()
    // Another round's number, a view link, someone else's note, a note already on the board.
    expect(
      await refusedWith(ana, { round: round + 1, id: 'shape:x', record: idea('x', 'x') }),
    ).toBe('roundOver')
    expect(await refusedWith(viewer, { round, id: 'shape:v', record: idea('v', 'v') })).toBe(
      'cannotWrite',
    )
    expect(await refusedWith(ben, { round, id: 'shape:mine', record: idea('mine', 'taken') })).toBe(
      'notYours',
    )
    expect(await refusedWith(ben, { round, id: 'shape:mine', record: null })).toBe('notYours')
    expect(
      await refusedWith(ben, { round, id: ISSUES, record: { ...idea('f', 'f'), id: ISSUES } }),
    ).toBe('notYours')
    // What tldraw's validators refuse on the board is refused here too.
    const bad = {
      ...idea('bad', 'bad'),
      props: { ...(idea('bad', 'bad').props as object), color: 'ultraviolet' },
    }
    expect(await refusedWith(ben, { round, id: 'shape:bad', record: bad })).toBe('invalid')
    const stamped = { ...idea('stamp', 's'), meta: { [LEGACY_AUTHOR_META_KEY]: 'pAnyone' } }
    expect(await refusedWith(ben, { round, id: 'shape:stamp', record: stamped })).toBe('invalid')
    // A person keeps at most so many notes in a round.
    for (let i = 0; i < MAX_PRIVATE_NOTES_PER_PERSON; i++) {
      ben.sendPrivateNote({ round, rev: 1, id: `shape:n${i}`, record: idea(`n${i}`, `${i}`) })
    }
    expect(await refusedWith(ben, { round, id: 'shape:over', record: idea('over', 'over') })).toBe(
      'tooMany',
    )
    const greeted = async (person: YClient) => {
      const late = running.client(board.id, { params: paramsOf(person) })
      await waitFor(() => noticesOf(late, 'private-notes').length > 0, { what: 'greeting' })
      return noticesOf(late, 'private-notes')[0] as PrivateNotesNotice
    }
    expect((await greeted(ana)).notes.map((n) => n.id)).toEqual(['shape:mine'])
    expect((await greeted(ben)).notes).toHaveLength(MAX_PRIVATE_NOTES_PER_PERSON)
    await waitFor(
      () => noticesOf(lead, 'private-count').at(-1)?.notes === MAX_PRIVATE_NOTES_PER_PERSON + 1,
      {
        what: 'the count',
      },
    )
    expect(noticesOf(lead, 'private-count').at(-1)).toMatchObject({ people: 2 })
    // Taking one back is kept too.
    expect(
      await refusedWith(ana, { round, rev: 2, id: 'shape:mine', record: null }),
    ).toBeUndefined()
    expect((await greeted(ana)).notes).toEqual([])
  })

  it('closes a connection that sends a malformed request (1007), keeping what it had', async () => {
    const board = await createBoard(running.server, { title: 'Malformed', template: 'retreat' })
    const lead = await joinAs(board, participantOf(board.id, 'facilitate'))
    const round = startRound(lead)
    const ana = participantOf(board.id)
    const valid = { round, rev: 1, id: 'shape:ok', record: idea('ok', 'ok') }
    const frames = [
      { what: 'not JSON', frame: textMessage(MESSAGE_PRIVATE_NOTE, '{round: 1') },
      { what: 'an array', frame: jsonMessage(MESSAGE_PRIVATE_NOTE, [valid]) },
      { what: 'round 0', frame: jsonMessage(MESSAGE_PRIVATE_NOTE, { ...valid, round: 0 }) },
      {
        what: 'a fractional rev',
        frame: jsonMessage(MESSAGE_PRIVATE_NOTE, { ...valid, rev: 1.5 }),
      },
      { what: 'a bad id', frame: jsonMessage(MESSAGE_PRIVATE_NOTE, { ...valid, id: 'records/x' }) },
      {
        what: 'an id unlike the record’s',
        frame: jsonMessage(MESSAGE_PRIVATE_NOTE, { ...valid, id: 'shape:other' }),
      },
      {
        what: 'a frame, not a note',
        frame: jsonMessage(MESSAGE_PRIVATE_NOTE, {
          ...valid,
          record: { ...valid.record, type: 'frame' },
        }),
      },
      {
        what: 'no record',
        frame: jsonMessage(MESSAGE_PRIVATE_NOTE, { round, rev: 1, id: 'shape:ok' }),
      },
      {
        what: 'an oversized note',
        frame: jsonMessage(MESSAGE_PRIVATE_NOTE, {
          ...valid,
          record: { ...valid.record, meta: { pad: 'x'.repeat(20_000) } },
        }),
      },
    ]
    for (const { what, frame } of frames) {
      const ws = await openSocket(syncUrl(running.server, board.id, ana))
      ws.send(frame)
      expect({ what, code: (await closeOf(ws)).code }).toEqual({ what, code: 1007 })
    }
    const check = await joinAs(board, ana)
    await waitFor(() => noticesOf(check, 'private-notes').length > 0, { what: 'greeting' })
    expect(noticesOf(check, 'private-notes')[0]?.notes).toEqual([])
  })
})

describe('private notes on disk', () => {
  const { start, client } = useRestartableServers()
  const person = (server: RunningServer, boardId: string, who: Person) => {
    const c = client(server, boardId, { params: who.params })
    return c.whenSynced().then(() => c)
  }

  it('keeps every confirmed note across kill -9; the reveal after the restart writes it', async () => {
    const server = await start()
    const board = await createBoard(server, { title: 'Kept ideas', template: 'retreat' })
    const leadPerson = participantOf(board.id, 'facilitate')
    const anaPerson = participantOf(board.id)
    const lead = await person(server, board.id, leadPerson)
    const ana = await person(server, board.id, anaPerson)
    const round = startRound(lead)
    await roundOn(ana, round)
    const kept = idea('kept', 'Survives a crash')
    expect((await keep(ana, { round, id: kept.id, record: kept })).refused).toBeUndefined()
    await server.kill9()

    const restarted = await start({ dataDir: server.dataDir })
    const again = await person(restarted, board.id, anaPerson)
    await waitFor(() => noticesOf(again, 'private-notes').length > 0, { what: 'the greeting' })
    expect(noticesOf(again, 'private-notes')[0]).toEqual({
      kind: 'private-notes',
      round,
      notes: [kept],
    })
    const leadAgain = await person(restarted, board.id, leadPerson)
    expect(leadAgain.board.records.has(kept.id as never)).toBe(false)
    reveal(leadAgain)
    await waitFor(() => again.board.records.has(kept.id as never), { what: 'the reveal' })
    expect(again.board.records.get(kept.id as never)).toEqual(kept)
    // Forgotten once written: nothing of it is left in the server's keeping.
    expect(await restarted.stop()).toBe(0)
    const db = new DatabaseSync(path.join(server.dataDir, 'common-ground.sqlite'), {
      readOnly: true,
    })
    try {
      expect(db.prepare('SELECT count(*) AS n FROM board_private_notes').get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
  })

  it('moves a hidden round’s stamped notes out of a board from before, and unstamps the rest', async () => {
    const server = await start()
    const board = await createBoard(server, { title: 'From before', template: 'retreat' })
    const anaPerson = participantOf(board.id)
    const benPerson = participantOf(board.id)
    expect(await server.stop()).toBe(0)

    // What the app wrote before: every note stamped with its writer, the round hidden.
    const stamp = (record: NoteRecord, author: string) => ({
      ...record,
      meta: { [LEGACY_AUTHOR_META_KEY]: author },
    })
    const inRound = stamp(idea('old-ana', 'Ana, before'), anaPerson.participantId)
    const outside = stamp(
      note('old-ben', 'Ben, elsewhere', { x: -5000, y: -5000 }) as unknown as NoteRecord,
      benPerson.participantId,
    )
    const legacy = new Y.Doc()
    legacy.transact(() => {
      legacy.getMap(FACILITATION).set(BRAINSTORM, { hidden: true, stage: 'issues', serial: 4 })
      legacy.getArray('records').push([
        { key: inRound.id, val: inRound },
        { key: outside.id, val: outside },
      ])
    })
    const db = new DatabaseSync(path.join(server.dataDir, 'common-ground.sqlite'), {
      timeout: 5000,
    })
    try {
      db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(
        board.id,
        Y.encodeStateAsUpdate(legacy),
      )
    } finally {
      db.close()
    }

    const restarted = await start({ dataDir: server.dataDir })
    const ben = await person(restarted, board.id, benPerson)
    expect(ben.board.records.has(inRound.id as never)).toBe(false)
    expect(ben.board.records.get(outside.id as never)).toMatchObject({ meta: {} })
    expect(JSON.stringify(ben.board.records.get(outside.id as never))).not.toContain(
      benPerson.participantId,
    )
    const ana = await person(restarted, board.id, anaPerson)
    await waitFor(() => noticesOf(ana, 'private-notes').length > 0, { what: 'Ana’s notes' })
    expect(noticesOf(ana, 'private-notes')[0]).toEqual({
      kind: 'private-notes',
      round: 4,
      notes: [{ ...inRound, meta: {} }],
    })
    expect(noticesOf(ben, 'private-count').at(-1)).toEqual({
      kind: 'private-count',
      round: 4,
      notes: 1,
      people: 1,
    } satisfies CountNotice)
    await restarted.stop()
  })
})

function paramsOf(client: YClient): Record<string, string> {
  return Object.fromEntries(
    Object.entries(client.provider.params as Record<string, string>).filter(([key]) =>
      ['token', 'participant'].includes(key),
    ),
  )
}
