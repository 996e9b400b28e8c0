import type { ReactNode } from 'react'
import { type SidePanel, useBoardView } from './BoardViewContext.tsx'

/**
 * A bar button that opens one side panel, or closes it when it is open: aria-expanded says which,
 * and aria-controls names the panel (SidePanelFrame gives the keyboard back to this button).
 */
export function PanelToggle(props: {
  panel: SidePanel
  /** The id of the panel's element. */
  controls: string
  className?: string
  testId?: string
  children: ReactNode
}) {
  const view = useBoardView()
  return (
    <button
      type="button"
      className={props.className ?? 'cg-button'}
      aria-expanded={view.panel === props.panel}
      aria-controls={props.controls}
      onClick={() => view.togglePanel(props.panel)}
      data-testid={props.testId}
    >
      {props.children}
    </button>
  )
}
