/**
 * Roles against a real server process: each role × each kind of write (a shape, a plan answer,
 * a board setting, a ballot, a vote session) is kept or refused as README documents; links can be
 * replaced; secrets never reach the log.
 */

import { note } from '@common-ground/shared/fixtures'
import { PLAN } from '@common-ground/shared/plan'
import {
  ballotKey,
  closeVote,
  outcomeKey,
  readVoteState,
  sessionKey,
  startVote,
  VOTES,
} from '@common-ground/shared/vote'
import { beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { type CreatedBoard, createBoard, type LinkKind, participantOf } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import { castDot, turnoutNotices } from '../support/voting.ts'
import { ballotMessage, waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()

type Kind = 'facilitate' | 'edit' | 'view'

const join = (board: CreatedBoard, kind: LinkKind) => running.join(board, kind)

/** The writes the table below tries, each with a way to see it from another client. */
const writes: Record<
  string,
  { write(doc: Y.Doc, id: string): void; seen(doc: Y.Doc, id: string): boolean }
> = {
  shape: {
    write: (doc, id) => {
      doc.getArray('records').push([{ key: `shape:${id}`, val: note(id, 'an idea') }])
    },
    seen: (doc, id) =>
      doc
        .getArray<{ key: string }>('records')
        .toArray()
        .some((e) => e.key === `shape:${id}`),
  },
  'plan answer': {
    write: (doc, id) => doc.getMap(PLAN).set('community/needs', `needs ${id}`),
    seen: (doc, id) => doc.getMap(PLAN).get('community/needs') === `needs ${id}`,
  },
  'board title': {
    write: (doc, id) => doc.getMap('meta').set('title', `Title ${id}`),
    seen: (doc, id) => doc.getMap('meta').get('title') === `Title ${id}`,
  },
}

// `meta` (the title among it) is the server's: nobody writes it through the document.
const expected: Record<Kind, Record<keyof typeof writes, boolean>> = {
  facilitate: { shape: true, 'plan answer': true, 'board title': false },
  edit: { shape: true, 'plan answer': true, 'board title': false },
  view: { shape: false, 'plan answer': false, 'board title': false },
}

describe('roles', () => {
  let board: CreatedBoard
  let watcher: YClient

  beforeAll(async () => {
    board = await createBoard(running.server, { title: 'Roles' })
    watcher = (await join(board, 'facilitate')).client
  })

  for (const kind of ['facilitate', 'edit', 'view'] as const) {
    for (const [what, { write, seen }] of Object.entries(writes)) {
      const allowed = expected[kind][what as keyof typeof writes]
      it(`${kind} link: ${what} is ${allowed ? 'kept' : 'refused'}`, async () => {
        const { client } = await join(board, kind)
        const id = `${kind}-${what.replace(/\W/g, '')}`
        write(client.doc, id)
        if (allowed) {
          await waitFor(() => seen(watcher.doc, id), { what: `${what} from ${kind}` })
        } else {
          // The writer gets a notice, and its copy is then loaded afresh from the board.
          const code = kind === 'view' ? 'read-only' : 'server-only'
          await waitFor(() => client.notices.length > 1, { what: `a notice to ${kind}` })
          expect(client.notices).toContainEqual({
            kind: 'write-refused',
            code,
            count: 1,
            resync: true,
          })
          await waitFor(() => client.provider.synced && !seen(client.doc, id), {
            what: `${what} from ${kind} reverted`,
          })
          // A later, allowed write from someone else arrives; the refused one never did.
          const marker = `after-${id}`
          writes.shape?.write(watcher.doc, marker)
          await waitFor(() => writes.shape?.seen(client.doc, marker), { what: 'a later write' })
          expect(seen(watcher.doc, id)).toBe(false)
        }
        client.destroy()
      })
    }
  }

  it('closes a view connection that keeps writing, with a code that stops retries', async () => {
    // A client that insists (the app would load the board afresh after the first refusal).
    const client = running.client(board.id, {
      params: participantOf(board.id, 'view').params,
      reloadOnRefusal: false,
    })
    await client.whenSynced()
    const closed = new Promise<number>((resolve) =>
      client.provider.on('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    )
    for (let i = 0; i < 3; i++) writes.shape?.write(client.doc, `insist-${i}`)
    expect(await closed).toBe(4403)
  })
})

describe('ballots', () => {
  it('keeps ballots out of the document and takes dots only through the ballot box', async () => {
    const board = await createBoard(running.server, { title: 'Ballots' })
    const facilitator = await join(board, 'facilitate')
    const [ana, ben] = [await join(board, 'edit'), await join(board, 'edit')]
    const viewer = await join(board, 'view')
    const session = startVote(facilitator.client.doc, {
      id: 'first',
      title: 'What first?',
      itemIds: ['shape:a', 'shape:b'],
      now: Date.now(),
    })
    for (const person of [ana, ben, viewer]) {
      await waitFor(() => readVoteState(person.client.doc).sessions.has(session.id), {
        what: 'session',
      })
    }
    // Each is told its own two ids on joining: the one its ballots are kept under (none for an
    // observer) and the one everyone sees.
    const welcomeOf = (client: YClient) =>
      client.notices.find((notice) => (notice as { kind?: string }).kind === 'welcome')
    expect(welcomeOf(ana.client)).toMatchObject({
      role: 'participant',
      participantId: ana.participantId,
      personId: ana.personId,
    })
    expect(welcomeOf(viewer.client)).toMatchObject({
      role: 'observer',
      participantId: null,
      personId: viewer.personId,
    })

    // Each refusal replaces the client's doc (it loads the board afresh), hence the count of
    // notices before each check and the map looked up anew.
    const refused = (client: YClient) =>
      client.notices.filter((n) => (n as { kind?: string }).kind === 'write-refused')
    const votes = (client: YClient) => client.doc.getMap(VOTES)
    /** `who` writes `key` into its copy of the votes map; it is refused and reloaded without it. */
    const writeRefused = async (who: YClient, key: string, value: unknown) => {
      const before = refused(who).length
      votes(who).set(key, value)
      await waitFor(() => refused(who).length === before + 1, { what: `refusal of ${key}` })
      // The wire says the server keeps these; its log says which vote rule refused it.
      expect(refused(who)[before]).toMatchObject({ code: 'server-only', resync: true })
      await waitFor(() => who.provider.synced && votes(who).get(key) === undefined, {
        what: `${key} reverted`,
      })
    }
    // Ben writes a ballot under Ana's id; Ana writes her own as the app once did; the
    // facilitator writes theirs; Ben writes an outcome: the server keeps all of these.
    await writeRefused(ben.client, ballotKey(session.id, ana.participantId), {
      dots: { 'shape:a': 3 },
    })
    await writeRefused(ana.client, ballotKey(session.id, ana.participantId), {
      dots: { 'shape:a': 1 },
    })
    await writeRefused(facilitator.client, ballotKey(session.id, facilitator.participantId), {
      dots: { 'shape:b': 1 },
    })
    await writeRefused(ben.client, outcomeKey(session.id), { dots: { 'shape:a': 99 }, voters: 1 })
    // The log comes through the server's stdout, which may arrive after the sockets' answers.
    const keptByServer = () =>
      running.server.logs.filter(
        (line) =>
          line.msg === 'update refused' &&
          line.board === board.id &&
          /cast through the server/.test(String(line.reason)),
      )
    await expect.poll(() => keptByServer().length, { timeout: 10_000 }).toBe(4)
    // A participant cannot start a vote.
    const before = refused(ben.client).length
    votes(ben.client).set('session/mine', { ...session, id: 'mine' })
    await waitFor(() => refused(ben.client).length === before + 1, { what: 'refusal' })
    expect(refused(ben.client)[before]).toMatchObject({ code: 'facilitators-only' })
    await waitFor(
      () => ben.client.provider.synced && votes(ben.client).get('session/mine') === undefined,
      { what: 'revert of a participant session' },
    )
    // None of it reached anyone.
    expect([...votes(facilitator.client).keys()]).toEqual([sessionKey(session.id)])

    // Ana casts through the server: she is answered with her ballot, everyone with the turnout.
    expect(
      await castDot(ana.client, { sessionId: session.id, itemId: 'shape:a', delta: 1 }),
    ).toEqual({ kind: 'ballot', sessionId: session.id, dots: { 'shape:a': 1 } })
    await waitFor(() => turnoutNotices(viewer.client, session.id).at(-1)?.voters === 1, {
      what: 'the turnout',
    })
    expect(turnoutNotices(viewer.client, session.id).at(-1)).toEqual({
      kind: 'turnout',
      sessionId: session.id,
      voters: 1,
    })

    // An observer's dot is refused, and counts nowhere.
    expect(
      await castDot(viewer.client, { sessionId: session.id, itemId: 'shape:b', delta: 1 }),
    ).toEqual({ kind: 'ballot', sessionId: session.id, dots: {}, refused: 'notYourBallot' })

    // A request that names a participant (to vote as Ana) does not even read: closed with 1007.
    const forger = participantOf(board.id, 'edit')
    const socket = await openSocket(
      `${running.server.wsUrl}/sync/${board.id}?${new URLSearchParams(forger.params)}`,
    )
    const closed = closeOf(socket)
    socket.send(
      ballotMessage({
        sessionId: session.id,
        itemId: 'shape:b',
        delta: 1,
        participantId: ana.participantId,
      }),
    )
    expect((await closed).code).toBe(1007)

    closeVote(facilitator.client.doc, session.id, Date.now())
    await waitFor(
      () => readVoteState(ana.client.doc).sessions.get(session.id)?.status === 'closed',
      { what: 'close' },
    )
    // After the close, a dot is refused; Ana's ballot is the one she cast, nobody else's.
    expect(
      await castDot(ana.client, { sessionId: session.id, itemId: 'shape:b', delta: 1 }),
    ).toEqual({ kind: 'ballot', sessionId: session.id, dots: { 'shape:a': 1 }, refused: 'notOpen' })
    expect(turnoutNotices(viewer.client, session.id).at(-1)?.voters).toBe(1)
  })
})

describe('links', () => {
  it('refuses a missing or wrong key at the upgrade, with a reason', async () => {
    const board = await createBoard(running.server, { title: 'Keys' })
    const missing = await closeOf(await openSocket(`${running.server.wsUrl}/sync/${board.id}`))
    expect(missing).toEqual({ code: 4401, reason: 'this board needs a link with its key' })
    const wrong = await closeOf(
      await openSocket(`${running.server.wsUrl}/sync/${board.id}?token=${'A'.repeat(32)}`),
    )
    expect(wrong.code).toBe(4403)
  })

  it('rotating a link closes its connections and refuses the old key; other links keep working', async () => {
    const board = await createBoard(running.server, { title: 'Rotate' })
    const editor = await join(board, 'edit')
    const viewer = await join(board, 'view')
    const closed = new Promise<number>((resolve) =>
      editor.client.provider.on('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    )

    const refusedRotation = await fetch(
      `${running.server.url}/api/boards/${board.id}/links/edit/rotate?token=${board.tokens.edit}`,
      { method: 'POST' },
    )
    expect(refusedRotation.status).toBe(403)

    const rotated = await fetch(`${running.server.url}/api/boards/${board.id}/links/edit/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${board.tokens.facilitate}` },
    })
    expect(rotated.status).toBe(200)
    const { tokens } = (await rotated.json()) as { tokens: Record<Kind, string> }
    expect(tokens.edit).not.toBe(board.tokens.edit)
    expect(tokens.view).toBe(board.tokens.view)
    expect(await closed).toBe(4403)
    expect(viewer.client.provider.wsconnected).toBe(true)

    const old = await closeOf(
      await openSocket(`${running.server.wsUrl}/sync/${board.id}?token=${board.tokens.edit}`),
    )
    expect(old.code).toBe(4403)
    const fresh = running.client(board.id, { params: { token: tokens.edit } })
    await fresh.whenSynced()
    expect(
      (await fetch(`${running.server.url}/api/boards/${board.id}?token=${board.tokens.edit}`))
        .status,
    ).toBe(403)
  })

  it('never writes a secret to the log', async () => {
    const board = await createBoard(running.server, { title: 'Quiet' })
    await join(board, 'edit')
    await closeOf(
      await openSocket(`${running.server.wsUrl}/sync/${board.id}?token=${'B'.repeat(32)}`),
    )
    const output = running.server.output()
    for (const token of Object.values(board.tokens)) expect(output).not.toContain(token)
    expect(output).not.toContain('B'.repeat(32))
    expect(output).toContain(board.id)
  })
})
