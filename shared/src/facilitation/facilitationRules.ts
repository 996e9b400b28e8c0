/**
 * Who may write what in the facilitation map (see facilitationKeys.ts). A pure rule the server's
 * write review applies to every changed key; the client asks it too before offering a control.
 */
import { type BoardRole, canFacilitate } from '../access.ts'
import { doneKeyOwner, doneMarkValidator, FACILITATION_FIELDS } from './facilitationKeys.ts'

export type FacilitationCheck =
  | { ok: true }
  | { ok: false; reason: 'facilitators-only' | 'not-yours' | 'invalid'; message: string }

export function checkFacilitationWrite(write: {
  key: string
  after: unknown
  actor: { role: BoardRole; participantId: string | null }
}): FacilitationCheck {
  const { key, after, actor } = write
  const owner = doneKeyOwner(key)
  if (owner !== null) {
    if (owner !== actor.participantId) {
      return { ok: false, reason: 'not-yours', message: 'only its owner marks a step done' }
    }
    return validate(doneMarkValidator, key, after)
  }
  const validator = FACILITATION_FIELDS.get(key)
  if (!validator)
    return {
      ok: false,
      reason: 'invalid',
      message: `unknown facilitation key "${key.slice(0, 80)}"`,
    }
  if (!canFacilitate(actor.role)) {
    return { ok: false, reason: 'facilitators-only', message: `only facilitators change "${key}"` }
  }
  return validate(validator, key, after)
}

function validate(
  validator: { validate(value: unknown): unknown },
  key: string,
  value: unknown,
): FacilitationCheck {
  if (value === undefined) return { ok: true } // clearing is allowed to whoever may write the key
  try {
    validator.validate(value)
    return { ok: true }
  } catch (error) {
    return {
      ok: false,
      reason: 'invalid',
      message: `${key}: ${(error as Error).message.slice(0, 200)}`,
    }
  }
}
