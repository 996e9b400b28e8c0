/**
 * Linking an organization card to an intersection card without drawing: the same bound arrow a
 * person would draw, so the canvas, the plan and everyone else see one thing. Used by the plan
 * panel's matrix, which makes the intersection map usable by keyboard and screen reader.
 */
import { createShapeId, type Editor, type TLShapeId } from 'tldraw'

const endProps = (terminal: 'start' | 'end') => ({
  terminal,
  normalizedAnchor: { x: 0.5, y: 0.5 },
  isPrecise: false,
  isExact: false,
  snap: 'none' as const,
})

/** Arrows whose two ends are bound to these two cards (either way round). */
export function arrowsBetween(editor: Editor, a: TLShapeId, b: TLShapeId): TLShapeId[] {
  const arrows = new Set<TLShapeId>()
  for (const binding of editor.getBindingsToShape(a, 'arrow')) {
    const ends = editor.getBindingsFromShape(binding.fromId, 'arrow')
    if (ends.some((end) => end.toId === b)) arrows.add(binding.fromId)
  }
  return [...arrows]
}

export function linkCards(editor: Editor, organization: TLShapeId, intersection: TLShapeId): void {
  const from = editor.getShapePageBounds(organization)?.center
  const to = editor.getShapePageBounds(intersection)?.center
  if (!from || !to || arrowsBetween(editor, organization, intersection).length > 0) return
  const arrow = createShapeId()
  editor.markHistoryStoppingPoint('link cards')
  editor.run(() => {
    editor.createShape({
      id: arrow,
      type: 'arrow',
      x: from.x,
      y: from.y,
      props: { start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y } },
    })
    editor.createBindings([
      { type: 'arrow', fromId: arrow, toId: organization, props: endProps('start') },
      { type: 'arrow', fromId: arrow, toId: intersection, props: endProps('end') },
    ])
  })
}

export function unlinkCards(
  editor: Editor,
  organization: TLShapeId,
  intersection: TLShapeId,
): void {
  const arrows = arrowsBetween(editor, organization, intersection)
  if (arrows.length === 0) return
  editor.markHistoryStoppingPoint('unlink cards')
  editor.deleteShapes(arrows)
}
