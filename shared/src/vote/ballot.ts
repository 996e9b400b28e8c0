/**
 * One participant's dots in one vote session. Each participant writes only their own ballot
 * (one map key per participant per session), so two people voting at once never overwrite each
 * other.
 */
import { T } from '@tldraw/validate'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import { MAX_LINE_LENGTH } from '../board/text.ts'
import {
  MAX_DOTS_PER_ITEM,
  MAX_VOTE_ITEMS,
  type VoteSession,
  voteItemIdValidator,
} from './session.ts'

export interface Ballot {
  /** Dots per item id; an item without dots has no entry. */
  dots: Record<string, number>
  /** The voter's display name, only in a named (not anonymous) session. */
  name?: string
}

const dotCount = T.integer.check((value) => {
  if (value < 1 || value > MAX_DOTS_PER_ITEM)
    throw new T.ValidationError(`Expected 1 to ${MAX_DOTS_PER_ITEM} dots`)
})

/** A ballot on its own (shape and bounds); `checkBallot` adds the session's rules. */
export const ballotValidator: T.Validator<Ballot> = T.object({
  dots: T.dict(voteItemIdValidator, dotCount).check((dots) => {
    if (Object.keys(dots).length > MAX_VOTE_ITEMS)
      throw new T.ValidationError(`Expected dots on at most ${MAX_VOTE_ITEMS} items`)
  }),
  name: T.string
    .check((value) => {
      if (value.length > MAX_LINE_LENGTH)
        throw new T.ValidationError(`Expected at most ${MAX_LINE_LENGTH} characters`)
    })
    .optional(),
})

/** Why a ballot or a vote write was refused; the UI words each one (`vote.refused.<reason>`). */
export const VOTE_REFUSALS = [
  'invalid',
  'notInVote',
  'itemCapReached',
  'budgetSpent',
  'nameInAnonymousVote',
  'notOpen',
  'timeUp',
  'notYourBallot',
  'notFacilitator',
  'cannotVote',
  'unknownKey',
  'unknownVote',
  'settingLocked',
  'budgetLowered',
  'badTransition',
  'keptByServer',
] as const
export type VoteRefusal = (typeof VOTE_REFUSALS)[number]

/** The number of dots a ballot places in total (as written; `tally` may count fewer). */
export function dotsPlaced(ballot: Ballot): number {
  let total = 0
  for (const count of Object.values(ballot.dots)) total += count
  return total
}

/**
 * Checks a ballot against its session's rules: every item is in the session, no item has more
 * than the per-item cap, the total is within the budget, and a name only in a named session.
 * Whether the session still takes dots is the caller's question (`checkVoteWrite`).
 */
export function checkBallot(session: VoteSession, value: unknown): RuleResult<VoteRefusal> {
  let ballot: Ballot
  try {
    ballot = ballotValidator.validate(value)
  } catch (error) {
    return refuse('invalid', `ballot: ${(error as Error).message}`)
  }
  const items = new Set(session.itemIds)
  for (const [itemId, count] of Object.entries(ballot.dots)) {
    if (!items.has(itemId)) return refuse('notInVote', `"${itemId}" is not in this vote`)
    if (count > session.maxDotsPerItem)
      return refuse(
        'itemCapReached',
        `${count} dots on "${itemId}"; this vote allows ${session.maxDotsPerItem} per item`,
      )
  }
  const total = dotsPlaced(ballot)
  if (total > session.dotsPerParticipant)
    return refuse(
      'budgetSpent',
      `${total} dots placed; this vote gives ${session.dotsPerParticipant} each`,
    )
  if (session.anonymous && ballot.name !== undefined)
    return refuse('nameInAnonymousVote', 'an anonymous vote keeps no names')
  return ALLOWED
}
