/**
 * What a board's votes came to: each session's results (once they may be seen), the ranking with
 * runoffs applied, and starting a runoff among tied items.
 */
import { T } from '@tldraw/validate'
import type * as Y from 'yjs'
import { refuse } from '../board/rules.ts'
import {
  resultsVisible,
  VOTE_STATUSES,
  type VoteSession,
  type VoteSettings,
  type VoteStatus,
} from './session.ts'
import { applyRunoff, type RankedItem, rank, runoffItems, type Tally, tally } from './tally.ts'
import { readVoteState, startVote, VoteError, type VoteState } from './voteDoc.ts'

export interface VoteResult {
  itemId: string
  /** The note's text when the plan was derived ('' for a note since deleted). */
  text: string
  dots: number
  rank: number
}

/** One past or running vote, as the plan keeps it. */
export interface VoteRecord {
  id: string
  title: string
  status: VoteStatus
  startedAt: number
  closedAt: number | null
  revealedAt: number | null
  runoffOf: string | null
  settings: VoteSettings
  itemIds: string[]
  /** How many took part (at least one counted dot); known to all while the vote runs. */
  voters: number
  /** Ranked results; `null` while they are hidden (never in an export before the reveal). */
  results: VoteResult[] | null
}

/** An issue's place in the board's ranking (the latest revealed vote, its runoffs applied). */
export interface RankedIssue {
  id: string
  text: string
  rank: number
  dots: number
  sessionId: string
}

const voteResultValidator: T.Validator<VoteResult> = T.object({
  itemId: T.string,
  text: T.string,
  dots: T.integer,
  rank: T.positiveInteger,
})

export const voteRecordValidator: T.Validator<VoteRecord> = T.object({
  id: T.string,
  title: T.string,
  status: T.literalEnum(...VOTE_STATUSES),
  startedAt: T.number,
  closedAt: T.nullable(T.number),
  revealedAt: T.nullable(T.number),
  runoffOf: T.nullable(T.string),
  settings: T.object({
    dotsPerParticipant: T.positiveInteger,
    maxDotsPerItem: T.positiveInteger,
    anonymous: T.boolean,
    hiddenUntilReveal: T.boolean,
    endsAt: T.nullable(T.number),
  }),
  itemIds: T.arrayOf(T.string),
  voters: T.integer,
  results: T.nullable(T.arrayOf(voteResultValidator)),
})

export const rankedIssueValidator: T.Validator<RankedIssue> = T.object({
  id: T.string,
  text: T.string,
  rank: T.positiveInteger,
  dots: T.integer,
  sessionId: T.string,
})

/**
 * A session's count: its outcome once the server wrote one at the reveal; before that, the
 * ballots a board from before the ballot box still holds (none on a current board).
 */
export function sessionTally(state: VoteState, session: VoteSession): Tally {
  const outcome = state.outcomes.get(session.id)
  if (!outcome) return tally(session, state.ballots.get(session.id)?.values() ?? [])
  const items = session.itemIds.map((itemId) => ({
    itemId,
    dots: outcome.dots[itemId] ?? 0,
    voters: outcome.names?.[itemId]?.length ?? 0,
  }))
  return {
    sessionId: session.id,
    items,
    voters: outcome.voters,
    dots: items.reduce((sum, item) => sum + item.dots, 0),
  }
}

/** The ranking of one session (whether it may be shown is the caller's call). */
export function sessionRanking(state: VoteState, session: VoteSession): RankedItem[] {
  return rank(sessionTally(state, session))
}

/**
 * A session's ranking with the results of its revealed runoffs applied (runoffs of runoffs
 * too), in the order they were started.
 */
export function resolvedRanking(state: VoteState, session: VoteSession, depth = 0): RankedItem[] {
  let ranking = sessionRanking(state, session)
  if (depth > 16) return ranking
  const runoffs = [...state.sessions.values()]
    .filter((other) => other.runoffOf === session.id && other.status === 'revealed')
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
  for (const runoff of runoffs) {
    ranking = applyRunoff(ranking, resolvedRanking(state, runoff, depth + 1))
  }
  return ranking
}

/** Every session, oldest first, with results where they may be seen. */
export function voteHistory(state: VoteState, textOf: (itemId: string) => string): VoteRecord[] {
  return [...state.sessions.values()]
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
    .map((session) => {
      const counted = sessionTally(state, session)
      return {
        id: session.id,
        title: session.title,
        status: session.status,
        startedAt: session.startedAt,
        closedAt: session.closedAt,
        revealedAt: session.revealedAt,
        runoffOf: session.runoffOf,
        settings: {
          dotsPerParticipant: session.dotsPerParticipant,
          maxDotsPerItem: session.maxDotsPerItem,
          anonymous: session.anonymous,
          hiddenUntilReveal: session.hiddenUntilReveal,
          endsAt: session.endsAt,
        },
        itemIds: [...session.itemIds],
        voters: counted.voters,
        // The document knows a vote's count only once its outcome is written (the server keeps
        // the ballots): a visible vote still running has no results in an export either.
        results:
          resultsVisible(session) &&
          (state.outcomes.has(session.id) || state.ballots.has(session.id))
            ? rank(counted).map((item) => ({ ...item, text: textOf(item.itemId) }))
            : null,
      }
    })
}

/**
 * The board's ranking of issues: the most recently revealed first-round vote, with its revealed
 * runoffs applied. Empty until a vote has been revealed.
 */
export function issueRanking(state: VoteState, textOf: (itemId: string) => string): RankedIssue[] {
  const latest = [...state.sessions.values()]
    .filter((session) => session.runoffOf === null && session.status === 'revealed')
    .sort((a, b) => (b.revealedAt ?? 0) - (a.revealedAt ?? 0) || (a.id < b.id ? -1 : 1))[0]
  if (!latest) return []
  return resolvedRanking(state, latest).map((item) => ({
    id: item.itemId,
    text: textOf(item.itemId),
    rank: item.rank,
    dots: item.dots,
    sessionId: latest.id,
  }))
}

export interface StartRunoffInput {
  now: number
  title: string
  /** The shared rank to decide; by default the best rank two or more items with dots share. */
  atRank?: number
  id?: string
  /** Settings of the runoff; by default one dot each, one per item, hidden until revealed. */
  settings?: Partial<VoteSettings>
}

/**
 * Starts a runoff among the tied items of a revealed session (with earlier runoffs applied).
 * Throws `VoteError` when there is no tie to decide.
 */
export function startRunoff(
  doc: Y.Doc,
  parentId: string,
  input: StartRunoffInput,
  origin?: unknown,
): VoteSession {
  const state = readVoteState(doc)
  const parent = state.sessions.get(parentId)
  if (!parent) throw new VoteError(refuse('unknownVote', `no vote "${parentId}"`))
  if (parent.status !== 'revealed')
    throw new VoteError(refuse('badTransition', 'a runoff follows a revealed vote'))
  const itemIds = runoffItems(resolvedRanking(state, parent), input.atRank)
  if (itemIds.length < 2) throw new VoteError(refuse('notInVote', 'there is no tie to decide'))
  return startVote(
    doc,
    {
      id: input.id,
      title: input.title,
      itemIds,
      dotsPerParticipant: 1,
      maxDotsPerItem: 1,
      anonymous: parent.anonymous,
      ...input.settings,
      now: input.now,
      runoffOf: parent.id,
    },
    origin,
  )
}
