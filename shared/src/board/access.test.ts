import { describe, expect, it } from 'vitest'
import {
  canEdit,
  canFacilitate,
  isLinkToken,
  newLinkToken,
  newParticipantSecret,
  PARTICIPANT_ID_PATTERN,
  PARTICIPANT_SECRET_PATTERN,
  PERSON_ID_PATTERN,
  participantIdFor,
  personIdFor,
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

  it('derives a person id per board too, unrelated to the participant id', () => {
    const secret = newParticipantSecret()
    const person = personIdFor(secret, 'board-one-1')
    const participant = participantIdFor(secret, 'board-one-1')
    expect(person).toMatch(PERSON_ID_PATTERN)
    expect(personIdFor(secret, 'board-one-1')).toBe(person)
    expect(personIdFor(secret, 'board-two-2')).not.toBe(person)
    // Another hash, not the same one under another letter: neither id gives the other away.
    expect(person.slice(1)).not.toBe(participant.slice(1))
    // And the two kinds never pass for each other.
    expect(person).not.toMatch(PARTICIPANT_ID_PATTERN)
    expect(participant).not.toMatch(PERSON_ID_PATTERN)
  })

  it('matches a known SHA-256 derivation, so browser and server agree', () => {
    // Computed once with Node's crypto: sha256("common-ground participant\nabcdefgh\nsecret-…")
    expect(participantIdFor('secret-secret-secret-secret', 'abcdefgh')).toBe(
      `p${KNOWN.slice(0, 22)}`,
    )
    // sha256("common-ground person\nabcdefgh\nsecret-…")
    expect(personIdFor('secret-secret-secret-secret', 'abcdefgh')).toBe(
      `h${KNOWN_PERSON.slice(0, 22)}`,
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
const KNOWN_PERSON = '9pHb7OGeHSWp1DuFCGHZP291cwJy_mDUIMKM94F2nlg'
