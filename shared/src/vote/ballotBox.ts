/**
 * The ballot box: ballots are kept by the server, never in the shared document, so nobody can
 * watch who votes for what (everything in the document reaches every browser). A person asks the
 * server for one dot more or less on a note (`DotRequest`, message type `MESSAGE_BALLOT`); the
 * server applies the session's rules here (`castDot`), keeps the ballot, answers the caster with
 * their own ballot and tells everyone only what the session lets them see (`turnoutOf`). At the
 * reveal it writes the outcome into the document in one transaction (`outcomeOf`): counts per
 * note, and names per note only in a named vote. An anonymous outcome holds nothing that ties a
 * dot to a person or a device.
 */
import { T } from '@tldraw/validate'
import { type RuleRefusal, refuse } from '../board/rules.ts'
import { MAX_LINE_LENGTH } from '../board/text.ts'
import { type Ballot, checkBallot, type VoteRefusal } from './ballot.ts'
import {
  MAX_VOTE_ITEMS,
  resultsVisible,
  VOTE_ID,
  type VoteSession,
  voteItemIdValidator,
} from './session.ts'
import { tally } from './tally.ts'
import { checkOpen } from './voteRules.ts'

/** One dot more (+1) or less (−1) on one note of one vote: what a browser sends. */
export interface DotRequest {
  sessionId: string
  itemId: string
  delta: 1 | -1
  /** The voter's display name: kept in a named vote only. */
  name?: string
}

const dotRequestValidator: T.Validator<DotRequest> = T.object({
  sessionId: T.string.check((value) => {
    if (!VOTE_ID.test(value)) throw new T.ValidationError('Expected a vote id')
  }),
  itemId: voteItemIdValidator,
  delta: T.literalEnum(1, -1),
  name: T.string
    .check((value) => {
      if (value.length > MAX_LINE_LENGTH) throw new T.ValidationError('Expected a shorter name')
    })
    .optional(),
})

/** A request as received (JSON text, at most a few hundred bytes), or null when malformed. */
export function readDotRequest(json: string): DotRequest | null {
  if (json.length > 1024) return null
  try {
    return dotRequestValidator.validate(JSON.parse(json))
  } catch {
    return null
  }
}

/**
 * The ballot after one dot more or less, by the session's rules (open, before its time, budget,
 * per-note cap, only its notes), or why not. `name` is kept in a named vote only.
 */
export function castDot(
  session: VoteSession,
  ballot: Ballot,
  request: Pick<DotRequest, 'itemId' | 'delta'>,
  /** The server's clock, to refuse dots after the countdown; omitted: no time check. */
  now: number | undefined,
  name?: string,
): { ok: true; ballot: Ballot } | RuleRefusal<VoteRefusal> {
  const open = checkOpen(session, now)
  if (!open.ok) return open
  if (!session.itemIds.includes(request.itemId))
    return refuse('notInVote', `"${request.itemId}" is not in this vote`)
  const count = (ballot.dots[request.itemId] ?? 0) + request.delta
  const dots = { ...ballot.dots }
  if (count > 0) dots[request.itemId] = count
  else delete dots[request.itemId]
  const next: Ballot = { dots }
  // A request without a name (a dot taken back, say) keeps the name the ballot has.
  const voterName = name ?? ballot.name
  if (!session.anonymous && voterName !== undefined) next.name = voterName.slice(0, MAX_LINE_LENGTH)
  const check = checkBallot(session, next)
  if (!check.ok) return check
  return { ok: true, ballot: next }
}

/**
 * What everyone may know of a vote while it runs: how many have voted, and in a vote whose
 * results are visible, the dots per note (with the voters' names per note in a named vote).
 */
export interface Turnout {
  sessionId: string
  voters: number
  dots?: Record<string, number>
  names?: Record<string, string[]>
}

export function turnoutOf(session: VoteSession, ballots: Iterable<Ballot>): Turnout {
  const all = [...ballots]
  const counted = tally(session, all)
  const turnout: Turnout = { sessionId: session.id, voters: counted.voters }
  if (resultsVisible(session)) {
    turnout.dots = dotsByItem(counted.items)
    if (!session.anonymous) turnout.names = namesByItem(session, all)
  }
  return turnout
}

