/**
 * The server's box of a board's placement and consensus marks (round.ts): like the ballot box of
 * dot voting (ballotBox.ts), marks never enter the shared document. A browser sends one mark
 * (`RoundRequest`, message type `MESSAGE_ROUND`); the server judges it here (`castMark`), keeps
 * it under the sender's participant id, answers the sender with their own marks and tells
 * everyone only how many have taken part. At the reveal it writes the aggregate
 * (`RoundResult`) into the document and forgets the marks: afterwards nothing ties a mark to
 * anyone.
 */
import { T } from '@tldraw/validate'
import type * as Y from 'yjs'
import { ALLOWED, type RuleRefusal, type RuleResult, refuse } from '../board/rules.ts'
import { tallyFingers } from './consensus.ts'
import { aggregatePlacements, type Placement } from './placement.ts'
import {
  FINGERS_MAX,
  PLACEMENT_MAX,
  type Round,
  type RoundRefusal,
  type RoundResult,
  readRoundState,
  recordRoundResult,
} from './round.ts'
import { MAX_VOTE_ITEMS, VOTE_ID, voteItemIdValidator } from './session.ts'

export type RoundMark = Placement | { fingers: number }

/** One person's marks in one round, by issue id. */
export interface RoundBallot {
  marks: Record<string, RoundMark>
}

/** One mark put (or taken back: `mark` null) on one issue of one round: what a browser sends. */
export interface RoundRequest {
  roundId: string
  itemId: string
  mark: RoundMark | null
}

const scale = (max: number) =>
  T.integer.check((value) => {
    if (value < 0 || value > max) throw new T.ValidationError(`Expected 0 to ${max}`)
  })
const placementValidator = T.object({ impact: scale(PLACEMENT_MAX), effort: scale(PLACEMENT_MAX) })
const fingersValidator = T.object({ fingers: scale(FINGERS_MAX) })

export const roundBallotValidator: T.Validator<RoundBallot> = T.object({
  marks: T.dict(
    voteItemIdValidator,
    T.or(placementValidator, fingersValidator) as T.Validator<RoundMark>,
  ).check((marks) => {
    if (Object.keys(marks).length > MAX_VOTE_ITEMS)
      throw new T.ValidationError(`Expected marks on at most ${MAX_VOTE_ITEMS} items`)
  }),
})

/** The largest request text read; a mark is a few dozen bytes. */
const MAX_REQUEST_LENGTH = 1024

/**
 * A request as received: null when it is not a round request at all (not JSON, too long, no
 * round id: the connection is closed), else the request or the specific reason it is refused.
 */
export function readRoundRequest(
  json: string,
): { ok: true; request: RoundRequest } | (RuleRefusal<RoundRefusal> & { roundId: string }) | null {
  if (json.length > MAX_REQUEST_LENGTH) return null
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { roundId, itemId, mark, ...rest } = value as Record<string, unknown>
  if (typeof roundId !== 'string' || !VOTE_ID.test(roundId)) return null
  const refused = (reason: RoundRefusal, message: string) => ({
    ...refuse(reason, message),
    roundId,
  })
  // A mark is kept under the identity of the connection it comes on, never one it names.
  if ('participantId' in rest || 'personId' in rest)
    return refused('notYourBallot', 'a mark names nobody: it is kept under its sender')
  if (Object.keys(rest).length > 0) return refused('invalid', 'unexpected fields in a mark')
  if (typeof itemId !== 'string' || !voteItemIdValidator.isValid(itemId))
    return refused('invalid', 'expected an issue id')
  if (mark === null) return { ok: true, request: { roundId, itemId, mark: null } }
  if (typeof mark !== 'object' || mark === undefined || Array.isArray(mark))
    return refused('invalid', 'expected a mark or null')
  const keys = Object.keys(mark).sort().join()
  const numbers = Object.values(mark).every((n) => typeof n === 'number')
  if (!numbers || (keys !== 'effort,impact' && keys !== 'fingers'))
    return refused('invalid', 'expected {impact, effort} or {fingers}')
  return { ok: true, request: { roundId, itemId, mark: mark as RoundMark } }
}

/** Whether `mark` fits `round`: its kind, integers within the scale. */
export function checkMark(round: Round, mark: RoundMark): RuleResult<RoundRefusal> {
  if (round.kind === 'placement') {
    if (!('impact' in mark)) return refuse('wrongKind', 'a placement round takes impact and effort')
    return placementValidator.isValid(mark)
      ? ALLOWED
      : refuse('outOfRange', `impact and effort are whole numbers from 0 to ${PLACEMENT_MAX}`)
  }
  if (!('fingers' in mark)) return refuse('wrongKind', 'a consensus check takes 0 to 5 fingers')
  return fingersValidator.isValid(mark)
    ? ALLOWED
    : refuse('outOfRange', `fingers are a whole number from 0 to ${FINGERS_MAX}`)
}

