import { useBoardAccess } from '../session/BoardModelContext.tsx'

/**
 * Whether this browser may change the plan: not for observers, nor for participants once the
 * board is closed (the board model works that out from its role). The plan's controls all ask here.
 */
export function usePlanEditable(): boolean {
  return !useBoardAccess().readOnly
}
