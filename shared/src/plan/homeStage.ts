/**
 * Where a new note or card belongs when nothing else says: the stage whose work it is. A note is
 * an issue candidate only inside the Issues stage (derivePlan.ts), so a note added while the
 * whole board is in view must not land in whichever frame happens to be in the middle of it.
 */
import { ACTION_ISSUE_CARD } from './actionCard.ts'
import { INTERSECTION_CARD } from './intersection.ts'
import { ORGANIZATION_CARD } from './organization.ts'
import type { StageId } from './template.ts'

const HOME_STAGES: Readonly<Record<string, StageId>> = {
  note: 'issues',
  [ORGANIZATION_CARD]: 'organizations',
  [INTERSECTION_CARD]: 'intersections',
  [ACTION_ISSUE_CARD]: 'actionPlan',
}

/** The stage a new shape of `type` belongs in, or null for a type no stage calls its own. */
export function homeStageOf(type: string): StageId | null {
  return Object.hasOwn(HOME_STAGES, type) ? (HOME_STAGES[type] ?? null) : null
}
