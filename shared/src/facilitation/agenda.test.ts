import { describe, expect, it } from 'vitest'
import { personIdFor } from '../board/access.ts'
import {
  agendaStages,
  GATHER,
  gatherValidator,
  nextGather,
  readGather,
  readStage,
  STAGE,
  stepStage,
} from './agenda.ts'
import { checkFacilitationWrite } from './facilitationRules.ts'

const me = personIdFor('ana-secret-ana-secret-ana', 'board-agenda')
const as = (role: 'facilitator' | 'participant' | 'observer') => ({ role, personId: me })

describe('the agenda', () => {
  it('lists the stages on the board in template order, whatever order the frames come in', () => {
    expect(agendaStages(['vote', 'readiness', 'nonsense', 7, 'issues', 'vote'])).toEqual([
      'readiness',
      'issues',
      'vote',
    ])
    expect(agendaStages([])).toEqual([])
  })

  it('steps forward and back, and stops at either end', () => {
    const agenda = agendaStages(['readiness', 'issues', 'vote'])
    expect(stepStage(agenda, null, 1)).toBe('readiness')
    expect(stepStage(agenda, null, -1)).toBeNull()
    expect(stepStage(agenda, 'readiness', 1)).toBe('issues')
    expect(stepStage(agenda, 'issues', -1)).toBe('readiness')
    expect(stepStage(agenda, 'vote', 1)).toBeNull()
    expect(stepStage(agenda, 'readiness', -1)).toBeNull()
    // The current stage's frame was deleted: forward starts again at the first.
    expect(stepStage(agenda, 'roles', 1)).toBe('readiness')
    expect(stepStage([], null, 1)).toBeNull()
  })

  it('reads only known stages', () => {
    expect(readStage('issues')).toBe('issues')
    expect(readStage('Issues')).toBeNull()
    expect(readStage(3)).toBeNull()
  })

  it('numbers each "bring everyone here" so clients can tell a new one', () => {
    const first = nextGather(null, { x: 10, y: 20, w: 800, h: 600 }, 'page:page')
    expect(first).toEqual({
      serial: 1,
      bounds: { x: 10, y: 20, w: 800, h: 600 },
      pageId: 'page:page',
    })
    expect(nextGather(first, first.bounds, 'page:page').serial).toBe(2)
    expect(readGather(first)).toEqual(first)
  })

  it('refuses malformed gather values', () => {
    const ok = { serial: 1, bounds: { x: 0, y: 0, w: 10, h: 10 }, pageId: 'page:page' }
    for (const bad of [
      { ...ok, serial: 0 },
      { ...ok, serial: 1.5 },
      { ...ok, bounds: { x: 0, y: 0, w: 0, h: 10 } },
      { ...ok, bounds: { x: Number.POSITIVE_INFINITY, y: 0, w: 10, h: 10 } },
      { ...ok, bounds: { x: 0, y: 2e7, w: 10, h: 10 } },
      { ...ok, pageId: 'shape:abc' },
      { ...ok, pageId: `page:${'x'.repeat(65)}` },
      { serial: 1, bounds: ok.bounds },
    ]) {
      expect(readGather(bad)).toBeNull()
      expect(() => gatherValidator.validate(bad)).toThrow()
    }
  })

  it('lets only facilitators move the stage or gather the room, with valid values', () => {
    const gather = nextGather(null, { x: 0, y: 0, w: 100, h: 100 }, 'page:page')
    expect(checkFacilitationWrite({ key: STAGE, after: 'vote', actor: as('facilitator') })).toEqual(
      {
        ok: true,
      },
    )
    expect(
      checkFacilitationWrite({ key: GATHER, after: gather, actor: as('facilitator') }),
    ).toEqual({ ok: true })
    for (const [key, after] of [
      [STAGE, 'vote'],
      [GATHER, gather],
    ] as const) {
      expect(checkFacilitationWrite({ key, after, actor: as('participant') })).toMatchObject({
        ok: false,
        reason: 'facilitators-only',
      })
    }
    expect(
      checkFacilitationWrite({ key: STAGE, after: 'lunch', actor: as('facilitator') }),
    ).toMatchObject({ ok: false, reason: 'invalid' })
  })
})
