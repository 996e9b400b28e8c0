/**
 * Placement and consensus rounds: the two hidden rounds beside dot voting. In a **placement**
 * round each person places each issue on two scales, impact and effort (0–10); in a
 * **consensus** check each person shows 0–5 fingers for one issue (fist to five). Like a hidden
 * vote, what each person gives is kept by the server (roundBox.ts) and never enters the document;
 * at the reveal the server writes only the aggregate (`RoundResult`), with nothing that ties a
 * mark to anyone, and forgets the marks.
 *
 * Where rounds live in a board's doc: one top-level map, `doc.getMap(ROUNDS)`, plain JSON values.
 *
 * | key                 | value                                                  |
 * |---------------------|--------------------------------------------------------|
 * | `round/<roundId>`   | `Round` (written by a facilitator)                     |
 * | `result/<roundId>`  | `RoundResult` (written by the server at the reveal)    |
 */
import { T } from '@tldraw/validate'
import { uuidv4 } from 'lib0/random'
import * as Y from 'yjs'
import { ALLOWED, type RuleRefusal, type RuleResult, refuse } from '../board/rules.ts'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import type { MessageKey } from '../i18n/index.ts'
import { MAX_VOTE_ITEMS, VOTE_ID, voteIdValidator, voteItemIdValidator } from './session.ts'

/** `doc.getMap(ROUNDS)`: placement rounds and consensus checks. */
export const ROUNDS = 'rounds'

export const ROUND_KINDS = ['placement', 'consensus'] as const
export type RoundKind = (typeof ROUND_KINDS)[number]
export const ROUND_STATUSES = ['open', 'closed', 'revealed'] as const
export type RoundStatus = (typeof ROUND_STATUSES)[number]

/**
 * How a revealed placement ranks its issues: by average impact minus average effort ("quick
 * wins and big bets first"), or by impact, the least effort breaking ties.
 */
export const RANKING_RULES = ['impactMinusEffort', 'impactThenEffort'] as const
export type RankingRule = (typeof RANKING_RULES)[number]

/** How each rule, answer and status is worded (the catalogue's keys), for the panel and exports. */
export const RANKING_RULE_MESSAGES = {
  impactMinusEffort: 'placement.ruleImpactMinusEffort',
  impactThenEffort: 'placement.ruleImpactThenEffort',
} as const satisfies Record<RankingRule, MessageKey>
export const FINGER_MESSAGES = [
  'consensus.finger0',
  'consensus.finger1',
  'consensus.finger2',
  'consensus.finger3',
  'consensus.finger4',
  'consensus.finger5',
] as const satisfies readonly MessageKey[]
export const ROUND_STATUS_MESSAGES = {
  open: 'round.statusOpen',
  closed: 'round.statusClosed',
  revealed: 'round.statusRevealed',
} as const satisfies Record<RoundStatus, MessageKey>

/** Both scales of a placement run from 0 (none) to 10 (very much). */
export const PLACEMENT_MAX = 10
/** Fist to five: 0 (a fist: I block this) to 5 (full support). */
export const FINGERS_MAX = 5

export interface Round {
  id: string
  kind: RoundKind
  title: string
  /** The issue note shape ids; a consensus check has exactly one. */
  itemIds: string[]
  status: RoundStatus
  startedAt: number
  /** Set when it stops taking marks (closed or revealed), `null` while open. */
  closedAt: number | null
  /** Set at the reveal, `null` before. */
  revealedAt: number | null
  /** Placement: the ranking rule the facilitator chose (may change after the reveal); consensus: null. */
  rankingRule: RankingRule | null
}

/** One axis of a revealed placement: the average, and the spread (population standard deviation). */
export interface AxisSummary {
  mean: number
  spread: number
}

/** What a revealed placement found for one issue (no item without placements is listed). */
export interface PlacedItem {
  /** How many placed it. */
  count: number
  impact: AxisSummary
  effort: AxisSummary
}

export type RoundResult =
  | { kind: 'placement'; voters: number; items: Record<string, PlacedItem> }
  | {
      kind: 'consensus'
      voters: number
      /** People per number of fingers: `fingers[0]` fists … `fingers[5]` five fingers. */
      fingers: number[]
    }

/** Why a round write or a mark was refused; the UI words each (`round.refused.<reason>`). */
export const ROUND_REFUSALS = [
  'invalid',
  'unknownKey',
  'unknownRound',
  'notFacilitator',
  'keptByServer',
  'badTransition',
  'settingLocked',
  'notOpen',
  'revealed',
  'notInRound',
  'wrongKind',
  'outOfRange',
  'notYourBallot',
  'cannotVote',
] as const
export type RoundRefusal = (typeof ROUND_REFUSALS)[number]

const timestamp = T.number.check((value) => {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new T.ValidationError('Expected a time in milliseconds')
})

