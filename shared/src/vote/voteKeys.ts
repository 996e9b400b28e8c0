/** The keys of the votes map (see voteDoc.ts for the layout). */
import { PARTICIPANT_ID_PATTERN } from '../board/access.ts'
import { VOTE_ID } from './session.ts'

/** `doc.getMap(VOTES)`: vote sessions and ballots. */
export const VOTES = 'votes'

export const sessionKey = (sessionId: string) => `session/${sessionId}`
/** Where boards from before the ballot box kept ballots; the server moves them out on load. */
export const ballotKey = (sessionId: string, participantId: string) =>
  `ballot/${sessionId}/${participantId}`
/** A revealed vote's outcome, written by the server only (see ballotBox.ts). */
export const outcomeKey = (sessionId: string) => `outcome/${sessionId}`

export type VoteKey =
  | { kind: 'session'; sessionId: string }
  | { kind: 'ballot'; sessionId: string; participantId: string }
  | { kind: 'outcome'; sessionId: string }

/** What a key of the votes map names, or null for a key the map does not know. */
export function parseVoteKey(key: string): VoteKey | null {
  const [kind, sessionId, participantId, ...rest] = key.split('/')
  if (rest.length > 0 || sessionId === undefined || !VOTE_ID.test(sessionId)) return null
  if (kind === 'session' && participantId === undefined) return { kind: 'session', sessionId }
  if (kind === 'outcome' && participantId === undefined) return { kind: 'outcome', sessionId }
  if (
    kind === 'ballot' &&
    participantId !== undefined &&
    PARTICIPANT_ID_PATTERN.test(participantId)
  )
    return { kind: 'ballot', sessionId, participantId }
  return null
}
