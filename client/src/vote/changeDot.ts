/** One of my dots on or off a note of the vote: the canvas chips, the keys and the panel's list. */
import type { VoteSession } from '@common-ground/shared/vote'
import type { BoardModel } from '../session/BoardModel.ts'
import { serverNow } from '../sync/serverClock.ts'
import { tryVote } from './voteNotice.ts'

/** Adds (+1) or removes (−1) one of my dots on a note of the vote. */
export function changeDot(
  board: BoardModel,
  session: VoteSession,
  itemId: string,
  delta: 1 | -1,
): void {
  const input = {
    sessionId: session.id,
    participantId: board.participantId,
    itemId,
    name: board.identity.get().name,
    now: serverNow(),
  }
  tryVote(() => (delta > 0 ? board.commands.placeDot(input) : board.commands.removeDot(input)))
}
