import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  checkRoundWrite,
  closeRound,
  currentRound,
  type Round,
  RoundError,
  readRoundState,
  reopenRound,
  revealRound,
  roundKey,
  roundResultKey,
  setRankingRule,
  startRound,
} from './round.ts'
import { castMark, RoundBox, readRoundRequest } from './roundBox.ts'

const facilitator = { role: 'facilitator' }
const participant = { role: 'participant' }

function placement(doc = new Y.Doc()): { doc: Y.Doc; round: Round } {
  const round = startRound(doc, {
    id: 'p1',
    kind: 'placement',
    title: 'Impact and effort',
    itemIds: ['shape:a', 'shape:b'],
    now: 1000,
  })
  return { doc, round }
}

describe('round writes', () => {
  it('goes open → closed → open → revealed, and a revealed round only changes its rule', () => {
    const { doc } = placement()
    expect(closeRound(doc, 'p1', 2000).status).toBe('closed')
    expect(reopenRound(doc, 'p1').status).toBe('open')
    const revealed = revealRound(doc, 'p1', 3000)
    expect(revealed).toMatchObject({ status: 'revealed', closedAt: 3000, revealedAt: 3000 })
    expect(setRankingRule(doc, 'p1', 'impactThenEffort').rankingRule).toBe('impactThenEffort')
    expect(() => reopenRound(doc, 'p1')).toThrow(RoundError)
    expect(currentRound(readRoundState(doc), 'placement')?.id).toBe('p1')
  })

  it('refuses a consensus check over several issues, and a round starting revealed', () => {
    const doc = new Y.Doc()
    expect(() =>
      startRound(doc, { kind: 'consensus', title: 'x', itemIds: ['shape:a', 'shape:b'], now: 1 }),
    ).toThrow(RoundError)
    const { round } = placement()
    const check = checkRoundWrite({
      key: roundKey('p2'),
      before: undefined,
      after: { ...round, id: 'p2', status: 'revealed', closedAt: 2, revealedAt: 2 },
      actor: facilitator,
    })
    expect(check).toMatchObject({ ok: false, reason: 'badTransition' })
  })

  it('lets only a facilitator write a round, and nobody write a result', () => {
    const { round } = placement()
    const write = { key: roundKey('p1'), before: undefined, after: round }
    expect(checkRoundWrite({ ...write, actor: facilitator }).ok).toBe(true)
    expect(checkRoundWrite({ ...write, actor: participant })).toMatchObject({
      reason: 'notFacilitator',
    })
    expect(
      checkRoundWrite({
        key: roundResultKey('p1'),
        before: undefined,
        after: { kind: 'consensus', voters: 1, fingers: [0, 0, 0, 0, 0, 1] },
        actor: facilitator,
      }),
    ).toMatchObject({ reason: 'keptByServer' })
    expect(
      checkRoundWrite({ key: 'ballot/p1/x', before: undefined, after: 1, actor: facilitator }),
    ).toMatchObject({ reason: 'unknownKey' })
    expect(
      checkRoundWrite({
        key: roundKey('p1'),
        before: round,
        after: { ...round, itemIds: ['shape:a'] },
        actor: facilitator,
      }),
    ).toMatchObject({ reason: 'settingLocked' })
  })
})

describe('marks', () => {
  it('are judged by the round: open, its issues, its kind and its scale', () => {
    const { doc, round } = placement()
    const empty = { marks: {} }
    expect(castMark(round, empty, { itemId: 'shape:a', mark: { impact: 3, effort: 10 } })).toEqual({
      ok: true,
      ballot: { marks: { 'shape:a': { impact: 3, effort: 10 } } },
    })
    const refused = (request: Parameters<typeof castMark>[2], r = round) =>
      (castMark(r, empty, request) as { reason: string }).reason
    expect(refused({ itemId: 'shape:z', mark: { impact: 1, effort: 1 } })).toBe('notInRound')
    expect(refused({ itemId: 'shape:a', mark: { impact: 11, effort: 1 } })).toBe('outOfRange')
    expect(refused({ itemId: 'shape:a', mark: { impact: 1.5, effort: 1 } })).toBe('outOfRange')
    expect(refused({ itemId: 'shape:a', mark: { fingers: 3 } })).toBe('wrongKind')
    const closed = closeRound(doc, 'p1', 5)
    expect(refused({ itemId: 'shape:a', mark: { impact: 1, effort: 1 } }, closed)).toBe('notOpen')
    const revealed = revealRound(doc, 'p1', 6)
    expect(refused({ itemId: 'shape:a', mark: { impact: 1, effort: 1 } }, revealed)).toBe(
      'revealed',
    )
  })

  it('read from requests: malformed is null, a named identity or a stray field is refused', () => {
    expect(readRoundRequest('nope')).toBeNull()
    expect(readRoundRequest(JSON.stringify({ roundId: 'a/b', itemId: 'x', mark: null }))).toBeNull()
    expect(readRoundRequest('x'.repeat(2000))).toBeNull()
    const forged = readRoundRequest(
      JSON.stringify({
        roundId: 'p1',
        itemId: 'shape:a',
        mark: null,
        participantId: 'p'.repeat(23),
      }),
    )
    expect(forged).toMatchObject({ ok: false, reason: 'notYourBallot', roundId: 'p1' })
    expect(
      readRoundRequest(JSON.stringify({ roundId: 'p1', itemId: 'shape:a', mark: { impact: 'x' } })),
    ).toMatchObject({ ok: false, reason: 'invalid' })
    expect(
      readRoundRequest(JSON.stringify({ roundId: 'p1', itemId: 'shape:a', mark: { fingers: 9 } })),
    ).toEqual({ ok: true, request: { roundId: 'p1', itemId: 'shape:a', mark: { fingers: 9 } } })
  })

  it('are kept per person, and at the reveal become an aggregate that names nobody', () => {
    const { doc } = placement()
    const box = new RoundBox(doc)
    expect(
      box.cast('pA', { roundId: 'p1', itemId: 'shape:a', mark: { impact: 8, effort: 2 } }).ok,
    ).toBe(true)
    expect(
      box.cast('pA', { roundId: 'p1', itemId: 'shape:a', mark: { impact: 6, effort: 2 } }).ok,
    ).toBe(true)
    expect(
      box.cast('pB', { roundId: 'p1', itemId: 'shape:a', mark: { impact: 4, effort: 4 } }).ok,
    ).toBe(true)
    expect(box.cast('pB', { roundId: 'nope', itemId: 'shape:a', mark: null })).toMatchObject({
      reason: 'unknownRound',
    })
    expect(box.turnout('p1')).toBe(2)
    revealRound(doc, 'p1', 10)
    expect(box.recordRevealed()).toEqual(['p1'])
    const result = readRoundState(doc).results.get('p1')
    expect(result).toEqual({
      kind: 'placement',
      voters: 2,
      items: {
        'shape:a': { count: 2, impact: { mean: 5, spread: 1 }, effort: { mean: 3, spread: 1 } },
      },
    })
    expect(JSON.stringify(doc.getMap('rounds').toJSON())).not.toContain('pA')
    expect(box.ballots('p1')).toEqual([])
    expect(box.recordRevealed()).toEqual([])
  })
})
