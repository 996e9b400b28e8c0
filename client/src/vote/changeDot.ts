/** One of my dots on or off a note of the vote: the canvas chips, the keys and the panel's list. */
import { placeDot, removeDot, type VoteSession } from '@common-ground/shared'
import type { BoardSession } from '../board/BoardSessionContext.tsx'
import { serverNow } from '../room/serverClock.ts'
import { voteParticipantId } from './voteAccess.ts'
import { tryVote } from './voteNotice.ts'

/** Adds (+1) or removes (−1) one of my dots on a note of the vote. */
export function changeDot(
  board: BoardSession,
  session: VoteSession,
  itemId: string,
  delta: 1 | -1,
): void {
  const input = {
    sessionId: session.id,
    participantId: voteParticipantId(board),
    itemId,
    name: board.identity.name,
    now: serverNow(),
  }
  const doc = board.connection.doc
  tryVote(() => (delta > 0 ? placeDot(doc, input) : removeDot(doc, input)))
}
