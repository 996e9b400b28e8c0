/**
 * People, private brainstorm and stage locks against a real server process: a participant
 * cannot write `brainstorm` or `locked/*`, cannot mark someone else done, cannot move a locked
 * stage frame, and cannot stamp a note with anyone as its author; what they may do still goes
 * through.
 */
import {
  BRAINSTORM,
  doneKey,
  FACILITATION,
  hideNotes,
  LEGACY_AUTHOR_META_KEY,
  lockKey,
} from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import { stageFrameId } from '@common-ground/shared/plan'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, type LinkKind } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()

const join = (board: CreatedBoard, kind: LinkKind) => running.join(board, kind)

const refusals = (client: YClient, code: string) =>
  client.notices.filter(
    (notice) =>
      (notice as { kind?: string; code?: string }).kind === 'write-refused' &&
      (notice as { code?: string }).code === code,
  ).length

const frameX = (client: YClient) =>
  (client.board.records.get(stageFrameId('issues') as never) as { x: number } | undefined)?.x

describe('people, private brainstorm and locks', () => {
  let board: CreatedBoard
  let lead: Awaited<ReturnType<typeof join>>
  let ana: Awaited<ReturnType<typeof join>>
  let ben: Awaited<ReturnType<typeof join>>

  beforeAll(async () => {
    board = await createBoard(running.server, { title: 'People', template: 'retreat' })
    lead = await join(board, 'facilitate')
    ana = await join(board, 'edit')
    ben = await join(board, 'edit')
  })

  it('takes back a participant’s brainstorm or lock; a facilitator’s reaches everyone', async () => {
    // Ana's copy is replaced by the board's after each refusal, so the map is looked up anew.
    const map = () => ana.client.doc.getMap(FACILITATION)
    map().set(BRAINSTORM, hideNotes(null, 'issues'))
    await waitFor(() => refusals(ana.client, 'facilitators-only') === 1, { what: 'refusal' })
    await waitFor(() => ana.client.provider.synced && map().get(BRAINSTORM) === undefined, {
      what: 'brainstorm reverted',
    })
    map().set(lockKey('issues'), true)
    await waitFor(() => refusals(ana.client, 'facilitators-only') === 2, { what: 'refusal' })
    await waitFor(() => ana.client.provider.synced && map().get(lockKey('issues')) === undefined, {
      what: 'lock reverted',
    })
    expect(refusals(ana.client, 'facilitators-only')).toBe(2)

    lead.client.doc.getMap(FACILITATION).set(BRAINSTORM, hideNotes(null, 'issues'))
    await waitFor(() => ben.client.doc.getMap(FACILITATION).get(BRAINSTORM) !== undefined, {
      what: 'the facilitator’s brainstorm',
    })
    expect(ben.client.doc.getMap(FACILITATION).get(BRAINSTORM)).toEqual({
      hidden: true,
      stage: 'issues',
      serial: 1,
    })
    expect(lead.client.doc.getMap(FACILITATION).get(lockKey('issues'))).toBe(undefined)
  })

  it('lets each person mark only themselves done, under the id everyone sees', async () => {
    const map = () => ana.client.doc.getMap(FACILITATION)
    map().set(doneKey(ben.personId), { stage: 'issues', at: Date.now() })
    await waitFor(() => refusals(ana.client, 'not-yours') >= 1, { what: 'refusal' })
    await waitFor(
      () => ana.client.provider.synced && map().get(doneKey(ben.personId)) === undefined,
      { what: 'someone else’s done mark reverted' },
    )
    expect(refusals(ana.client, 'not-yours')).toBeGreaterThanOrEqual(1)
    // Not under the id the server keeps her ballots under: that is no done mark at all.
    map().set(doneKey(ana.participantId), { stage: 'issues', at: Date.now() })
    await waitFor(() => refusals(ana.client, 'invalid') === 1, { what: 'refusal' })
    await waitFor(
      () => ana.client.provider.synced && map().get(doneKey(ana.participantId)) === undefined,
      { what: 'a done mark under the ballots’ id reverted' },
    )
    map().set(doneKey(ana.personId), { stage: 'issues', at: Date.now() })
    await waitFor(
      () => lead.client.doc.getMap(FACILITATION).get(doneKey(ana.personId)) !== undefined,
      { what: 'Ana’s own done mark' },
    )
    expect(lead.client.doc.getMap(FACILITATION).get(doneKey(ben.personId))).toBe(undefined)
    expect(lead.client.doc.getMap(FACILITATION).get(doneKey(ana.participantId))).toBe(undefined)
  })

  it('refuses moving a locked stage frame to a participant, not to a facilitator', async () => {
    const frame = stageFrameId('issues')
    const start = frameX(lead.client)
    expect(start).toBeTypeOf('number')
    // Unlocked, Ben may move it.
    const move = (client: YClient, x: number) => {
      const record = client.board.records.get(frame as never) as object
      client.board.records.set(frame as never, { ...record, x } as never)
    }
    move(ben.client, (start as number) + 10)
    await waitFor(() => frameX(lead.client) === (start as number) + 10, { what: 'unlocked move' })

    lead.client.doc.getMap(FACILITATION).set(lockKey('issues'), true)
    await waitFor(() => ben.client.doc.getMap(FACILITATION).get(lockKey('issues')) === true, {
      what: 'the lock',
    })
    const before = refusals(ben.client, 'facilitators-only')
    move(ben.client, (start as number) + 500)
    await waitFor(() => frameX(ben.client) === (start as number) + 10, { what: 'move reverted' })
    expect(refusals(ben.client, 'facilitators-only')).toBe(before + 1)
    expect(frameX(lead.client)).toBe((start as number) + 10)
    // Deleting it is refused too.
    ben.client.board.records.delete(frame as never)
    await waitFor(() => frameX(ben.client) === (start as number) + 10, { what: 'delete reverted' })

    // The facilitator may still move it (a lock guards against accidents, not against them).
    move(lead.client, start as number)
    await waitFor(() => frameX(ben.client) === start, { what: 'the facilitator’s move' })
  })

  it('refuses a note stamped with an author, even its own writer; keeps an unstamped one', async () => {
    // The stamp tied a note to the person in presence; private notes no longer need it.
    for (const [id, author] of [
      ['forged', ana.participantId],
      ['stamped', ben.participantId],
    ] as const) {
      const stamped = { ...note(id, 'signed'), meta: { [LEGACY_AUTHOR_META_KEY]: author } }
      ben.client.board.records.set(`shape:${id}` as never, stamped as never)
      await waitFor(() => !ben.client.board.records.has(`shape:${id}` as never), {
        what: `the ${id} note reverted`,
      })
    }
    ben.client.board.records.set('shape:own' as never, note('own', 'mine') as never)
    await waitFor(() => lead.client.board.records.has('shape:own' as never), { what: 'own note' })
    expect(lead.client.board.records.has('shape:forged' as never)).toBe(false)
    expect(lead.client.board.records.has('shape:stamped' as never)).toBe(false)
  })
})