/** A revealed vote's result, as the server writes it into the document (`outcome/<sessionId>`). */
export interface VoteOutcome {
  /** Dots per note of the session (notes with none included, as 0). */
  dots: Record<string, number>
  /** How many took part (at least one counted dot). */
  voters: number
  /** Who put dots on each note: in a named vote only. */
  names?: Record<string, string[]>
}

export const voteOutcomeValidator: T.Validator<VoteOutcome> = T.object({
  dots: T.dict(voteItemIdValidator, T.positiveInteger).check((dots) => {
    if (Object.keys(dots).length > MAX_VOTE_ITEMS)
      throw new T.ValidationError(`Expected at most ${MAX_VOTE_ITEMS} items`)
  }),
  voters: T.positiveInteger,
  names: T.dict(voteItemIdValidator, T.arrayOf(T.string)).optional(),
})

/** The outcome of a session from the ballots the server kept (the same count as `tally`). */
export function outcomeOf(session: VoteSession, ballots: Iterable<Ballot>): VoteOutcome {
  const all = [...ballots]
  const counted = tally(session, all)
  const outcome: VoteOutcome = { dots: dotsByItem(counted.items), voters: counted.voters }
  if (!session.anonymous) outcome.names = namesByItem(session, all)
  return outcome
}

function dotsByItem(items: readonly { itemId: string; dots: number }[]): Record<string, number> {
  const dots: Record<string, number> = {}
  for (const item of items) dots[item.itemId] = item.dots
  return dots
}

/** Voters' names per note, sorted so the order says nothing about who voted first. */
function namesByItem(session: VoteSession, ballots: readonly Ballot[]): Record<string, string[]> {
  const names: Record<string, string[]> = {}
  for (const ballot of ballots) {
    if (!ballot.name) continue
    for (const [itemId, count] of Object.entries(ballot.dots)) {
      if (count <= 0 || !session.itemIds.includes(itemId)) continue
      const list = names[itemId] ?? []
      list.push(ballot.name)
      names[itemId] = list
    }
  }
  for (const list of Object.values(names)) list.sort()
  return names
}

/**
 * The ballots of one board, in memory: what the server keeps (behind its store) and what tests
 * use in its place. Keyed by participant id, which never leaves the server.
 */
export class BallotBox {
  readonly #ballots = new Map<string, Map<string, Ballot>>()

  /** A person's ballot in a vote (empty when they have not voted). */
  ballot(sessionId: string, participantId: string): Ballot {
    return this.#ballots.get(sessionId)?.get(participantId) ?? { dots: {} }
  }

  /** Every ballot of a vote with the participant it is kept under (never leaves the server). */
  entries(sessionId: string): [participantId: string, ballot: Ballot][] {
    return [...(this.#ballots.get(sessionId)?.entries() ?? [])]
  }

  ballots(sessionId: string): Ballot[] {
    return [...(this.#ballots.get(sessionId)?.values() ?? [])]
  }

  /** Puts a stored ballot back (loading a board); an empty one is no ballot. */
  keep(sessionId: string, participantId: string, ballot: Ballot): void {
    let ballots = this.#ballots.get(sessionId)
    if (!ballots) {
      ballots = new Map()
      this.#ballots.set(sessionId, ballots)
    }
    if (Object.keys(ballot.dots).length === 0) ballots.delete(participantId)
    else ballots.set(participantId, ballot)
  }

  /** One dot more or less, by the session's rules; kept only when allowed. */
  cast(
    session: VoteSession,
    participantId: string,
    request: Pick<DotRequest, 'itemId' | 'delta'>,
    now: number | undefined,
    name?: string,
  ): { ok: true; ballot: Ballot } | RuleRefusal<VoteRefusal> {
    const result = castDot(session, this.ballot(session.id, participantId), request, now, name)
    if (result.ok) this.keep(session.id, participantId, result.ballot)
    return result
  }

  turnout(session: VoteSession): Turnout {
    return turnoutOf(session, this.ballots(session.id))
  }

  outcome(session: VoteSession): VoteOutcome {
    return outcomeOf(session, this.ballots(session.id))
  }

  /** Forgets a vote's ballots (an anonymous vote's, once its outcome is written). */
  forget(sessionId: string): void {
    this.#ballots.delete(sessionId)
  }

  /** The votes it holds ballots for. */
  sessionIds(): string[] {
    return [...this.#ballots.keys()]
  }
}
