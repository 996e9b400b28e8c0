import { describe, expect, it } from 'vitest'
import { participantIdFor, personIdFor } from '../board/access.ts'
import { doneKey } from './facilitationKeys.ts'
import {
  doneCount,
  doneMarksFrom,
  PERSON_FIELD,
  type PersonPresence,
  peopleFrom,
} from './people.ts'

const secret = (name: string) => `${name}-secret-secret-secret`
const id = (name: string) => personIdFor(secret(name), 'people')
const person = (name: string, extra: Partial<PersonPresence> = {}): PersonPresence => ({
  personId: id(name),
  name,
  color: '#1c7ed6',
  role: 'participant',
  organization: null,
  idle: false,
  ...extra,
})

describe('people', () => {
  it('lists each person once, facilitators first then by name, dropping malformed presence', () => {
    const states = [
      { [PERSON_FIELD]: person('Zoe') },
      { [PERSON_FIELD]: person('Ana', { idle: true }) },
      { [PERSON_FIELD]: person('Ana', { idle: false }) }, // a second tab, active
      { [PERSON_FIELD]: person('Lead', { role: 'facilitator' }) },
      { [PERSON_FIELD]: { ...person('Bad'), personId: 'someone' } },
      // A participant id (what ballots are kept under) is no person id.
      { [PERSON_FIELD]: person('Bad3', { personId: participantIdFor(secret('Bad3'), 'people') }) },
      { [PERSON_FIELD]: { ...person('Bad2'), name: '' } },
      { presence: {} },
      null,
    ]
    const people = peopleFrom(states)
    expect(people.map((p) => [p.name, p.idle])).toEqual([
      ['Lead', false],
      ['Ana', false],
      ['Zoe', false],
    ])
  })

  it('counts the participants done with the current stage', () => {
    const people = [
      person('Ana'),
      person('Ben'),
      person('Cy'),
      person('Lead', { role: 'facilitator' }),
      person('Funder', { role: 'observer' }),
    ]
    const marks = doneMarksFrom([
      [doneKey(id('Ana')), { stage: 'issues', at: 1 }],
      [doneKey(id('Ben')), { stage: 'organizations', at: 1 }],
      [doneKey(id('Cy')), { stage: 3 }], // malformed: not done
      [doneKey(id('Lead')), { stage: 'issues', at: 1 }], // facilitators are not counted
      ['brainstorm', { hidden: true }],
      // A mark from before person ids, under Cy's participant id: no mark any more.
      [`done/${participantIdFor(secret('Cy'), 'people')}`, { stage: 'issues', at: 1 }],
    ])
    expect([...marks.keys()]).toEqual([id('Ana'), id('Ben'), id('Lead')])
    expect(doneCount(people, marks, 'issues')).toEqual({ done: 1, of: 3 })
    // Without an agenda every mark counts.
    expect(doneCount(people, marks, null)).toEqual({ done: 2, of: 3 })
  })
})
