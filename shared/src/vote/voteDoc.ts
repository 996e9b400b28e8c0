/**
 * Where votes live in a board's doc: one top-level map, `doc.getMap(VOTES)`, plain JSON values.
 *
 * | key                               | value                                   |
 * |-----------------------------------|-----------------------------------------|
 * | `session/<sessionId>`             | `VoteSession` (written by a facilitator) |
 * | `outcome/<sessionId>`             | `VoteOutcome` (written by the server at the reveal) |
 *
 * Ballots are not here: the server keeps them (ballotBox.ts), since everything in the document
 * reaches every browser. Boards from before keep `ballot/<sessionId>/<participantId>` keys until
 * the server moves them out when the board loads; `readVoteState` still reads them for that.
 *
 * Each write below is one small Yjs transaction and is checked first with the same rules the
 * server applies (`checkVoteWrite`), so a person learns at once why something was refused.
 */
import { uuidv4 } from 'lib0/random'
import * as Y from 'yjs'
import { type RuleRefusal, refuse } from '../board/rules.ts'
import { type Ballot, dotsPlaced, type VoteRefusal } from './ballot.ts'
import { type VoteOutcome, voteOutcomeValidator } from './ballotBox.ts'
import {
  type VoteSession,
  type VoteSettings,
  voteSessionValidator,
  voteSettings,
} from './session.ts'
import { ballotKey, outcomeKey, parseVoteKey, sessionKey, VOTES } from './voteKeys.ts'
import { checkSessionChange } from './voteRules.ts'

