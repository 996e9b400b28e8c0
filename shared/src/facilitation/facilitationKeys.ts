/**
 * How the facilitator runs the room, as plain JSON in one top-level map, `doc.getMap(FACILITATION)`.
 * Every key is written by facilitators only, except `done/<personId>`, which each person writes
 * for themselves ("I'm done with this step").
 *
 * | key                      | value                         | written by            |
 * |--------------------------|-------------------------------|-----------------------|
 * | `done/<personId>`        | `DoneMark`                    | that person           |
 * | anything else            | see `FACILITATION_FIELDS`     | facilitators          |
 *
 * A done mark is keyed by the person id everyone sees in presence (access.ts), never by the
 * participant id ballots are kept under. Marks from before that split (`done/p…`) are no done
 * mark any more: nobody reads them, and they belong to no key anyone may write.
 *
 * Further keys (agenda stage, timer, "bring everyone here", private brainstorm, stage locks) are
 * added to `FACILITATION_FIELDS` with their validators.
 */
import { T } from '@tldraw/validate'
import { PERSON_ID_PATTERN } from '../board/access.ts'
import { GATHER, gatherValidator, STAGE, stageValidator } from './agenda.ts'
import { BRAINSTORM, brainstormValidator } from './brainstorm.ts'
import { LOCK_KEYS, stageLockValidator } from './stageLock.ts'
import { roomTimerValidator, TIMER } from './timer.ts'

export const FACILITATION = 'facilitation'

export const DONE_PREFIX = 'done/'

/** "I'm done with this step": which stage it was, and when (server clock, ms). */
export interface DoneMark {
  stage: string
  at: number
}

export const doneMarkValidator: T.Validator<DoneMark> = T.object({
  stage: T.string,
  at: T.number,
})

/** Facilitator-only keys and the validator of each value. */
export const FACILITATION_FIELDS: Map<string, T.Validatable<unknown>> = new Map()

// The agenda and "bring everyone here" (agenda.ts), the shared countdown (timer.ts).
FACILITATION_FIELDS.set(STAGE, stageValidator)
FACILITATION_FIELDS.set(GATHER, gatherValidator)
FACILITATION_FIELDS.set(TIMER, roomTimerValidator)

// Private brainstorm (brainstorm.ts) and stage locks, one key per stage (stageLock.ts).
FACILITATION_FIELDS.set(BRAINSTORM, brainstormValidator)
for (const key of LOCK_KEYS) FACILITATION_FIELDS.set(key, stageLockValidator)

export function doneKey(personId: string): string {
  return `${DONE_PREFIX}${personId}`
}

/** The person id a `done/…` key belongs to, or null for any other key. */
export function doneKeyOwner(key: string): string | null {
  if (!key.startsWith(DONE_PREFIX)) return null
  const owner = key.slice(DONE_PREFIX.length)
  return PERSON_ID_PATTERN.test(owner) ? owner : null
}
