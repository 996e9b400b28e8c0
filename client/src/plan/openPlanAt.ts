/**
 * "Edit in the plan" from an action card: opens the plan panel (if it is not open) and moves the
 * keyboard to that issue's heading, so a screen reader says which issue it is and the person
 * goes on from there with Tab.
 */
import type { BoardView } from '../board/BoardViewContext.tsx'
import { PLAN_PANEL_ID } from './PlanPanel.tsx'

/** The panel renders on the next frame; a second or so is far more than it ever needs. */
const MAX_FRAMES = 60
/** tldraw takes the focus back to its canvas once a double-click's pointer is up. */
const KEEP_FRAMES = 4

export function openPlanAt(view: Pick<BoardView, 'openPanel'>, issue: string) {
  view.openPanel('plan')
  let frames = 0
  let kept = 0
  const step = () => {
    const heading = document.querySelector<HTMLElement>(
      `#${PLAN_PANEL_ID} .cg-action-issue[data-issue="${CSS.escape(issue)}"] h4`,
    )
    if (heading) {
      if (kept === 0) heading.scrollIntoView({ block: 'start' })
      if (document.activeElement !== heading) heading.focus({ preventScroll: true })
      if (++kept >= KEEP_FRAMES) return
    }
    if (++frames < MAX_FRAMES) requestAnimationFrame(step)
  }
  requestAnimationFrame(step)
}
