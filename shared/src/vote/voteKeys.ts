/** The keys of the votes map (see voteDoc.ts for the layout). */
import { PARTICIPANT_ID_PATTERN } from '../board/access.ts'
import { VOTE_ID } from './session.ts'

/** `doc.getMap(VOTES)`: vote sessions and ballots. */
export const VOTES = 'votes'

export const sessionKey = (sessionId: string) => `session/${sessionId}`
export const ballotKey = (sessionId: string, participantId: string) =>
  `ballot/${sessionId}/${participantId}`

export type VoteKey =
  | { kind: 'session'; sessionId: string }
  | { kind: 'ballot'; sessionId: string; participantId: string }

/** What a key of the votes map names, or null for a key the map does not know. */
export function parseVoteKey(key: string): VoteKey | null {
  const [kind, sessionId, participantId, ...rest] = key.split('/')
  if (rest.length > 0 || sessionId === undefined || !VOTE_ID.test(sessionId)) return null
  if (kind === 'session' && participantId === undefined) return { kind: 'session', sessionId }
  if (
    kind === 'ballot' &&
    participantId !== undefined &&
    PARTICIPANT_ID_PATTERN.test(participantId)
  )
    return { kind: 'ballot', sessionId, participantId }
  return null
}