export const roundValidator: T.Validator<Round> = T.object({
  id: voteIdValidator,
  kind: T.literalEnum(...ROUND_KINDS),
  title: boundedText(MAX_LINE_LENGTH),
  itemIds: T.arrayOf(voteItemIdValidator).check((ids) => {
    if (ids.length === 0) throw new T.ValidationError('Expected at least one item')
    if (ids.length > MAX_VOTE_ITEMS)
      throw new T.ValidationError(`Expected at most ${MAX_VOTE_ITEMS} items`)
    if (new Set(ids).size !== ids.length) throw new T.ValidationError('Expected no repeated items')
  }),
  status: T.literalEnum(...ROUND_STATUSES),
  startedAt: timestamp,
  closedAt: T.nullable(timestamp),
  revealedAt: T.nullable(timestamp),
  rankingRule: T.nullable(T.literalEnum(...RANKING_RULES)),
}).check((round) => {
  if ((round.status === 'open') !== (round.closedAt === null))
    throw new T.ValidationError('closedAt is set exactly when the round is not open')
  if ((round.status === 'revealed') !== (round.revealedAt !== null))
    throw new T.ValidationError('revealedAt is set exactly when the round is revealed')
  if (round.kind === 'consensus' && round.itemIds.length !== 1)
    throw new T.ValidationError('a consensus check is about exactly one issue')
  if ((round.kind === 'placement') !== (round.rankingRule !== null))
    throw new T.ValidationError('a placement round has a ranking rule, a consensus check none')
})

const average = T.number.check((value) => {
  if (!Number.isFinite(value) || value < 0 || value > PLACEMENT_MAX)
    throw new T.ValidationError(`Expected a number from 0 to ${PLACEMENT_MAX}`)
})
const axisValidator: T.Validator<AxisSummary> = T.object({ mean: average, spread: average })

export const roundResultValidator: T.Validator<RoundResult> = T.union('kind', {
  placement: T.object({
    kind: T.literal('placement'),
    voters: T.positiveInteger,
    items: T.dict(
      voteItemIdValidator,
      T.object({ count: T.positiveInteger, impact: axisValidator, effort: axisValidator }),
    ).check((items) => {
      if (Object.keys(items).length > MAX_VOTE_ITEMS)
        throw new T.ValidationError(`Expected at most ${MAX_VOTE_ITEMS} items`)
    }),
  }),
  consensus: T.object({
    kind: T.literal('consensus'),
    voters: T.positiveInteger,
    fingers: T.arrayOf(T.positiveInteger).check((counts) => {
      if (counts.length !== FINGERS_MAX + 1)
        throw new T.ValidationError(`Expected ${FINGERS_MAX + 1} counts (0 to ${FINGERS_MAX})`)
    }),
  }),
})

export const roundKey = (roundId: string) => `round/${roundId}`
export const roundResultKey = (roundId: string) => `result/${roundId}`

export type RoundKey = { kind: 'round' | 'result'; roundId: string }

/** What a key of the rounds map names, or null for a key the map does not know. */
export function parseRoundKey(key: string): RoundKey | null {
  const [kind, roundId, ...rest] = key.split('/')
  if (rest.length > 0 || roundId === undefined || !VOTE_ID.test(roundId)) return null
  if (kind === 'round' || kind === 'result') return { kind, roundId }
  return null
}

export class RoundError extends Error {
  override name = 'RoundError'
  readonly reason: RoundRefusal
  constructor(check: RuleRefusal<RoundRefusal>) {
    super(check.message)
    this.reason = check.reason
  }
}

/**
 * How a round may change (`before` null: a new round, which starts open): open → closed,
 * closed → open, open or closed → revealed; revealed is final except for the ranking rule.
 * Kind, issues and start time never change.
 */
export function checkRoundChange(before: Round | null, after: Round): RuleResult<RoundRefusal> {
  try {
    roundValidator.validate(after)
  } catch (error) {
    return refuse('invalid', `round: ${(error as Error).message}`)
  }
  if (!before)
    return after.status === 'open' ? ALLOWED : refuse('badTransition', 'a round starts open')
  if (before.id !== after.id) return refuse('invalid', 'a round keeps its id')
  if (
    before.kind !== after.kind ||
    before.startedAt !== after.startedAt ||
    before.itemIds.join('\n') !== after.itemIds.join('\n')
  )
    return refuse('settingLocked', 'the kind, issues and start of a round are fixed')
  const timesSame = before.closedAt === after.closedAt && before.revealedAt === after.revealedAt
  if (before.status === 'revealed')
    return after.status === 'revealed' && timesSame && before.title === after.title
      ? ALLOWED
      : refuse('badTransition', 'a revealed round is final (only its ranking rule may change)')
  if (before.status === after.status)
    return timesSame
      ? ALLOWED
      : refuse('badTransition', 'the times of a round change with its status')
  if (
    before.status === 'closed' &&
    after.status === 'revealed' &&
    after.closedAt !== before.closedAt
  )
    return refuse('badTransition', 'the closing time is kept')
  return ALLOWED
}

/**
 * Whether one change to the rounds map is allowed (the server's write review): results are the
 * server's; rounds are a facilitator's, by `checkRoundChange`; any other key is refused.
 */
