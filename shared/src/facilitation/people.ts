/**
 * The people in the room: who is here (from each browser's awareness presence, never stored in
 * the board), their organization, whether they are idle, and who has said "I'm done" with the
 * current step (`done/<personId>` marks in the facilitation map). Everyone is known here by their
 * person id (access.ts `personIdFor`), never by the participant id their ballots are kept under.
 */
import { T } from '@tldraw/validate'
import { BOARD_ROLES, type BoardRole, personIdValidator } from '../board/access.ts'
import { type DoneMark, doneKeyOwner, doneMarkValidator } from './facilitationKeys.ts'

/** No pointer or key for this long and a person shows as idle. */
export const IDLE_AFTER_MS = 3 * 60_000

/** The awareness field a browser publishes about its person (beside tldraw's `presence`). */
export const PERSON_FIELD = 'person'

export interface PersonPresence {
  /** The id everyone sees (set by the server from the device's secret), not a ballot's key. */
  personId: string
  name: string
  color: string
  role: BoardRole
  /** The shape id of the organization card they said they belong to, or null. */
  organization: string | null
  idle: boolean
}

/** The longest name a person goes by (the app's join dialog takes no more). */
export const MAX_NAME_LENGTH = 60

const personFields = {
  name: T.string.check((value) => {
    if (value.length === 0 || value.length > MAX_NAME_LENGTH)
      throw new T.ValidationError(`Expected a name of 1–${MAX_NAME_LENGTH} characters`)
  }),
  color: T.string.check((value) => {
    if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new T.ValidationError('Expected a #rrggbb colour')
  }),
  role: T.literalEnum(...BOARD_ROLES),
  organization: T.nullable(
    T.string.check((value) => {
      if (!value.startsWith('shape:') || value.length > 128)
        throw new T.ValidationError('Expected a shape id')
    }),
  ),
  idle: T.boolean,
}

/** Other browsers' presence is untrusted input: it is read through this and dropped if odd. */
export const personPresenceValidator: T.Validator<PersonPresence> = T.object({
  personId: personIdValidator,
  ...personFields,
})

/**
 * A person as a browser may send it to the server, which sets `personId` and `role` from the
 * link it checked, whatever was sent (server/src/sync/presence.ts). An app opened before person
 * ids existed still sends its `participantId` there: it is let in, and the server drops it, so
 * that id is never relayed and a tab left open over an update keeps its connection.
 */
export interface SentPerson extends Omit<PersonPresence, 'personId'> {
  personId?: string
  /** From an app older than person ids; never relayed. */
  participantId?: string
}

export const sentPersonValidator: T.Validator<SentPerson> = T.object({
  personId: personIdValidator.optional(),
  participantId: T.string.optional(),
  ...personFields,
})

export function readPerson(value: unknown): PersonPresence | null {
  try {
    return personPresenceValidator.validate(value)
  } catch {
    return null
  }
}

/**
 * Everyone present, one entry per person id (the same person in two tabs is one person, idle
 * only if idle in every tab), facilitators first, then by name.
 */
export function peopleFrom(states: Iterable<unknown>): PersonPresence[] {
  const byId = new Map<string, PersonPresence>()
  for (const state of states) {
    const person = readPerson((state as Record<string, unknown> | null)?.[PERSON_FIELD])
    if (!person) continue
    const seen = byId.get(person.personId)
    byId.set(person.personId, seen ? { ...seen, idle: seen.idle && person.idle } : person)
  }
  const rank = (role: BoardRole) => BOARD_ROLES.indexOf(role)
  return [...byId.values()].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.name.localeCompare(b.name),
  )
}

/** The valid done marks of a facilitation map's entries, by person id. */
export function doneMarksFrom(entries: Iterable<[string, unknown]>): Map<string, DoneMark> {
  const marks = new Map<string, DoneMark>()
  for (const [key, value] of entries) {
    const owner = doneKeyOwner(key)
    if (owner === null) continue
    try {
      marks.set(owner, doneMarkValidator.validate(value))
    } catch {
      // A malformed mark counts as not done.
    }
  }
  return marks
}

/**
 * Whether a mark says "done with the current step". With an agenda, only a mark made for the
 * current stage (`stage`, see agenda.ts) counts, so moving on needs no clearing; without one,
 * any mark counts.
 */
export function isDoneWith(mark: DoneMark | undefined, currentStage: string | null): boolean {
  if (!mark) return false
  return currentStage === null || mark.stage === currentStage
}

/** "7 of 12 done": participants present (not facilitators or observers), and how many are done. */
export function doneCount(
  people: readonly PersonPresence[],
  marks: ReadonlyMap<string, DoneMark>,
  currentStage: string | null,
): { done: number; of: number } {
  const participants = people.filter((person) => person.role === 'participant')
  const done = participants.filter((person) =>
    isDoneWith(marks.get(person.personId), currentStage),
  ).length
  return { done, of: participants.length }
}
