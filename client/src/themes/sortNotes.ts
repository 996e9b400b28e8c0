/**
 * Sorting the brainstorm on the canvas: group notes into a theme and ungroup it, merge duplicates,
 * send notes to the parking lot and bring them back. Each is one `editor.run` after a history
 * stopping point, so it is one undo step and one change to the board, which is what the server's
 * review of a merge expects (the kept note changes and the others go in the same update). The rules are shared's
 * (`@common-ground/shared/themes`); this only moves shapes.
 */
import { MAX_LINE_LENGTH } from '@common-ground/shared/board'
import { STAGE_META_KEY, stageFrameId } from '@common-ground/shared/plan'
import {
  MERGED_META_KEY,
  mergeNotes,
  PARKED_FROM_META_KEY,
  PARKING_LOT,
  PARKING_LOT_FRAME_ID,
  parkedFromOf,
  THEME_META_KEY,
  themeBoxAround,
} from '@common-ground/shared/themes'
import {
  createShapeId,
  type Editor,
  isShapeId,
  type TLFrameShape,
  type TLNoteShape,
  type TLParentId,
  type TLShape,
  type TLShapeId,
} from 'tldraw'

/** Notes of the selection, in the order they were selected. */
export function selectedNotes(editor: Editor): TLNoteShape[] {
  return editor
    .getSelectedShapeIds()
    .map((id) => editor.getShape(id))
    .filter((shape): shape is TLNoteShape => shape?.type === 'note')
}

export function isThemeShape(shape: TLShape | undefined): shape is TLFrameShape {
  return shape?.type === 'frame' && shape.meta[THEME_META_KEY] === true
}

/** Themes on the current page, top to bottom then left to right. */
export function themesOnPage(editor: Editor): TLFrameShape[] {
  return editor
    .getCurrentPageShapesSorted()
    .filter(isThemeShape)
    .sort((a, b) => {
      const pa = editor.getShapePageBounds(a)
      const pb = editor.getShapePageBounds(b)
      return (pa?.y ?? 0) - (pb?.y ?? 0) || (pa?.x ?? 0) - (pb?.x ?? 0)
    })
}

/** The notes directly in a theme. */
export function notesOfTheme(editor: Editor, themeId: TLShapeId): TLNoteShape[] {
  return editor
    .getSortedChildIdsForParent(themeId)
    .map((id) => editor.getShape(id))
    .filter((shape): shape is TLNoteShape => shape?.type === 'note')
}

/**
 * A new theme titled `title` around `notes`, in the parent of the first note (a theme inside a
 * theme would be hard to read, so a theme's own parent then). Returns its id.
 */
export function groupIntoTheme(editor: Editor, notes: TLNoteShape[], title: string): TLShapeId {
  const first = notes[0]
  if (!first) throw new Error('a theme needs at least one note')
  let parentId: TLParentId = first.parentId
  const parent = editor.getShape(parentId as TLShapeId)
  if (isThemeShape(parent)) parentId = parent.parentId
  const boxes = notes.flatMap((note) => {
    const bounds = editor.getShapePageBounds(note)
    if (!bounds) return []
    // In the space of the shape the theme goes into (a stage frame), not of that shape's parent.
    const topLeft = isShapeId(parentId)
      ? editor.getPointInShapeSpace(parentId, bounds.point)
      : bounds.point
    return [{ x: topLeft.x, y: topLeft.y, w: bounds.w, h: bounds.h }]
  })
  const box = themeBoxAround(boxes)
  const id = createShapeId()
  editor.markHistoryStoppingPoint('group into theme')
  editor.run(() => {
    editor.createShape<TLFrameShape>({
      id,
      type: 'frame',
      parentId,
      x: box.x,
      y: box.y,
      meta: { [THEME_META_KEY]: true },
      props: { w: box.w, h: box.h, name: title },
    })
    editor.reparentShapes(
      notes.map((note) => note.id),
      id,
    )
    editor.select(id)
  })
  return id
}

/** Its notes go back to where the theme was (they keep their place); the theme goes. */
export function ungroupTheme(editor: Editor, themeId: TLShapeId): void {
  const theme = editor.getShape(themeId)
  if (!isThemeShape(theme)) return
  const children = editor.getSortedChildIdsForParent(themeId)
  editor.markHistoryStoppingPoint('ungroup theme')
  editor.run(() => {
    if (children.length > 0) editor.reparentShapes(children, theme.parentId)
    editor.deleteShapes([themeId])
    editor.select(...children)
  })
}

/**
 * The first note keeps the text and authors of all (shared `mergeNotes`); the others go, in the
 * same change. Throws shared's `MergeError` when the result could not be kept whole.
 */
export function mergeSelected(editor: Editor, notes: TLNoteShape[]): TLShapeId {
  const [target, ...sources] = notes
  if (!target || sources.length === 0) throw new Error('merging needs two notes')
  const { richText, parts } = mergeNotes(target, sources)
  editor.markHistoryStoppingPoint('merge notes')
  editor.run(() => {
    editor.updateShape<TLNoteShape>({
      id: target.id,
      type: 'note',
      props: { richText },
      meta: { [MERGED_META_KEY]: parts as never },
    })
    editor.deleteShapes(sources.map((note) => note.id))
    editor.select(target.id)
  })
  return target.id
}

