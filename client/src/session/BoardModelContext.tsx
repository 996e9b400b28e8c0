import type { BoardRole } from '@common-ground/shared/board'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import {
  countedDots,
  type Turnout,
  type VoteSession,
  type VoteState,
} from '@common-ground/shared/vote'
import { useValue } from '@tldraw/state-react'
import { createContext, useContext, useEffect, useState } from 'react'
import type { BoardModel } from './BoardModel.ts'

/** The open board's model, for every component of the board page (see BoardModel.ts). */
export const BoardModelContext = createContext<BoardModel | null>(null)

export function useBoardModel(): BoardModel {
  const model = useContext(BoardModelContext)
  if (!model) throw new Error('useBoardModel must be used inside a board page')
  return model
}

/** What this person may do here, live: their role, and whether they may write or facilitate. */
export interface BoardAccess {
  role: BoardRole
  closed: boolean
  /** Nothing may be changed from here: an observer, or a closed board for non-facilitators. */
  readOnly: boolean
  /** Runs the room (agenda, timer, votes) and may do so now. */
  facilitator: boolean
}

export function useBoardAccess(): BoardAccess {
  const model = useBoardModel()
  const role = useValue('role', () => model.role.get(), [model])
  const closed = useValue('closed', () => model.closed.get(), [model])
  const mayWrite = useValue('may write', () => model.mayWrite.get(), [model])
  const facilitator = useValue('may facilitate', () => model.mayFacilitate.get(), [model])
  return { role, closed, readOnly: !mayWrite, facilitator }
}

/** The board's plan, re-derived (throttled, in `shared`) as the board changes. */
export function usePlan(): PartnershipPlan {
  const { plan } = useBoardModel()
  const [current, setCurrent] = useState(() => plan.get())
  useEffect(() => {
    setCurrent(plan.get())
    return plan.subscribe(setCurrent)
  }, [plan])
  return current
}

/** The votes map, live (sessions and, once revealed, their outcomes; never ballots). */
export function useVotes(): VoteState {
  const model = useBoardModel()
  return useValue('votes', () => model.votes.get(), [model])
}

const NO_DOTS: ReadonlyMap<string, number> = new Map()

/**
 * My dots in a vote, per note (as they count: within the budget and the per-note cap): the
 * server's copy of my ballot, with the dots I just asked for already on it.
 */
export function useMyDots(session: VoteSession | null): ReadonlyMap<string, number> {
  const model = useBoardModel()
  return useValue('my dots', () => {
    const dots = session ? model.myBallots.get().get(session.id) : undefined
    return session && dots ? countedDots(session, { dots }) : NO_DOTS
  }, [model, session])
}

/** What everyone may know of a running vote (from the server), or null before it says. */
export function useTurnout(sessionId: string | undefined): Turnout | null {
  const model = useBoardModel()
  return useValue(
    'turnout',
    () => (sessionId ? (model.turnouts.get().get(sessionId) ?? null) : null),
    [model, sessionId],
  )
}

/** Whether the board is live (a vote needs the server: dots are never queued). */
export function useLive(): boolean {
  const model = useBoardModel()
  return useValue('live', () => model.connection.status.get() === 'live', [model])
}
