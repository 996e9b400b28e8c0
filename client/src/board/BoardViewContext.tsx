import { createContext, useContext } from 'react'
import type { Editor } from 'tldraw'

/** The side panels beside the canvas; one shows at a time. */
export type SidePanel = 'plan' | 'vote' | 'people' | 'sort'

/**
 * What the board page's own layout holds, as opposed to the board (BoardModel): which side panel
 * is open, the canvas editor once mounted, and asking for this person's name again.
 */
export interface BoardView {
  editor: Editor | null
  panel: SidePanel | null
  /** Opens a panel (closing any other), or closes it when it is the one open. */
  togglePanel(panel: SidePanel): void
  openPanel(panel: SidePanel): void
  requestRename(): void
}

export const BoardViewContext = createContext<BoardView | null>(null)

export function useBoardView(): BoardView {
  const view = useContext(BoardViewContext)
  if (!view) throw new Error('useBoardView must be used inside a board page')
  return view
}
