/**
 * Who is here, through Yjs awareness (like cursors, never stored in the board): each browser
 * publishes its person (name, colour, role, organization, idle) in the `person` field beside
 * tldraw's presence, and reads everyone's back through `peopleFrom`, which drops malformed ones.
 */
import { PERSON_FIELD, type PersonPresence, peopleFrom, readPerson } from '@common-ground/shared'
import { useEffect, useState } from 'react'
import { atom, type Signal } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import {
  loadMyOrganization,
  MY_ORGANIZATION_EVENT,
  saveMyOrganization,
} from '../plan/myOrganization.ts'
import { trackIdle } from './activity.ts'

/**
 * The organization this person said they belong to on a board: kept on the device (the same
 * choice "My steps" uses) and shown to others through presence.
 */
export interface MyOrganization {
  value: Signal<string | null>
  set(organization: string | null): void
  /** Follows choices saved elsewhere on the page until the returned function is called. */
  listen(): () => void
}

export function myOrganization(boardId: string): MyOrganization {
  const value = atom<string | null>('my organization', loadMyOrganization(boardId))
  // "My steps" in the plan panel makes the same choice: follow it there too.
  const onSaved = (event: Event) => {
    const detail = (event as CustomEvent<{ boardId: string; organization: string | null }>).detail
    if (detail?.boardId === boardId) value.set(detail.organization)
  }
  return {
    value,
    set: (organization) => saveMyOrganization(boardId, organization),
    listen: () => {
      window.addEventListener(MY_ORGANIZATION_EVENT, onSaved)
      return () => window.removeEventListener(MY_ORGANIZATION_EVENT, onSaved)
    },
  }
}

export function publishPerson(
  awareness: Awareness,
  person: Omit<PersonPresence, 'idle'>,
): () => void {
  let idle = false
  // The server closes a connection whose presence is malformed (e.g. a name from an old copy
  // of this browser's identity, longer than allowed): such a person is simply not published.
  const publish = () => awareness.setLocalStateField(PERSON_FIELD, readPerson({ ...person, idle }))
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
