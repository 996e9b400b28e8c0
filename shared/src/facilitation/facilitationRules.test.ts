import { describe, expect, it } from 'vitest'
import { participantIdFor } from '../board/access.ts'
import { doneKey } from './facilitationKeys.ts'
import { checkFacilitationWrite } from './facilitationRules.ts'

const ana = participantIdFor('ana-secret-ana-secret-ana', 'board-rules')
const ben = participantIdFor('ben-secret-ben-secret-ben', 'board-rules')

describe('checkFacilitationWrite', () => {
  it('lets each person mark only their own step done, with a valid mark', () => {
    const mark = { stage: 'issues', at: 1 }
    const actor = { role: 'participant' as const, participantId: ana }
    expect(checkFacilitationWrite({ key: doneKey(ana), after: mark, actor })).toEqual({ ok: true })
    expect(checkFacilitationWrite({ key: doneKey(ben), after: mark, actor })).toMatchObject({
      ok: false,
      reason: 'not-yours',
    })
    expect(checkFacilitationWrite({ key: doneKey(ana), after: { stage: 3 }, actor })).toMatchObject(
      { ok: false, reason: 'invalid' },
    )
    // Facilitators cannot mark someone else done either.
    expect(
      checkFacilitationWrite({
        key: doneKey(ben),
        after: mark,
        actor: { role: 'facilitator', participantId: ana },
      }),
    ).toMatchObject({ ok: false, reason: 'not-yours' })
  })

  it('refuses keys it does not know', () => {
    expect(
      checkFacilitationWrite({
        key: 'whatever',
        after: 1,
        actor: { role: 'facilitator', participantId: ana },
      }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
  })
})
