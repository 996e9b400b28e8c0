/**
 * Who is here, through Yjs awareness (like cursors, never stored in the board): each browser
 * publishes its person (name, colour, role, organization, idle) in the `person` field beside
 * tldraw's presence, and reads everyone's back through `peopleFrom`, which drops malformed ones.
 */
import {
  PERSON_FIELD,
  type PersonPresence,
  peopleFrom,
  readPerson,
} from '@common-ground/shared/facilitation'
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { trackIdle } from './activity.ts'

export function publishPerson(
  awareness: Awareness,
  person: Omit<PersonPresence, 'idle'>,
): () => void {
  let idle = false
  // The server closes a connection whose presence is malformed (e.g. a name from an old copy
  // of this browser's identity, longer than allowed): such a person is simply not published.
  // Set whole: before the cursor's presence is first published the local state may be null
  // (someone who just gave their name), and `setLocalStateField` would do nothing.
  const publish = () =>
    awareness.setLocalState({
      ...awareness.getLocalState(),
      [PERSON_FIELD]: readPerson({ ...person, idle }),
    })
  publish()
  const stop = trackIdle((next) => {
    idle = next
    publish()
  })
  return () => {
    stop()
    awareness.setLocalStateField(PERSON_FIELD, null)
  }
}

/**
 * Everyone present on this board (this browser included), live. Awareness changes with every
 * cursor move of every person; the list is rebuilt only when someone's `person` field changes.
 */
export function usePeople(awareness: Awareness): PersonPresence[] {
  const [people, setPeople] = useState(() => peopleFrom(awareness.getStates().values()))
  useEffect(() => {
    const seen = new Map<number, string>()
    const read = () => setPeople(peopleFrom(awareness.getStates().values()))
    const onChange = ({ added, updated, removed }: AwarenessChange) => {
      let changed = removed.some((id) => seen.delete(id))
      for (const id of [...added, ...updated]) {
        const person = JSON.stringify(awareness.getStates().get(id)?.[PERSON_FIELD] ?? null)
        if (seen.get(id) !== person) {
          seen.set(id, person)
          changed = true
        }
      }
      if (changed) read()
    }
    onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })
    read()
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
  }, [awareness])
  return people
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}
