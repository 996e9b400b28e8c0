import { InstancePresenceRecordType, type TLInstancePresence } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { PERSON_FIELD, type PersonPresence } from '../facilitation/people.ts'
import { participantIdFor, personIdFor } from './access.ts'
import {
  fitPresenceState,
  jsonDepthExceeds,
  MAX_PRESENCE_BYTES,
  PRESENCE_TRIM,
  presenceBytes,
  presenceIdOf,
  readPresenceState,
  trimPresence,
} from './presence.ts'

const CLIENT = 4242

/** What tldraw's `createPresenceStateDerivation` publishes for this client. */
function presence(extra: Partial<TLInstancePresence> = {}): TLInstancePresence {
  return InstancePresenceRecordType.create({
    id: presenceIdOf(CLIENT),
    userId: 'user:ana' as TLInstancePresence['userId'],
    userName: 'Ana',
    color: '#1c7ed6',
    currentPageId: 'page:page' as TLInstancePresence['currentPageId'],
    cursor: { x: 1, y: 2, type: 'default', rotation: 0 },
    camera: { x: 0, y: 0, z: 1 },
    ...extra,
  })
}

const person: PersonPresence = {
  personId: personIdFor('presence-test-secret-0001', 'board'),
  name: 'Ana',
  color: '#1c7ed6',
  role: 'participant',
  organization: null,
  idle: false,
}

const laser = (points: number) => ({
  id: `laser-${points}`,
  points: Array.from({ length: points }, (_, i) => ({ x: 100.123456 + i, y: 200.654321, z: 0.5 })),
  size: 4,
  color: 'laser' as const,
  opacity: 1,
  state: 'active' as const,
  delay: 0,
  shrink: 0.1,
  taper: true,
})

describe('presence state', () => {
  it('reads what the app publishes', () => {
    const state = { presence: presence(), user: { name: 'Ana', color: '#1c7ed6' }, person }
    expect(readPresenceState(JSON.stringify(state), CLIENT)).toEqual({ ok: true, state })
    expect(readPresenceState('null', CLIENT)).toEqual({ ok: true, state: null })
    expect(readPresenceState('{}', CLIENT)).toEqual({ ok: true, state: {} })
  })

  it('lets in the person of an app from before person ids (the server sets the id)', () => {
    const { personId: _, ...rest } = person
    const older = { ...rest, participantId: participantIdFor('presence-test-secret-0001', 'b') }
    expect(readPresenceState(JSON.stringify({ person: older }), CLIENT)).toEqual({
      ok: true,
      state: { person: older },
    })
    const wrongId = { ...person, personId: older.participantId }
    expect(readPresenceState(JSON.stringify({ person: wrongId }), CLIENT).ok).toBe(false)
  })

  it('measures nesting on the text, skipping strings', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false)
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true)
    expect(jsonDepthExceeds('{"a":"[[[[{{{{"}', 1)).toBe(false)
    expect(jsonDepthExceeds('{"a":"\\"[[[["}', 1)).toBe(false)
    expect(jsonDepthExceeds(`${'['.repeat(1e6)}${']'.repeat(1e6)}`, 8)).toBe(true)
  })

  it('trims a select-all and a long laser stroke to a few KB the server accepts', () => {
    const big = presence({
      selectedShapeIds: Array.from(
        { length: 3000 },
        (_, i) =>
          `shape:note-${i}-xxxxxxxxxxxxxx` as TLInstancePresence['selectedShapeIds'][number],
      ),
      scribbles: [laser(900), laser(900), laser(900), laser(900), laser(900), laser(900)],
    })
    const untrimmed = { presence: big, [PERSON_FIELD]: person }
    expect(presenceBytes(untrimmed)).toBeGreaterThan(MAX_PRESENCE_BYTES)
    expect(readPresenceState(JSON.stringify(untrimmed), CLIENT).ok).toBe(false)

    const trimmed = trimPresence(big)
    expect(trimmed.selectedShapeIds).toHaveLength(PRESENCE_TRIM.selectedShapeIds)
    expect(trimmed.scribbles).toHaveLength(PRESENCE_TRIM.scribbles)
    expect(trimmed.scribbles[0]?.points).toHaveLength(PRESENCE_TRIM.scribblePoints)
    // The newest points: the laser's tail.
    expect(trimmed.scribbles[0]?.points.at(-1)).toEqual(big.scribbles[0]?.points.at(-1))
    const state = { presence: trimmed, user: { name: 'Ana', color: '#1c7ed6' }, person }
    expect(presenceBytes(state)).toBeLessThan(MAX_PRESENCE_BYTES * 0.75)
    expect(readPresenceState(JSON.stringify(state), CLIENT).ok).toBe(true)
    expect(trimPresence(presence())).toEqual(presence()) // the usual case untouched
  })

  it('fits a state the server would refuse by dropping what it must, keeping the person', () => {
    const heavy = presence({ scribbles: [laser(900), laser(900)] })
    const fitted = fitPresenceState({ presence: heavy, person }, CLIENT)
    expect(fitted.presence?.scribbles).toEqual([])
    expect(fitted.person).toEqual(person)
    const foreign = fitPresenceState({ presence: presence(), person }, CLIENT + 1)
    expect(foreign).toEqual({ presence: null, person })
    const badPerson = fitPresenceState(
      { presence: presence(), person: { ...person, name: '' } },
      CLIENT,
    )
    expect(badPerson).toEqual({ presence: null, user: null, person: null })
  })
})
