/**
 * The notices row of the board's bar (under its buttons, above the canvas): the running vote,
 * the private brainstorm, a refused change. Parts of the page drawn inside the canvas (the vote
 * overlay) put theirs there too, through a portal, so no notice ever floats over the board or
 * over another control.
 */
import { createContext, type ReactNode, useContext } from 'react'
import { createPortal } from 'react-dom'

export const AppBarNoticesContext = createContext<HTMLElement | null>(null)

/** Draws its children in the bar's notices row (nothing until the row is on the page). */
export function InAppBarNotices(props: { children: ReactNode }) {
  const host = useContext(AppBarNoticesContext)
  return host ? createPortal(props.children, host) : null
}