export function checkRoundWrite(write: {
  key: string
  before: unknown
  after: unknown
  actor: { role: string }
}): RuleResult<RoundRefusal> {
  const parsed = parseRoundKey(write.key)
  if (!parsed) return refuse('unknownKey', `unknown round key "${write.key.slice(0, 80)}"`)
  if (parsed.kind === 'result')
    return refuse('keptByServer', 'a round’s result is written by the server at the reveal')
  if (write.actor.role !== 'facilitator')
    return refuse('notFacilitator', 'only a facilitator can start, close or reveal a round')
  if (write.after === undefined) return ALLOWED
  let after: Round
  try {
    after = roundValidator.validate(write.after)
  } catch (error) {
    return refuse('invalid', `round: ${(error as Error).message}`)
  }
  if (after.id !== parsed.roundId) return refuse('invalid', 'a round is stored under its own id')
  let before: Round | null = null
  try {
    before = write.before === undefined ? null : roundValidator.validate(write.before)
  } catch {
    before = null // a broken round may be replaced, as if new
  }
  return checkRoundChange(before, after)
}

export interface RoundState {
  rounds: Map<string, Round>
  results: Map<string, RoundResult>
  problems: { where: string; message: string }[]
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

export function readRoundState(doc: Y.Doc): RoundState {
  const state: RoundState = { rounds: new Map(), results: new Map(), problems: [] }
  doc.getMap<unknown>(ROUNDS).forEach((raw, key) => {
    const parsed = parseRoundKey(key)
    const where = `rounds/${key}`
    if (!parsed) {
      state.problems.push({ where, message: 'unknown round key' })
      return
    }
    try {
      if (parsed.kind === 'round') {
        const round = roundValidator.validate(plain(raw))
        if (round.id !== parsed.roundId) throw new Error('the id does not match its key')
        state.rounds.set(round.id, round)
      } else {
        state.results.set(parsed.roundId, roundResultValidator.validate(plain(raw)))
      }
    } catch (error) {
      state.problems.push({ where, message: (error as Error).message })
    }
  })
  return state
}

/** Rounds oldest first (ties by id). */
export function roundsInOrder(state: RoundState, kind?: RoundKind): Round[] {
  return [...state.rounds.values()]
    .filter((round) => kind === undefined || round.kind === kind)
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
}

/** The round people are looking at: the latest not yet revealed, else the latest revealed. */
export function currentRound(state: RoundState, kind: RoundKind): Round | null {
  const rounds = roundsInOrder(state, kind).reverse()
  return rounds.find((round) => round.status !== 'revealed') ?? rounds[0] ?? null
}

function writeRound(doc: Y.Doc, before: Round | null, after: Round, origin: unknown): Round {
  const check = checkRoundChange(before, after)
  if (!check.ok) throw new RoundError(check)
  doc.transact(() => doc.getMap<unknown>(ROUNDS).set(roundKey(after.id), after), origin)
  return after
}

function readRound(doc: Y.Doc, roundId: string): Round {
  const round = readRoundState(doc).rounds.get(roundId)
  if (!round) throw new RoundError(refuse('unknownRound', `no round "${roundId}"`))
  return round
}

export function startRound(
  doc: Y.Doc,
  input: { id?: string; kind: RoundKind; title: string; itemIds: string[]; now: number },
  origin?: unknown,
): Round {
  return writeRound(
    doc,
    null,
    {
      id: input.id ?? uuidv4(),
      kind: input.kind,
      title: input.title,
      itemIds: [...input.itemIds],
      status: 'open',
      startedAt: input.now,
      closedAt: null,
      revealedAt: null,
      rankingRule: input.kind === 'placement' ? 'impactMinusEffort' : null,
    },
    origin,
  )
}

export function closeRound(doc: Y.Doc, roundId: string, now: number, origin?: unknown): Round {
  const before = readRound(doc, roundId)
  return writeRound(doc, before, { ...before, status: 'closed', closedAt: now }, origin)
}

export function reopenRound(doc: Y.Doc, roundId: string, origin?: unknown): Round {
  const before = readRound(doc, roundId)
  return writeRound(doc, before, { ...before, status: 'open', closedAt: null }, origin)
}

export function revealRound(doc: Y.Doc, roundId: string, now: number, origin?: unknown): Round {
  const before = readRound(doc, roundId)
  const after: Round = {
    ...before,
    status: 'revealed',
    closedAt: before.closedAt ?? now,
    revealedAt: now,
  }
  return writeRound(doc, before, after, origin)
}

export function setRankingRule(
  doc: Y.Doc,
  roundId: string,
  rule: RankingRule,
  origin?: unknown,
): Round {
  const before = readRound(doc, roundId)
  return writeRound(doc, before, { ...before, rankingRule: rule }, origin)
}

/** The server's write of a revealed round's result. */
export function recordRoundResult(
  doc: Y.Doc,
  roundId: string,
  result: RoundResult,
  origin?: unknown,
): void {
  const checked = roundResultValidator.validate(result)
  doc.transact(() => doc.getMap<unknown>(ROUNDS).set(roundResultKey(roundId), checked), origin)
}
