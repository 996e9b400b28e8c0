/** One of my dots on or off a note of the vote: the canvas chips, the keys and the panel's list. */
import type { VoteSession } from '@common-ground/shared/vote'
import type { BoardModel } from '../session/BoardModel.ts'

/**
 * Adds (+1) or removes (−1) one of my dots on a note of the vote: shown at once, asked of the
 * server (which keeps ballots); a refusal, or no connection, becomes the vote notice.
 */
export function changeDot(
  board: BoardModel,
  session: VoteSession,
  itemId: string,
  delta: 1 | -1,
): void {
  board.castDot(session.id, itemId, delta)
}
