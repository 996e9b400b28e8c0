import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { participantIdFor } from '../board/access.ts'
import { openBoardDoc } from '../board/boardDoc.ts'
import { BoardRules, type BoardWrite, type Writer } from '../board/writeRules.ts'
import { note } from '../plan/fixtures.ts'
import { seedBoard } from '../plan/seedBoard.ts'
import { stageFrameId, stagePromptId } from '../plan/template.ts'
import { BRAINSTORM, LEGACY_AUTHOR_META_KEY } from './brainstorm.ts'
import { FACILITATION } from './facilitationKeys.ts'
import { checkFacilitationWrite } from './facilitationRules.ts'
import { lockKey } from './stageLock.ts'

const ana = participantIdFor('ana-secret-ana-secret-ana', 'room-rules')
const ben = participantIdFor('ben-secret-ben-secret-ben', 'room-rules')
const participant: Writer = { role: 'participant', participantId: ana, personId: null }
const facilitator: Writer = { role: 'facilitator', participantId: ben, personId: null }
const rules = new BoardRules()

function retreatBoard(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, { title: 'Room', createdAt: 1, template: 'retreat', locale: 'en' })
  return doc
}

function recordWrite(doc: Y.Doc, key: string, after: unknown): BoardWrite {
  return { root: 'records', key, before: openBoardDoc(doc).records.get(key), after }
}

function moved(doc: Y.Doc, key: string) {
  const record = openBoardDoc(doc).records.get(key) as unknown as { x: number }
  return { ...record, x: record.x + 50 }
}

const stamped = (id: string, author: unknown) => ({
  ...note(id, 'an idea'),
  meta: { [LEGACY_AUTHOR_META_KEY]: author },
})

describe('stage locks in the write review', () => {
  it('refuses a participant moving, editing or deleting a locked stage frame or prompt', () => {
    const doc = retreatBoard()
    const frame = stageFrameId('issues')
    const prompt = stagePromptId('issues')
    // Unlocked: the participant may move it.
    expect(rules.reviewUpdate([recordWrite(doc, frame, moved(doc, frame))], participant, doc)).toBe(
      null,
    )
    doc.getMap(FACILITATION).set(lockKey('issues'), true)
    for (const write of [
      recordWrite(doc, frame, moved(doc, frame)),
      recordWrite(doc, prompt, moved(doc, prompt)),
      recordWrite(doc, frame, undefined),
    ]) {
      expect(rules.reviewUpdate([write], participant, doc)).toMatchObject({
        code: 'facilitators-only',
        message: expect.stringContaining('locked'),
      })
      // Facilitators keep the right to move what they locked.
      expect(rules.reviewUpdate([write], facilitator, doc)).toBe(null)
    }
    // Other stages and notes inside the locked frame stay free.
    const other = stageFrameId('vote')
    expect(rules.reviewUpdate([recordWrite(doc, other, moved(doc, other))], participant, doc)).toBe(
      null,
    )
    const inside = { ...note('n1', 'inside'), parentId: frame }
    expect(rules.reviewUpdate([recordWrite(doc, 'shape:n1', inside)], participant, doc)).toBe(null)
    // Lifting the lock lets them move it again.
    doc.getMap(FACILITATION).set(lockKey('issues'), false)
    expect(rules.reviewUpdate([recordWrite(doc, frame, moved(doc, frame))], participant, doc)).toBe(
      null,
    )
  })

  it('lets only facilitators set a lock, with a boolean', () => {
    const actor = { role: 'participant' as const, participantId: ana }
    expect(checkFacilitationWrite({ key: lockKey('issues'), after: true, actor })).toMatchObject({
      ok: false,
      reason: 'facilitators-only',
    })
    const lead = { role: 'facilitator' as const, participantId: ben }
    expect(checkFacilitationWrite({ key: lockKey('issues'), after: true, actor: lead })).toEqual({
      ok: true,
    })
    expect(
      checkFacilitationWrite({ key: lockKey('issues'), after: 'yes', actor: lead }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
    expect(
      checkFacilitationWrite({ key: 'locked/nowhere', after: true, actor: lead }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
  })
})

describe('no author stamp in the write review', () => {
  it('refuses a note stamped with anyone as its writer, and lets an unstamped one through', () => {
    const doc = retreatBoard()
    const review = (after: unknown, writer = participant) =>
      rules.reviewUpdate([recordWrite(doc, 'shape:n1', after)], writer, doc)
    // Not even one's own id, not even a facilitator: the stamp tied notes to presence.
    expect(review(stamped('n1', ana))).toMatchObject({ code: 'invalid' })
    expect(review(stamped('n1', ben), facilitator)).toMatchObject({ code: 'invalid' })
    expect(review(stamped('n1', 42))).toMatchObject({ code: 'invalid' })
    expect(review(note('n1', 'no author'))).toBe(null)
    expect(review({ ...note('n1', 'other meta'), meta: { cgStage: 'issues' } })).toBe(null)
  })

  it('lets a stamp be taken off an old note, and a stamped note be deleted', () => {
    const doc = retreatBoard()
    openBoardDoc(doc).records.set('shape:n1', stamped('n1', ben) as never)
    const review = (after: unknown) =>
      rules.reviewUpdate([recordWrite(doc, 'shape:n1', after)], participant, doc)
    expect(review({ ...stamped('n1', ben), x: 300 })).toMatchObject({ code: 'invalid' })
    expect(review(note('n1', 'stamp dropped'))).toBe(null)
    expect(review(undefined)).toBe(null)
  })
})

describe('brainstorm key', () => {
  it('is facilitator-only and validated', () => {
    const lead = { role: 'facilitator' as const, participantId: ben }
    const value = { hidden: true, stage: 'issues', serial: 1 }
    expect(checkFacilitationWrite({ key: BRAINSTORM, after: value, actor: lead })).toEqual({
      ok: true,
    })
    expect(
      checkFacilitationWrite({
        key: BRAINSTORM,
        after: value,
        actor: { role: 'participant', participantId: ana },
      }),
    ).toMatchObject({ ok: false, reason: 'facilitators-only' })
    for (const bad of [
      { ...value, stage: 'nowhere' },
      { ...value, serial: 0 },
      { ...value, hidden: 'yes' },
      { hidden: true, stage: '' },
    ]) {
      expect(checkFacilitationWrite({ key: BRAINSTORM, after: bad, actor: lead })).toMatchObject({
        ok: false,
        reason: 'invalid',
      })
    }
  })
})
