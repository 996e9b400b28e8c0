/**
 * What the last refused vote action was, so the canvas can say why: refused here by the vote's
 * rules, refused by the server's ballot box (its `ballot` notice), or not sent for want of a
 * connection.
 */
import type { MessageKey } from '@common-ground/shared/i18n'
import { RoundError, VoteError } from '@common-ground/shared/vote'
import { atom } from '@tldraw/state'

export interface VoteNotice {
  key: MessageKey
  /** Increases with each notice, so the same message twice is announced twice. */
  serial: number
}

export const voteNotice = atom<VoteNotice | null>('vote notice', null)
let serial = 0

export function showVoteNotice(key: MessageKey): void {
  voteNotice.set({ key, serial: ++serial })
}

/**
 * Runs a vote action (a dot vote's, or a placement round's or consensus check's); a refusal
 * becomes a notice instead of an exception.
 */
export function tryVote(action: () => void): boolean {
  try {
    action()
    return true
  } catch (error) {
    if (error instanceof VoteError) {
      showVoteNotice(`vote.refused.${error.reason}` as MessageKey)
      return false
    }
    if (error instanceof RoundError) {
      showVoteNotice(`round.refused.${error.reason}` as MessageKey)
      return false
    }
    throw error
  }
}
