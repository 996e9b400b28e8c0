/**
 * Who may write what in the facilitation map (see facilitationKeys.ts). A pure rule the server's
 * write review applies to every changed key; the client asks it too before offering a control.
 */
import { type BoardRole, canFacilitate } from '../board/access.ts'
import { ALLOWED, type RuleResult, refuse, type WriteRefusalCode } from '../board/rules.ts'
import { doneKeyOwner, doneMarkValidator, FACILITATION_FIELDS } from './facilitationKeys.ts'

/** Why running the room refuses a write (a subset of the write review's codes). */
export type RoomRefusal = Extract<WriteRefusalCode, 'facilitators-only' | 'not-yours' | 'invalid'>

export function checkFacilitationWrite(write: {
  key: string
  after: unknown
  /**
   * The writer, as the write review's `Writer`: a done mark belongs to a `personId` (access.ts),
   * never to the `participantId` ballots are kept under.
   */
  actor: { role: BoardRole; personId?: string | null; participantId?: string | null }
}): RuleResult<RoomRefusal> {
  const { key, after, actor } = write
  const owner = doneKeyOwner(key)
  if (owner !== null) {
    if (owner !== actor.personId) return refuse('not-yours', 'only its owner marks a step done')
    return validate(doneMarkValidator, key, after)
  }
  const validator = FACILITATION_FIELDS.get(key)
  if (!validator) return refuse('invalid', `unknown facilitation key "${key.slice(0, 80)}"`)
  if (!canFacilitate(actor.role)) {
    return refuse('facilitators-only', `only facilitators change "${key}"`)
  }
  return validate(validator, key, after)
}

function validate(
  validator: { validate(value: unknown): unknown },
  key: string,
  value: unknown,
): RuleResult<RoomRefusal> {
  if (value === undefined) return ALLOWED // clearing is allowed to whoever may write the key
  try {
    validator.validate(value)
    return ALLOWED
  } catch (error) {
    return refuse('invalid', `${key}: ${(error as Error).message.slice(0, 200)}`)
  }
}