export class VoteError extends Error {
  override name = 'VoteError'
  readonly reason: VoteRefusal
  constructor(check: RuleRefusal<VoteRefusal>) {
    super(check.message)
    this.reason = check.reason
  }
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

/** Everything in the votes map, as read by one pass: valid sessions, raw ballots per session. */
export interface VoteState {
  sessions: Map<string, VoteSession>
  /** Revealed votes' outcomes, by session id (the server writes them at the reveal). */
  outcomes: Map<string, VoteOutcome>
  /** Ballots of a board from before the ballot box, until the server moves them out. */
  ballots: Map<string, Map<string, unknown>>
  /** Keys whose value is unknown or invalid, with why (left out of everything else). */
  problems: { where: string; message: string }[]
}

/**
 * The vote people are looking at: the latest one still taking dots or waiting to be revealed,
 * else the latest revealed one (to show its results).
 */
export function currentVote(state: VoteState): VoteSession | null {
  const sessions = [...state.sessions.values()].sort(
    (a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : 1),
  )
  return sessions.find((session) => session.status !== 'revealed') ?? sessions[0] ?? null
}

export function readVoteState(doc: Y.Doc): VoteState {
  const state: VoteState = {
    sessions: new Map(),
    outcomes: new Map(),
    ballots: new Map(),
    problems: [],
  }
  doc.getMap<unknown>(VOTES).forEach((raw, key) => {
    const parsed = parseVoteKey(key)
    if (!parsed) {
      state.problems.push({ where: `votes/${key}`, message: 'unknown vote key' })
      return
    }
    const value = plain(raw)
    if (parsed.kind === 'session') {
      try {
        const session = voteSessionValidator.validate(value)
        if (session.id !== parsed.sessionId) throw new Error('the id does not match its key')
        state.sessions.set(session.id, session)
      } catch (error) {
        state.problems.push({ where: `votes/${key}`, message: (error as Error).message })
      }
      return
    }
    if (parsed.kind === 'outcome') {
      try {
        state.outcomes.set(parsed.sessionId, voteOutcomeValidator.validate(value))
      } catch (error) {
        state.problems.push({ where: `votes/${key}`, message: (error as Error).message })
      }
      return
    }
    let ballots = state.ballots.get(parsed.sessionId)
    if (!ballots) {
      ballots = new Map()
      state.ballots.set(parsed.sessionId, ballots)
    }
    ballots.set(parsed.participantId, value)
  })
  return state
}

/**
 * The sessions as they were before an update, for `checkVoteWrite` on the server: the doc holds
 * the state after the update, so every session key the update wrote is taken from its `before`
 * (a session the update created is absent, one it deleted is back). Writes of other top-level
 * types are skipped.
 */
export function voteSessionsBefore(
  doc: Y.Doc,
  writes: Iterable<{ root: string; key: string; before: unknown }>,
): Map<string, VoteSession> {
  const sessions = readVoteState(doc).sessions
  for (const write of writes) {
    if (write.root !== VOTES) continue
    const parsed = parseVoteKey(write.key)
    if (parsed?.kind !== 'session') continue
    sessions.delete(parsed.sessionId)
    if (write.before === undefined) continue
    try {
      const before = voteSessionValidator.validate(write.before)
      if (before.id === parsed.sessionId) sessions.set(before.id, before)
    } catch {
      // A session that was invalid before counts as absent, as readVoteState would have it.
    }
  }
  return sessions
}

export function readVoteSession(doc: Y.Doc, sessionId: string): VoteSession | null {
  try {
    const session = voteSessionValidator.validate(
      plain(doc.getMap<unknown>(VOTES).get(sessionKey(sessionId))),
    )
    return session.id === sessionId ? session : null
  } catch {
    return null
  }
}

/** A participant's ballot as stored, or an empty one (also when what is stored is not a ballot). */
export function readBallot(doc: Y.Doc, sessionId: string, participantId: string): Ballot {
  const raw = plain(doc.getMap<unknown>(VOTES).get(ballotKey(sessionId, participantId)))
  if (typeof raw !== 'object' || raw === null) return { dots: {} }
  const { dots, name } = raw as { dots?: unknown; name?: unknown }
  const clean: Ballot = { dots: {} }
  if (typeof dots === 'object' && dots !== null && !Array.isArray(dots)) {
    for (const [itemId, count] of Object.entries(dots)) {
      if (typeof count === 'number' && Number.isInteger(count) && count > 0)
        clean.dots[itemId] = count
    }
  }
  if (typeof name === 'string') clean.name = name
  return clean
}

export interface StartVoteInput extends Partial<VoteSettings> {
  /** A new id is made when none is given. */
  id?: string
  title: string
  itemIds: string[]
  /** The time of starting (server clock when there is one). */
  now: number
  runoffOf?: string | null
}

function writeSession(doc: Y.Doc, before: VoteSession | null, after: VoteSession, origin: unknown) {
  const check = checkSessionChange(before, after)
  if (!check.ok) throw new VoteError(check)
  doc.transact(() => doc.getMap<unknown>(VOTES).set(sessionKey(after.id), after), origin)
}

/** Starts a session (status open); throws `VoteError` for settings out of range. */
export function startVote(doc: Y.Doc, input: StartVoteInput, origin?: unknown): VoteSession {
  const session: VoteSession = {
    id: input.id ?? uuidv4(),
    title: input.title,
    itemIds: [...input.itemIds],
    ...voteSettings(input),
    status: 'open',
    startedAt: input.now,
    closedAt: null,
    revealedAt: null,
    runoffOf: input.runoffOf ?? null,
  }
  writeSession(doc, null, session, origin)
  return session
}

function current(doc: Y.Doc, sessionId: string): VoteSession {
  const session = readVoteSession(doc, sessionId)
  if (!session) throw new VoteError(refuse('unknownVote', `no vote "${sessionId}"`))
  return session
}

/**
 * Changes session `sessionId` by the fields `change` gives for it as it stands, if the rules
 * allow that change, and returns the session as written.
 */
function updateSession(
  doc: Y.Doc,
  sessionId: string,
  origin: unknown,
  change: (before: VoteSession) => Partial<VoteSession>,
): VoteSession {
  const before = current(doc, sessionId)
  const after: VoteSession = { ...before, ...change(before) }
  writeSession(doc, before, after, origin)
  return after
}

/**
 * Changes settings of an open session. The budget and the per-item cap may be raised, never
 * lowered (a lowered budget would take away dots people already placed); title and countdown
 * may change; which items and anonymity are fixed once the vote starts.
 */
export function changeVote(
  doc: Y.Doc,
  sessionId: string,
  change: Partial<
    Pick<
      VoteSession,
      'title' | 'dotsPerParticipant' | 'maxDotsPerItem' | 'endsAt' | 'hiddenUntilReveal'
    >
  >,
  origin?: unknown,
): VoteSession {
  return updateSession(doc, sessionId, origin, () => change)
}

export function closeVote(
  doc: Y.Doc,
  sessionId: string,
  now: number,
  origin?: unknown,
): VoteSession {
  return updateSession(doc, sessionId, origin, () => ({ status: 'closed', closedAt: now }))
}

/** Opens a closed (not yet revealed) session again, e.g. when it was closed too early. */
export function reopenVote(doc: Y.Doc, sessionId: string, origin?: unknown): VoteSession {
  return updateSession(doc, sessionId, origin, () => ({ status: 'open', closedAt: null }))
}

/** Reveals the results (closing the session first if it was still open). */
export function revealVote(
  doc: Y.Doc,
  sessionId: string,
  now: number,
  origin?: unknown,
): VoteSession {
  return updateSession(doc, sessionId, origin, (before) => ({
    status: 'revealed',
    closedAt: before.closedAt ?? now,
    revealedAt: now,
  }))
}

/**
 * Writes a revealed vote's outcome (the server, from the ballots it kept), in one transaction
 * with the removal of any ballots a board from before still holds for it.
 */
export function recordOutcome(
  doc: Y.Doc,
  sessionId: string,
  outcome: VoteOutcome,
  origin?: unknown,
): void {
  const checked = voteOutcomeValidator.validate(outcome)
  const votes = doc.getMap<unknown>(VOTES)
  doc.transact(() => {
    votes.set(outcomeKey(sessionId), checked)
    for (const key of [...votes.keys()]) {
      const parsed = parseVoteKey(key)
      if (parsed?.kind === 'ballot' && parsed.sessionId === sessionId) votes.delete(key)
    }
  }, origin)
}

/** Dots a participant may still place in a session. */
export function dotsLeft(session: VoteSession, ballot: Ballot): number {
  return Math.max(0, session.dotsPerParticipant - dotsPlaced(ballot))
}
