/**
 * The current stage, marked on the canvas: a soft band around its frame, drawn in page space
 * (tldraw's OnTheCanvas layer moves with the camera) and kept the same width on screen at any
 * zoom. It is decoration; the agenda says the same in words.
 */
import { stageFrameId } from '@common-ground/shared/plan'
import { type TLShapeId, useEditor, useValue } from 'tldraw'
import { useBoardModel } from '../session/BoardModelContext.tsx'

/** On-screen width of the band, in pixels. */
const BAND_PX = 8

export function StageHighlight() {
  const editor = useEditor()
  const board = useBoardModel()
  const stage = useValue('current stage', () => board.facilitation.currentStage.get(), [board])
  const box = useValue('current stage bounds', () => {
    if (!stage) return null
    const id = stageFrameId(stage) as TLShapeId
    const frame = editor.getShape(id)
    if (!frame || editor.getAncestorPageId(frame) !== editor.getCurrentPageId()) return null
    const bounds = editor.getShapePageBounds(id)
    if (!bounds) return null
    const band = BAND_PX / editor.getZoomLevel()
    return {
      x: bounds.x - band,
      y: bounds.y - band,
      w: bounds.w + 2 * band,
      h: bounds.h + 2 * band,
      band,
    }
  }, [editor, stage])
  if (!box) return null
  return (
    <div
      className="cg-stage-highlight"
      data-testid="stage-highlight"
      data-stage={stage}
      aria-hidden="true"
      style={{
        transform: `translate(${box.x}px, ${box.y}px)`,
        width: box.w,
        height: box.h,
        borderWidth: box.band,
        borderRadius: box.band,
      }}
    />
  )
}
