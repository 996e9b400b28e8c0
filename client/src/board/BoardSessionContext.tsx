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
  requestRename(): void
  /** Whether the plan panel is showing beside the canvas. */
  planOpen: boolean
  togglePlan(): void
  /** Whether the vote panel is showing beside the canvas (one panel at a time). */
  voteOpen: boolean
  toggleVote(): void
  /** The canvas editor once mounted (panels outside the canvas act on it). */
  editor: Editor | null
}

export const BoardSessionContext = createContext<BoardSession | null>(null)

export function useBoardSession(): BoardSession {
  const session = useContext(BoardSessionContext)
  if (!session) throw new Error('useBoardSession must be used inside a board page')
  return session
}
