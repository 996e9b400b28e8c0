import { describe, expect, it } from 'vitest'
import { participantIdFor, personIdFor } from '../board/access.ts'
import { doneKey } from './facilitationKeys.ts'
import { checkFacilitationWrite } from './facilitationRules.ts'

const ANA = 'ana-secret-ana-secret-ana'
const ana = personIdFor(ANA, 'board-rules')
const ben = personIdFor('ben-secret-ben-secret-ben', 'board-rules')

describe('checkFacilitationWrite', () => {
  it('lets each person mark only their own step done, with a valid mark', () => {
    const mark = { stage: 'issues', at: 1 }
    const actor = { role: 'participant' as const, personId: ana }
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
        actor: { role: 'facilitator', personId: ana },
      }),
    ).toMatchObject({ ok: false, reason: 'not-yours' })
  })

  it('keys done marks by the person id, never by the participant id ballots are kept under', () => {
    const mark = { stage: 'issues', at: 1 }
    const keeping = participantIdFor(ANA, 'board-rules')
    // A writer known only by its participant id marks nobody done, not even under that id.
    const byKeeping = { role: 'participant' as const, participantId: keeping }
    expect(
      checkFacilitationWrite({ key: doneKey(ana), after: mark, actor: byKeeping }),
    ).toMatchObject({ ok: false, reason: 'not-yours' })
    const actor = { role: 'participant' as const, participantId: keeping, personId: ana }
    expect(checkFacilitationWrite({ key: doneKey(keeping), after: mark, actor })).toMatchObject({
      ok: false,
      reason: 'invalid',
    })
  })

  it('refuses keys it does not know', () => {
    expect(
      checkFacilitationWrite({
        key: 'whatever',
        after: 1,
        actor: { role: 'facilitator', personId: ana },
      }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
  })
})
