import type { BoardRole } from '@common-ground/shared/board'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import type { VoteState } from '@common-ground/shared/vote'
import { createContext, useContext, useEffect, useState } from 'react'
import { useValue } from 'tldraw'
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

/** The votes map, live (sessions and ballots). */
export function useVotes(): VoteState {
  const model = useBoardModel()
  return useValue('votes', () => model.votes.get(), [model])
}