/** The ballot after one request, by the round's rules (open, its issues, the scale), or why not. */
export function castMark(
  round: Round,
  ballot: RoundBallot,
  request: Pick<RoundRequest, 'itemId' | 'mark'>,
): { ok: true; ballot: RoundBallot } | RuleRefusal<RoundRefusal> {
  if (round.status === 'revealed') return refuse('revealed', 'this round has been revealed')
  if (round.status !== 'open') return refuse('notOpen', 'this round is closed')
  if (!round.itemIds.includes(request.itemId))
    return refuse('notInRound', `"${request.itemId.slice(0, 80)}" is not in this round`)
  const marks = { ...ballot.marks }
  if (request.mark === null) delete marks[request.itemId]
  else {
    const check = checkMark(round, request.mark)
    if (!check.ok) return check
    marks[request.itemId] =
      'fingers' in request.mark
        ? { fingers: request.mark.fingers }
        : { impact: request.mark.impact, effort: request.mark.effort }
  }
  return { ok: true, ballot: { marks } }
}

/** The aggregate the server writes at the reveal (the same for every order of ballots). */
export function roundResultOf(round: Round, ballots: Iterable<RoundBallot>): RoundResult {
  const all = [...ballots]
  if (round.kind === 'placement') {
    return aggregatePlacements(
      round,
      all.map((ballot) => {
        const placements: Record<string, Placement> = {}
        for (const [itemId, mark] of Object.entries(ballot.marks))
          if ('impact' in mark) placements[itemId] = mark
        return placements
      }),
    )
  }
  const itemId = round.itemIds[0] as string
  return tallyFingers(
    all.flatMap((ballot) => {
      const mark = ballot.marks[itemId]
      return mark && 'fingers' in mark ? [mark.fingers] : []
    }),
  )
}

/** How many people have marks in a round: all anyone learns before the reveal. */
export function roundTurnout(ballots: Iterable<RoundBallot>): number {
  let voters = 0
  for (const ballot of ballots) if (Object.keys(ballot.marks).length > 0) voters += 1
  return voters
}

/**
 * The marks of one board, in memory, next to its document: what the server keeps (behind its
 * store) and what tests use in its place. Keyed by participant id, which never leaves the server.
 */
export class RoundBox {
  readonly doc: Y.Doc
  readonly #ballots = new Map<string, Map<string, RoundBallot>>()

  constructor(doc: Y.Doc) {
    this.doc = doc
  }

  ballot(roundId: string, participantId: string): RoundBallot {
    return this.#ballots.get(roundId)?.get(participantId) ?? { marks: {} }
  }

  ballots(roundId: string): RoundBallot[] {
    return [...(this.#ballots.get(roundId)?.values() ?? [])]
  }

  /** Puts a stored ballot back (loading a board); an empty one is no ballot. */
  keep(roundId: string, participantId: string, ballot: RoundBallot): void {
    let ballots = this.#ballots.get(roundId)
    if (!ballots) {
      ballots = new Map()
      this.#ballots.set(roundId, ballots)
    }
    if (Object.keys(ballot.marks).length === 0) ballots.delete(participantId)
    else ballots.set(participantId, ballot)
  }

  /** One mark from one person, by the rules of the round as the document has it. */
  cast(
    participantId: string,
    request: RoundRequest,
  ): { ok: true; ballot: RoundBallot } | RuleRefusal<RoundRefusal> {
    const round = readRoundState(this.doc).rounds.get(request.roundId)
    if (!round) return refuse('unknownRound', `no round "${request.roundId}"`)
    const result = castMark(round, this.ballot(round.id, participantId), request)
    if (result.ok) this.keep(round.id, participantId, result.ballot)
    return result
  }

  turnout(roundId: string): number {
    return roundTurnout(this.ballots(roundId))
  }

  /**
   * Writes the result of every revealed round that has none yet, each in one transaction, and
   * forgets its marks. Returns the rounds it wrote.
   */
  recordRevealed(origin?: unknown): string[] {
    const state = readRoundState(this.doc)
    const written: string[] = []
    for (const round of state.rounds.values()) {
      if (round.status !== 'revealed' || state.results.has(round.id)) continue
      recordRoundResult(this.doc, round.id, roundResultOf(round, this.ballots(round.id)), origin)
      this.#ballots.delete(round.id)
      written.push(round.id)
    }
    return written
  }

  roundIds(): string[] {
    return [...this.#ballots.keys()]
  }
}
