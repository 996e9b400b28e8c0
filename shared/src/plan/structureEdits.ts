/** Editing the partnership structure (see structure.ts for its fields). */
import type * as Y from 'yjs'
import { readPlanEntry, setPlanEntry } from './planData.ts'
import type { GoverningBody } from './structure.ts'

const BODIES_KEY = 'structure/bodies'

/**
 * Includes a governing body in the structure or leaves it out. Read and written in one step from
 * the doc as it is now, so two facilitators ticking different bodies at once keep both.
 */
export function setGoverningBody(
  doc: Y.Doc,
  body: GoverningBody,
  included: boolean,
  origin?: unknown,
): GoverningBody[] {
  const stored = readPlanEntry(doc, BODIES_KEY)
  const current = Array.isArray(stored) ? (stored as GoverningBody[]) : []
  const next = included
    ? [...current.filter((other) => other !== body), body]
    : current.filter((other) => other !== body)
  setPlanEntry(doc, BODIES_KEY, next, origin)
  return next
}
