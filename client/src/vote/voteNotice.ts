/**
 * What the last refused vote action was, so the canvas can say why (the server's notices will
 * arrive on the same path once its write review reports refusals).
 */
import type { MessageKey } from '@common-ground/shared/i18n'
import { VoteError } from '@common-ground/shared/vote'
import { atom } from 'tldraw'

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

/** Runs a vote action; a refusal becomes a notice instead of an exception. */
export function tryVote(action: () => void): boolean {
  try {
    action()
    return true
  } catch (error) {
    if (error instanceof VoteError) {
      showVoteNotice(`vote.refused.${error.reason}` as MessageKey)
      return false
    }
    throw error
  }
}
