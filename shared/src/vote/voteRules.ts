/**
 * Who may write what in the votes map. `checkVoteWrite` is a pure rule the server applies to every
 * changed key of `doc.getMap(VOTES)` (its write review); the client's write functions apply the
 * same checks first so that a person learns why before anything is sent.
 */
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import type { VoteRefusal } from './ballot.ts'
import { type VoteSession, voteSessionValidator } from './session.ts'
import { parseVoteKey } from './voteKeys.ts'

/** Whether a session takes dots now. */
export function checkOpen(session: VoteSession, now?: number): RuleResult<VoteRefusal> {
  if (session.status !== 'open') return refuse('notOpen', 'this vote is closed')
  if (now !== undefined && session.endsAt !== null && now > session.endsAt)
    return refuse('timeUp', 'the time for this vote is up')
  return ALLOWED
}

export interface VoteActor {
  /** The connection's role on the board (`BoardRole`: facilitator, participant or observer). */
  role: string
  /**
   * The connection's participant id (a hash of its browser's secret; see access.ts); `null` for
   * the server's own tools, which hold no ballot. `Writer` of writeRules.ts fits as it is.
   */
  participantId: string | null
}

export interface VoteWrite {
  /** The key of `doc.getMap(VOTES)` that changed. */
  key: string
  /** Its value before the update (plain JSON), `undefined` when it was absent. */
  before: unknown
  /** Its value after the update (plain JSON), `undefined` when the update deleted it. */
  after: unknown
  actor: VoteActor
  /** Every valid session as the doc held it before the update, by id (`readVoteState().sessions`). */
  sessions: ReadonlyMap<string, VoteSession>
  /** The server's clock, to refuse dots after a countdown ended; omitted: no time check. */
  now?: number
}

// The roles of access.ts (`BoardRole`), compared as text so this rule takes any writer shape
// (same answers as `canFacilitate` / `canEdit`).
const mayFacilitate = (role: string) => role === 'facilitator'

/**
 * Whether one change to the votes map is allowed:
 * - `ballot/…` and `outcome/…`: never; the server keeps ballots and writes outcomes.
 * - `session/<sid>`: only by a facilitator, with a valid session whose id matches the key; a new
 *   session starts open; changes follow `checkSessionChange`. Deleting a session is allowed (its
 *   ballots then count for nothing).
 * - any other key: refused.
 */
export function checkVoteWrite(write: VoteWrite): RuleResult<VoteRefusal> {
  const parsed = parseVoteKey(write.key)
  if (!parsed) return refuse('unknownKey', `unknown vote key "${write.key}"`)
  const { actor } = write
  // Ballots go to the server's ballot box, and outcomes come from it (ballotBox.ts): neither is
  // a client's to write into the document, where everyone would see them.
  if (parsed.kind === 'ballot' || parsed.kind === 'outcome')
    return refuse('keptByServer', 'ballots are cast through the server, not written here')
  if (!mayFacilitate(actor.role))
    return refuse('notFacilitator', 'only a facilitator can start, change, close or reveal a vote')
  if (write.after === undefined) return ALLOWED
  let after: VoteSession
  try {
    after = voteSessionValidator.validate(write.after)
  } catch (error) {
    return refuse('invalid', `vote session: ${(error as Error).message}`)
  }
  if (after.id !== parsed.sessionId)
    return refuse('invalid', 'a vote session is stored under its own id')
  let before: VoteSession | null = null
  if (write.before !== undefined) {
    try {
      before = voteSessionValidator.validate(write.before)
    } catch {
      // A broken session may be replaced by a valid one, as if it were new.
      before = null
    }
  }
  return checkSessionChange(before, after)
}

/**
 * How a session may change (`before` null: a new session, which must start open):
 * - open → closed, closed → open (reopen), open or closed → revealed; revealed is final;
 * - which items, anonymity, the start time and `runoffOf` never change;
 * - while open, the budget and the per-item cap may be raised but never lowered (a lowered
 *   budget would take away dots people already placed; `tally` would clip them by its rule, but
 *   nobody should lose a dot they saw placed); title, countdown and "hidden until reveal" may
 *   change;
 * - once closed, only the status (and its timestamps) changes.
 */
export function checkSessionChange(
  before: VoteSession | null,
  after: VoteSession,
): RuleResult<VoteRefusal> {
  try {
    voteSessionValidator.validate(after)
  } catch (error) {
    return refuse('invalid', `vote session: ${(error as Error).message}`)
  }
  if (!before) {
    if (after.status !== 'open') return refuse('badTransition', 'a vote starts open')
    return ALLOWED
  }
  if (before.id !== after.id) return refuse('invalid', 'a vote keeps its id')
  if (
    before.startedAt !== after.startedAt ||
    before.anonymous !== after.anonymous ||
    before.runoffOf !== after.runoffOf ||
    before.itemIds.length !== after.itemIds.length ||
    before.itemIds.some((id, i) => after.itemIds[i] !== id)
  )
    return refuse('settingLocked', 'the items, anonymity and start of a vote are fixed')
  if (before.status === 'revealed') {
    return sameSession(before, after)
      ? ALLOWED
      : refuse('badTransition', 'a revealed vote is final')
  }
  const settingsSame =
    before.title === after.title &&
    before.dotsPerParticipant === after.dotsPerParticipant &&
    before.maxDotsPerItem === after.maxDotsPerItem &&
    before.endsAt === after.endsAt &&
    before.hiddenUntilReveal === after.hiddenUntilReveal
  if (before.status === 'closed' && !settingsSame)
    return refuse('settingLocked', 'a closed vote keeps its settings')
  if (
    after.dotsPerParticipant < before.dotsPerParticipant ||
    after.maxDotsPerItem < before.maxDotsPerItem
  )
    return refuse('budgetLowered', 'dots can be added to a vote, never taken away')
  if (before.status === after.status) {
    return before.closedAt === after.closedAt && before.revealedAt === after.revealedAt
      ? ALLOWED
      : refuse('badTransition', 'the times of a vote change only with its status')
  }
  if (after.status === 'closed' || after.status === 'revealed') {
    // Closing keeps the first closing time when revealing a closed vote.
    if (before.status === 'closed' && after.closedAt !== before.closedAt)
      return refuse('badTransition', 'the closing time is kept')
    return ALLOWED
  }
  // closed → open: a reopened vote takes dots again.
  return ALLOWED
}

function sameSession(a: VoteSession, b: VoteSession): boolean {
  const keys = Object.keys(a) as (keyof VoteSession)[]
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]))
  )
}
