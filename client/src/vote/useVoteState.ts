import { readVoteState, VOTES, type VoteSession, type VoteState } from '@common-ground/shared'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** The votes map of a doc, re-read whenever it changes (it is small: one entry per ballot). */
export function useVoteState(doc: Y.Doc): VoteState {
  const [state, setState] = useState(() => readVoteState(doc))
  useEffect(() => {
    const votes = doc.getMap(VOTES)
    const update = () => setState(readVoteState(doc))
    update()
    votes.observe(update)
    return () => votes.unobserve(update)
  }, [doc])
  return state
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
