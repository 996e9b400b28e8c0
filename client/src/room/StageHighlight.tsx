/**
 * The current stage, marked on the canvas: a soft band around its frame, drawn in page space
 * (tldraw's OnTheCanvas layer moves with the camera) and kept the same width on screen at any
 * zoom. It is decoration; the agenda says the same in words.
 */
import { readStage, STAGE, stageFrameId } from '@common-ground/shared'
import { type TLShapeId, useEditor, useValue } from 'tldraw'
import { useBoardSession } from '../board/BoardSessionContext.tsx'
import { useFacilitationValue } from './useFacilitation.ts'

/** On-screen width of the band, in pixels. */
const BAND_PX = 8

export function StageHighlight() {
  const editor = useEditor()
  const { connection } = useBoardSession()
  const stage = useFacilitationValue(connection.doc, STAGE, readStage)
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
