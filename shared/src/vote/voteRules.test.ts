import { describe, expect, it } from 'vitest'
import { voteSession } from '../plan/fixtures.ts'
import type { VoteSession } from './session.ts'
import { checkSessionChange, checkVoteWrite, type VoteWrite } from './voteRules.ts'

const base: VoteSession = voteSession()
const closed: VoteSession = { ...base, status: 'closed', closedAt: 2000 }
// Participant ids of the form access.ts derives (`p` and 22 characters).
const pid = (name: string) => `p${name.padEnd(22, '_')}`
const pAlice = pid('Alice')
const pFacil = pid('Facil')
const pBob = pid('Bob')
const alice = { role: 'participant', participantId: pAlice }
const facilitator = { role: 'facilitator', participantId: pFacil }

function write(over: Partial<VoteWrite>): VoteWrite {
  return {
    key: `ballot/v1/${pAlice}`,
    before: undefined,
    after: { dots: { 'shape:a': 1 } },
    actor: alice,
    sessions: new Map([['v1', base]]),
    ...over,
  }
}
const reason = (check: ReturnType<typeof checkVoteWrite>) => (check.ok ? 'ok' : check.reason)

describe('checkVoteWrite: ballots and outcomes', () => {
  it('refuses every ballot and outcome written into the document, by anyone', () => {
    // The server keeps ballots (ballotBox.ts): in the document everyone would see them.
    const own = write({})
    expect(reason(checkVoteWrite(own))).toBe('keptByServer')
    expect(
      reason(checkVoteWrite(write({ before: { dots: { 'shape:a': 1 } }, after: undefined }))),
    ).toBe('keptByServer')
    expect(reason(checkVoteWrite(write({ actor: facilitator, key: `ballot/v1/${pFacil}` })))).toBe(
      'keptByServer',
    )
    expect(reason(checkVoteWrite(write({ key: `ballot/v1/${pBob}` })))).toBe('keptByServer')
    expect(
      reason(
        checkVoteWrite(
          write({ actor: facilitator, key: 'outcome/v1', after: { dots: {}, voters: 0 } }),
        ),
      ),
    ).toBe('keptByServer')
  })
})

describe('checkVoteWrite: sessions and other keys', () => {
  it('lets only facilitators start, change, close or delete a vote', () => {
    const start = { key: 'session/v1', before: undefined, after: base, sessions: new Map() }
    expect(reason(checkVoteWrite(write({ ...start, actor: facilitator })))).toBe('ok')
    expect(reason(checkVoteWrite(write({ ...start })))).toBe('notFacilitator')
    expect(reason(checkVoteWrite(write({ key: 'session/v1', before: base, after: closed })))).toBe(
      'notFacilitator',
    )
    expect(
      reason(checkVoteWrite(write({ key: 'session/v1', before: base, after: undefined }))),
    ).toBe('notFacilitator')
    expect(
      reason(
        checkVoteWrite(
          write({ key: 'session/v1', before: base, after: undefined, actor: facilitator }),
        ),
      ),
    ).toBe('ok')
  })

  it('refuses settings out of range and a session stored under another id', () => {
    const start = (after: unknown) =>
      reason(checkVoteWrite(write({ key: 'session/v1', after, actor: facilitator })))
    expect(start({ ...base, dotsPerParticipant: 0 })).toBe('invalid')
    expect(start({ ...base, dotsPerParticipant: 21 })).toBe('invalid')
    expect(start({ ...base, maxDotsPerItem: 0 })).toBe('invalid')
    expect(start({ ...base, itemIds: [] })).toBe('invalid')
    expect(start({ ...base, itemIds: ['shape:a', 'shape:a'] })).toBe('invalid')
    expect(start({ ...base, id: 'v2' })).toBe('invalid')
    expect(start({ ...base, status: 'closed', closedAt: 5 })).toBe('badTransition')
    expect(start({ ...base, closedAt: 5 })).toBe('invalid')
  })

  it('refuses unknown keys from anyone', () => {
    for (const key of [
      'tally/v1',
      'session/v1/x',
      'ballot/v1',
      'ballot/v1/p/x',
      'session/',
      `ballot/v 1/${pAlice}`,
      '',
    ])
      expect(reason(checkVoteWrite(write({ key, actor: facilitator })))).toBe('unknownKey')
  })
})

describe('checkSessionChange', () => {
  const change = (before: VoteSession | null, after: VoteSession) => {
    const check = checkSessionChange(before, after)
    return check.ok ? 'ok' : check.reason
  }
  it('lets the budget and cap rise while open, never fall', () => {
    expect(change(base, { ...base, dotsPerParticipant: 8, maxDotsPerItem: 5 })).toBe('ok')
    expect(change(base, { ...base, dotsPerParticipant: 4 })).toBe('budgetLowered')
    expect(change(base, { ...base, maxDotsPerItem: 2 })).toBe('budgetLowered')
    expect(change(base, { ...base, title: 'Round two', endsAt: 9000 })).toBe('ok')
  })
  it('keeps items, anonymity and start fixed, and a closed vote keeps its settings', () => {
    expect(change(base, { ...base, itemIds: ['shape:a', 'shape:b'] })).toBe('settingLocked')
    expect(change(base, { ...base, anonymous: false })).toBe('settingLocked')
    expect(change(base, { ...base, startedAt: 1 })).toBe('settingLocked')
    expect(change(closed, { ...closed, dotsPerParticipant: 9 })).toBe('settingLocked')
  })
  it('moves open → closed → revealed (or open → revealed, or closed → open); revealed is final', () => {
    const revealed: VoteSession = { ...closed, status: 'revealed', revealedAt: 3000 }
    expect(change(base, closed)).toBe('ok')
    expect(change(closed, revealed)).toBe('ok')
    expect(change(closed, base)).toBe('ok')
    expect(change(base, { ...base, status: 'revealed', closedAt: 3000, revealedAt: 3000 })).toBe(
      'ok',
    )
    expect(change(closed, { ...revealed, closedAt: 2500 })).toBe('badTransition')
    expect(change(revealed, closed)).toBe('badTransition')
    expect(change(revealed, { ...revealed, title: 'x' })).toBe('badTransition')
    expect(change(revealed, { ...revealed })).toBe('ok')
    expect(change(base, { ...base, closedAt: null, revealedAt: null, startedAt: 1000 })).toBe('ok')
  })
})
