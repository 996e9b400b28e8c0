/**
 * The seams between voting and the board's roles and clock, one function each, so that the
 * lead's access links and the server timer change one line here, not the panels.
 */
import type { BoardSession } from '../board/BoardSessionContext.tsx'

/** Whether this person runs votes. Until roles reach the session, everyone may. */
export function canRunVotes(session: BoardSession): boolean {
  const role = (session as { role?: string }).role
  return role === undefined || role === 'facilitator'
}

/** The id this person's ballot is stored under (`ballot/<session>/<participantId>`). */
export function voteParticipantId(session: BoardSession): string {
  const fromAccess = (session as { participantId?: string }).participantId
  return fromAccess ?? session.identity.id
}

/** Now, on the clock vote countdowns are measured with (the server's, once the timer lands). */
export function voteNow(): number {
  return Date.now()
}
