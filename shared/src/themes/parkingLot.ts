/**
 * The parking lot: a stage frame (`parkingLot`, template.ts) for notes that are off-topic now
 * but worth keeping. Sending a note there remembers where it was (`meta.cgParkedFrom`: its parent
 * and its place in it), so "bring back" puts it back; at the end of the day the group reviews the
 * list, and it reaches the exported plan (`PartnershipPlan.parkingLot`).
 */
import { T } from '@tldraw/validate'
import type { IssueCandidate } from '../plan/issue.ts'
import { type StageId, stageFrameId } from '../plan/template.ts'

export const PARKING_LOT: StageId = 'parkingLot'
export const PARKED_FROM_META_KEY = 'cgParkedFrom'
export const PARKING_LOT_FRAME_ID = stageFrameId(PARKING_LOT)

export interface ParkedFrom {
  /** The note's parent before it was parked: a page, a stage frame, a theme, a group. */
  parentId: string
  /** Its place in that parent. */
  x: number
  y: number
}

/** A note in the parking lot, as the plan lists it (an issue candidate's fields, no cluster). */
export type ParkedNote = Omit<IssueCandidate, 'cluster'>

export const parkedNoteValidator: T.Validator<ParkedNote> = T.object({
  id: T.string,
  text: T.string,
  color: T.string,
})

const coordinate = T.number.check((value) => {
  if (!Number.isFinite(value) || Math.abs(value) > 1e7)
    throw new T.ValidationError('Expected a place on the board')
})

export const parkedFromValidator: T.Validator<ParkedFrom> = T.object({
  parentId: T.string.check((value) => {
    if (!/^(shape|page):[A-Za-z0-9_-]{1,64}$/.test(value))
      throw new T.ValidationError('Expected a shape or page id')
  }),
  x: coordinate,
  y: coordinate,
})

/** Where a parked note came from, or null (not parked, or nothing valid recorded). */
export function parkedFromOf(shape: unknown): ParkedFrom | null {
  const meta = (shape as { meta?: Record<string, unknown> } | null)?.meta
  if (typeof meta !== 'object' || meta === null || !Object.hasOwn(meta, PARKED_FROM_META_KEY))
    return null
  try {
    return parkedFromValidator.validate(meta[PARKED_FROM_META_KEY])
  } catch {
    return null
  }
}

/** The write review's rule: `meta.cgParkedFrom` is only on notes, and well formed. */
export function checkParkedRecord(after: unknown): { ok: true } | { ok: false; message: string } {
  const meta = (after as { meta?: unknown } | null)?.meta
  if (typeof meta !== 'object' || meta === null || !Object.hasOwn(meta, PARKED_FROM_META_KEY))
    return { ok: true }
  if ((after as { type?: unknown }).type !== 'note')
    return { ok: false, message: 'only a note can be parked' }
  try {
    parkedFromValidator.validate((meta as Record<string, unknown>)[PARKED_FROM_META_KEY])
  } catch (error) {
    return { ok: false, message: `${PARKED_FROM_META_KEY}: ${(error as Error).message}` }
  }
  return { ok: true }
}
