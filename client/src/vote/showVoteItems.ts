/**
 * "Show what we are voting on": someone brought to the Rank stage's empty frame, or scrolled
 * elsewhere, sees no note to put a dot on. This moves their view to the vote's notes (or themes):
 * all of them when they fit at a size the dot buttons appear at, else the first, at that size.
 */
import { Box, type Editor, type TLShapeId } from 'tldraw'

/** The smallest width on screen, in pixels, at which a note gets its dot buttons (VoteOverlay). */
export const MIN_CHIP_NOTE_WIDTH = 72

const MOVE = { animation: { duration: 320 } }
const INSET = 32

export function showVoteItems(editor: Editor, itemIds: readonly string[]): void {
  const boxes = itemIds.flatMap((id) => {
    const shape = editor.getShape(id as TLShapeId)
    if (!shape || editor.getAncestorPageId(shape) !== editor.getCurrentPageId()) return []
    const bounds = editor.getShapePageBounds(shape)
    return bounds ? [bounds] : []
  })
  const [first] = boxes
  if (!first) return
  const all = Box.Common(boxes)
  const screen = editor.getViewportScreenBounds()
  const fits = Math.min((screen.w - 2 * INSET) / all.w, (screen.h - 2 * INSET) / all.h)
  // A little above the threshold, so the buttons are there once the move ends.
  const needed = (MIN_CHIP_NOTE_WIDTH * 1.25) / Math.min(...boxes.map((box) => box.w))
  if (fits >= needed) {
    editor.zoomToBounds(all, { ...MOVE, inset: INSET })
    return
  }
  const w = screen.w / needed
  const h = screen.h / needed
  editor.zoomToBounds(new Box(first.midX - w / 2, first.midY - h / 2, w, h), { ...MOVE, inset: 0 })
}
