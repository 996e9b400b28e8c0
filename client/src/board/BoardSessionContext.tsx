import type { BoardRole } from '@common-ground/shared'
import { createContext, useContext } from 'react'
import type { Editor } from 'tldraw'
import type { Identity } from '../identity/identity.ts'
import type { BoardConnection } from '../sync/BoardConnection.ts'

/** What tldraw-slot components (rendered inside <Tldraw>) need from the board page. */
export interface BoardSession {
  boardId: string
  title: string
  connection: BoardConnection
  identity: Identity
  /** The key this board was opened with (null: an open board); HTTP reads present it. */
  token: string | null
  /** What the server lets this browser do here. */
  role: BoardRole
  /** Whom ballots are written for: derived from this browser's secret (see shared access.ts). */
  participantId: string
  /** A facilitator closed the board to edits after the retreat. */
  closed: boolean
  /** Nothing may be changed from here: an observer, or a closed board for non-facilitators. */
  readOnly: boolean
  requestRename(): void
  /** Whether the plan panel is showing beside the canvas. */
  planOpen: boolean
  togglePlan(): void
  /** Whether the vote panel is showing beside the canvas (one panel at a time). */
  voteOpen: boolean
  toggleVote(): void
  /** Whether the people panel is showing (who is here, I'm done, brainstorm, locks). */
  peopleOpen: boolean
  togglePeople(): void
  /** The canvas editor once mounted (panels outside the canvas act on it). */
  editor: Editor | null
}

export const BoardSessionContext = createContext<BoardSession | null>(null)

export function useBoardSession(): BoardSession {
  const session = useContext(BoardSessionContext)
  if (!session) throw new Error('useBoardSession must be used inside a board page')
  return session
}
