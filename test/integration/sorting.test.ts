/**
 * Themes, merged duplicates and the parking lot against a real server process (issue 21, parts
 * 1 and 4). Forged writes arrive on a raw socket, built with Yjs' own encoder on top of the board
 * the server sent: a merge that drops a note's text or author, claims a note it does not delete,
 * strips the record of what was merged, or takes a running vote's note into one outside the vote; a theme mark on something that is not a frame, or a
 * theme without a title; a malformed "parked from". Each is refused and nothing of it reaches
 * anyone. An honest merge passes, and the dots already placed on the merged notes are carried to
 * the kept note by the rule of docs/voting.md, on the server, where ballots are kept.
 */
import { openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { boardSchemaOnce, stageFrameId } from '@common-ground/shared/plan'
import {
  MERGED_META_KEY,
  mergeNotes,
  PARKED_FROM_META_KEY,
  PARKING_LOT_FRAME_ID,
  THEME_META_KEY,
} from '@common-ground/shared/themes'
import { readVoteState, revealVote, startVote } from '@common-ground/shared/vote'
import { afterAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  type Attacker,
  type Notice,
  openAttacker,
  syncUpdateFrame,
  updateFrom,
} from '../support/attack.ts'
import { type CreatedBoard, createBoard, participantOf } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { ballotNotices, castDot, outcomeOf } from '../support/voting.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()
const opened: Attacker[] = []
afterAll(() => {
  for (const attacker of opened) attacker.close()
})

type TLRecord = ReturnType<typeof note>
const schema = boardSchemaOnce()
const issues = stageFrameId('issues')

function noteRecord(id: string, text: string, x: number, by: string | null = null): TLRecord {
  const shape = note(id.slice('shape:'.length), text, {
    parentId: issues,
    index: `a${x + 2}`,
    x: 40 + x * 220,
    y: 200,
  })
  return { ...shape, props: { ...shape.props, textLastEditedBy: by } } as unknown as TLRecord
}

function frameRecord(id: string, name: string, meta: Record<string, unknown>): TLRecord {
  const frame = schema.types.shape.create({
    id,
    type: 'frame',
    parentId: issues,
    index: 'a9',
    x: 20,
    y: 160,
    props: { w: 700, h: 300, name, color: 'black' },
  } as never) as unknown as TLRecord
  return { ...frame, meta } as unknown as TLRecord
}

async function attackerOn(board: CreatedBoard): Promise<Attacker> {
  const device = participantOf(board.id, 'edit')
  const attacker = await openAttacker(
    `${running.server.wsUrl}/sync/${board.id}?${new URLSearchParams(device.params)}`,
  )
  opened.push(attacker)
  await attacker.roundTrip()
  return attacker
}

const record = (doc: Y.Doc, id: string) => openBoardDoc(doc).records.get(id) as TLRecord | undefined
const refusalCodes = (notices: readonly Notice[]) =>
  notices.filter((n) => n.kind === 'write-refused').map((n) => (n as { code: string }).code)

/** Sends a forged change and expects it refused as invalid, with nothing of it on the board. */
async function expectRefused(
  attacker: Attacker,
  watcher: YClient,
  reason: RegExp,
  change: (doc: Y.Doc) => void,
  unchanged: () => unknown,
) {
  const before = JSON.stringify(unchanged())
  const refusedBefore = attacker.answer().refusals.length
  const refusalsLogged = () => running.server.logs.filter((line) => line.msg === 'update refused')
  const loggedBefore = refusalsLogged().length
  const answer = await attacker.sendAndWait(syncUpdateFrame(updateFrom(attacker.doc, change)))
  expect(answer.closed).toBeNull()
  expect(refusalCodes(answer.refusals.slice(refusedBefore))).toEqual(['invalid'])
  // Refused for the rule under test (the server logs why; the sender is told only the code).
  // The log line comes through the server's stdout, which may arrive after the socket's answer.
  await expect.poll(() => refusalsLogged().length, { timeout: 10_000 }).toBe(loggedBefore + 1)
  expect(refusalsLogged().at(-1)?.reason).toMatch(reason)
  // The watcher (and so the board) never held it: a round trip of its own proves it is current.
  await watcher.whenSynced()
  expect(JSON.stringify(unchanged())).toBe(before)
}

describe('sorting the notes through the server’s rules', () => {
  it('refuses forged themes, parking marks and merges, and carries dots by the rule', async () => {
    const board = await createBoard(running.server, { title: 'Sorting', template: 'retreat' })
    const lead = await running.join(board, 'facilitate')
    const facilitator = lead.client
    const a = noteRecord('shape:a', 'Youth jobs', 0, 'user:ana')
    const b = noteRecord('shape:b', 'Jobs for young people', 1, 'user:ben')
    const c = noteRecord('shape:c', 'Affordable housing', 2)
    // Not in the vote.
    const d = noteRecord('shape:d', 'Jobs, jobs, jobs', 3)
    facilitator.doc.transact(() => {
      for (const note of [a, b, c, d]) facilitator.board.records.set(note.id, note)
    })
    const ana = await running.join(board, 'edit')
    const ben = await running.join(board, 'edit')
    await waitFor(() => record(ana.client.doc, c.id) !== undefined, { what: 'the notes' })

    const session = startVote(facilitator.doc, {
      id: 'first',
      title: 'What first?',
      itemIds: [a.id, b.id, c.id],
      now: Date.now(),
      dotsPerParticipant: 5,
      maxDotsPerItem: 3,
    })
    await waitFor(() => readVoteState(ana.client.doc).sessions.has(session.id), {
      what: 'the vote',
    })
    // Ana: 2 on a, 2 on b (4 together: one over the cap of 3). Ben: 1 on b, 1 on c.
    for (const itemId of [a.id, a.id, b.id, b.id])
      await castDot(ana.client, { sessionId: session.id, itemId, delta: 1 })
    for (const itemId of [b.id, c.id])
      await castDot(ben.client, { sessionId: session.id, itemId, delta: 1 })

    const attacker = await attackerOn(board)
    const watcher = (await running.join(board, 'view')).client
    const onBoard = () => [a.id, b.id, c.id, 'shape:t'].map((id) => record(watcher.doc, id))
    const { richText, parts } = mergeNotes(a, [b])
    const keep = (over: object) => (doc: Y.Doc) => {
      const records = openBoardDoc(doc).records
      doc.transact(() => {
        records.set(a.id, { ...a, props: { ...a.props, richText }, ...over } as unknown as TLRecord)
        records.delete(b.id)
      })
    }

    // A merge that loses b's text, one that forges b's author, one that claims b but keeps it.
    await expectRefused(
      attacker,
      watcher,
      /keeps the text of every note/,
      keep({ props: a.props, meta: { [MERGED_META_KEY]: parts } }),
      onBoard,
    )
    await expectRefused(
      attacker,
      watcher,
      /keeps every author and text/,
      keep({
        meta: {
          [MERGED_META_KEY]: parts.map((p) => (p.id === b.id ? { ...p, by: 'user:eve' } : p)),
        },
      }),
      onBoard,
    )
    await expectRefused(
      attacker,
      watcher,
      /is not one this change merges/,
      (doc) =>
        openBoardDoc(doc).records.set(a.id, {
          ...a,
          props: { ...a.props, richText },
          meta: { [MERGED_META_KEY]: parts },
        } as unknown as TLRecord),
      onBoard,
    )
    // b is in the running vote: it may not go into d, which is not (its dots would be stranded).
    const intoD = mergeNotes(d, [b])
    await expectRefused(
      attacker,
      watcher,
      /running vote/,
      (doc) => {
        const records = openBoardDoc(doc).records
        doc.transact(() => {
          records.set(d.id, {
            ...d,
            props: { ...d.props, richText: intoD.richText },
            meta: { [MERGED_META_KEY]: intoD.parts },
          } as unknown as TLRecord)
          records.delete(b.id)
        })
      },
      onBoard,
    )
    // Theme marks: only on a frame, with a title.
    await expectRefused(
      attacker,
      watcher,
      /theme title/,
      (doc) =>
        openBoardDoc(doc).records.set(
          'shape:t',
          frameRecord('shape:t', '', { [THEME_META_KEY]: true }),
        ),
      onBoard,
    )
    await expectRefused(
      attacker,
      watcher,
      /only a frame can be a theme/,
      (doc) =>
        openBoardDoc(doc).records.set(c.id, {
          ...c,
          meta: { [THEME_META_KEY]: true },
        } as unknown as TLRecord),
      onBoard,
    )
    // A parked note must say where it came from, well formed.
    await expectRefused(
      attacker,
      watcher,
      /cgParkedFrom/,
      (doc) =>
        openBoardDoc(doc).records.set(c.id, {
          ...c,
          parentId: PARKING_LOT_FRAME_ID,
          meta: { [PARKED_FROM_META_KEY]: { parentId: '<script>', x: 0, y: 0 } },
        } as unknown as TLRecord),
      onBoard,
    )
    // Nobody's ballot moved.
    expect(ballotNotices(ana.client, session.id).at(-1)?.dots).toEqual({ [a.id]: 2, [b.id]: 2 })

    // An honest theme and an honest merge pass.
    const theme = frameRecord('shape:t', 'Jobs', { [THEME_META_KEY]: true })
    const honest = await attacker.sendAndWait(
      syncUpdateFrame(
        updateFrom(attacker.doc, (doc) => {
          keep({ meta: { [MERGED_META_KEY]: parts } })(doc)
          openBoardDoc(doc).records.set(theme.id, theme)
        }),
      ),
    )
    const refusedSoFar = refusalCodes(honest.refusals).length
    expect(refusedSoFar).toBe(7)
    await waitFor(() => record(watcher.doc, b.id) === undefined, { what: 'the merge' })
    expect(record(watcher.doc, theme.id)).toMatchObject({ meta: { [THEME_META_KEY]: true } })

    // Ana's 2 + 2 on a: 3 (the cap), one returned. Ben's dot on b moves to a.
    await waitFor(
      () =>
        JSON.stringify(ballotNotices(ana.client, session.id).at(-1)?.dots) ===
        JSON.stringify({ [a.id]: 3 }),
      { what: 'ana’s dots carried' },
    )
    await waitFor(
      () =>
        JSON.stringify(ballotNotices(ben.client, session.id).at(-1)?.dots) ===
        JSON.stringify({ [c.id]: 1, [a.id]: 1 }),
      { what: 'ben’s dots carried' },
    )
    // The returned dot is Ana's to place again.
    expect(
      (await castDot(ana.client, { sessionId: session.id, itemId: c.id, delta: 1 })).dots,
    ).toEqual({
      [a.id]: 3,
      [c.id]: 1,
    })

    // Once merged, the record of what was merged stays.
    await expectRefused(
      attacker,
      watcher,
      /keeps every author and text/,
      (doc) => {
        const kept = record(doc, a.id) as unknown as TLRecord
        openBoardDoc(doc).records.set(a.id, { ...kept, meta: {} } as unknown as TLRecord)
      },
      () => record(watcher.doc, a.id),
    )

    revealVote(facilitator.doc, session.id, Date.now())
    await waitFor(() => outcomeOf(watcher, session.id) !== undefined, { what: 'the outcome' })
    expect(outcomeOf(watcher, session.id)?.dots).toEqual({ [a.id]: 4, [b.id]: 0, [c.id]: 2 })
  })
})