/** Notes already in the parking lot (anywhere inside its frame). */
export function parkedNotes(editor: Editor): TLNoteShape[] {
  if (!editor.getShape(PARKING_LOT_FRAME_ID as TLShapeId)) return []
  return [...editor.getShapeAndDescendantIds([PARKING_LOT_FRAME_ID as TLShapeId])]
    .map((id) => editor.getShape(id))
    .filter((shape): shape is TLNoteShape => shape?.type === 'note')
}

const PARKING_CELL = 220
const PARKING_TOP = 120

/**
 * The parking lot's frame: the template's, or (on a board from before it) a new one to the right
 * of every stage, as tall as they are, under the same fixed id, so two people parking at once
 * make one frame.
 */
function parkingLotFrame(editor: Editor, title: string): TLFrameShape {
  const existing = editor.getShape(PARKING_LOT_FRAME_ID as TLShapeId)
  if (existing?.type === 'frame') return existing as TLFrameShape
  const stages = editor
    .getCurrentPageShapes()
    .filter((shape) => shape.type === 'frame' && typeof shape.meta[STAGE_META_KEY] === 'string')
    .flatMap((shape) => editor.getShapePageBounds(shape) ?? [])
  const top = stages.length > 0 ? Math.min(...stages.map((b) => b.y)) : 0
  const right = stages.length > 0 ? Math.max(...stages.map((b) => b.maxX)) : 0
  const bottom = stages.length > 0 ? Math.max(...stages.map((b) => b.maxY)) : 1600
  editor.createShape<TLFrameShape>({
    id: PARKING_LOT_FRAME_ID as TLShapeId,
    type: 'frame',
    parentId: editor.getCurrentPageId(),
    x: right + 200,
    y: top,
    meta: { [STAGE_META_KEY]: PARKING_LOT },
    props: { w: 1200, h: Math.max(1600, bottom - top), name: title },
  })
  return editor.getShape(PARKING_LOT_FRAME_ID as TLShapeId) as TLFrameShape
}

/** Each note goes to the next free cell of the parking lot, remembering where it was. */
export function parkNotes(editor: Editor, notes: TLNoteShape[], frameTitle: string): void {
  if (notes.length === 0) return
  editor.markHistoryStoppingPoint('park notes')
  editor.run(() => {
    const frame = parkingLotFrame(editor, frameTitle)
    const columns = Math.max(1, Math.floor((frame.props.w - 80) / PARKING_CELL))
    let next = editor
      .getSortedChildIdsForParent(frame.id)
      .filter((id) => editor.getShape(id)?.type === 'note').length
    for (const note of notes) {
      if (note.parentId === frame.id) continue
      const from = { parentId: note.parentId, x: note.x, y: note.y }
      editor.reparentShapes([note.id], frame.id)
      const cell = {
        x: 40 + (next % columns) * PARKING_CELL,
        y: PARKING_TOP + Math.floor(next / columns) * PARKING_CELL,
      }
      next++
      editor.updateShape<TLNoteShape>({
        id: note.id,
        type: 'note',
        ...cell,
        meta: { [PARKED_FROM_META_KEY]: from },
      })
      const bottom = cell.y + PARKING_CELL + 40
      if (bottom > frame.props.h)
        editor.updateShape<TLFrameShape>({ id: frame.id, type: 'frame', props: { h: bottom } })
    }
    editor.selectNone()
  })
}

/**
 * Back where it was parked from; when that parent is gone, into the Issues stage (or onto the
 * page) where it lies now.
 */
export function bringBack(editor: Editor, noteId: TLShapeId): void {
  const note = editor.getShape(noteId)
  if (note?.type !== 'note') return
  const from = parkedFromOf(note)
  editor.markHistoryStoppingPoint('bring back')
  editor.run(() => {
    const home =
      from && (from.parentId.startsWith('page:') || editor.getShape(from.parentId as TLShapeId))
    if (from && home) {
      editor.reparentShapes([noteId], from.parentId as TLParentId)
      editor.updateShape({ id: noteId, type: 'note', x: from.x, y: from.y })
    } else {
      const issues = editor.getShape(stageFrameId('issues') as TLShapeId)
      editor.reparentShapes([noteId], (issues?.id ?? editor.getCurrentPageId()) as TLParentId)
    }
    const moved = editor.getShape(noteId) as TLNoteShape
    const { [PARKED_FROM_META_KEY]: _gone, ...meta } = moved.meta
    editor.store.put([{ ...moved, meta }])
    editor.select(noteId)
  })
}

/**
 * What the server would refuse, stopped before it is made: a note created here (pasted,
 * duplicated, an undone deletion) starts unmerged, since the server refuses a new note that
 * claims merged notes; a theme renamed on the canvas keeps a title of 1–200 characters.
 */
export function installSortingGuards(editor: Editor): () => void {
  const cleanups = [
    editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
      if (source !== 'user' || shape.type !== 'note' || !(MERGED_META_KEY in shape.meta))
        return shape
      const { [MERGED_META_KEY]: _parts, ...meta } = shape.meta
      return { ...shape, meta }
    }),
    editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
      if (source !== 'user' || !isThemeShape(next) || !isThemeShape(prev)) return next
      const name = next.props.name
      if (name.trim().length === 0)
        return { ...next, props: { ...next.props, name: prev.props.name } }
      if (name.length > MAX_LINE_LENGTH)
        return { ...next, props: { ...next.props, name: name.slice(0, MAX_LINE_LENGTH) } }
      return next
    }),
  ]
  return () => {
    for (const cleanup of cleanups) cleanup()
  }
}
