import { useEffect, useRef } from 'react'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { type ActionCardFollower, followActionPlan } from './actionCards.ts'

/**
 * The action plan's cards on the canvas follow the plan (see actionCards.ts). Renders nothing;
 * mounted once per board page, whether or not the plan panel is open.
 */
export function ActionCards() {
  const board = useBoardModel()
  const { editor } = useBoardView()
  const { readOnly } = useBoardAccess()
  const mayWrite = useRef(!readOnly)
  mayWrite.current = !readOnly
  const follower = useRef<ActionCardFollower | null>(null)

  useEffect(() => {
    if (!editor) return
    const following = followActionPlan(editor, board, () => mayWrite.current)
    follower.current = following
    return () => {
      following.stop()
      follower.current = null
    }
  }, [editor, board])

  // A browser that may edit again (the board reopened) catches up at once.
  useEffect(() => {
    if (!readOnly) follower.current?.refresh()
  }, [readOnly])

  return null
}
