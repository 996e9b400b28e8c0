/**
 * The seams between voting and the board's roles, one function each, so that the
 * panels ask one place (the server checks the same rules on every write).
 */
import { canFacilitate } from '@common-ground/shared'
import type { BoardSession } from '../board/BoardSessionContext.tsx'

/** Whether this person runs votes: facilitators do. */
export function canRunVotes(session: BoardSession): boolean {
  return canFacilitate(session.role) && !session.readOnly
}

/** Whether this person places dots (observers watch; a closed board takes none). */
export function canPlaceDots(session: BoardSession): boolean {
  return !session.readOnly
}

/** The id this person's ballot is stored under (`ballot/<session>/<participantId>`). */
export function voteParticipantId(session: BoardSession): string {
  return session.participantId
}
