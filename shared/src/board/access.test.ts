import { describe, expect, it } from 'vitest'
import {
  canEdit,
  canFacilitate,
  isLinkToken,
  newLinkToken,
  newParticipantSecret,
  PARTICIPANT_ID_PATTERN,
  PARTICIPANT_SECRET_PATTERN,
  participantIdFor,
} from './access.ts'

describe('access', () => {
  it('makes link tokens of 192 random bits that never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newLinkToken))
    expect(tokens.size).toBe(1000)
    for (const token of tokens) expect(isLinkToken(token)).toBe(true)
    expect(isLinkToken('short')).toBe(false)
    expect(isLinkToken(`${newLinkToken()}x`)).toBe(false)
  })

  it('derives a participant id per board from the secret, stable and unlinkable across boards', () => {
    const secret = newParticipantSecret()
    expect(secret).toMatch(PARTICIPANT_SECRET_PATTERN)
    const id = participantIdFor(secret, 'board-one-1')
    expect(id).toMatch(PARTICIPANT_ID_PATTERN)
    expect(participantIdFor(secret, 'board-one-1')).toBe(id)
    expect(participantIdFor(secret, 'board-two-2')).not.toBe(id)
    expect(participantIdFor(newParticipantSecret(), 'board-one-1')).not.toBe(id)
  })

  it('matches a known SHA-256 derivation, so browser and server agree', () => {
    // Computed once with Node's crypto: sha256("common-ground participant\nabcdefgh\nsecret-…")
    expect(participantIdFor('secret-secret-secret-secret', 'abcdefgh')).toBe(
      `p${KNOWN.slice(0, 22)}`,
    )
  })

  it('lets only facilitators facilitate and observers edit nothing', () => {
    expect([canEdit('facilitator'), canEdit('participant'), canEdit('observer')]).toEqual([
      true,
      true,
      false,
    ])
    expect([
      canFacilitate('facilitator'),
      canFacilitate('participant'),
      canFacilitate('observer'),
    ]).toEqual([true, false, false])
  })
})

const KNOWN = 'QUdoBZuQmPbYIE80afFxdi_ENGBLJM4--3zOQDcD6z4'
