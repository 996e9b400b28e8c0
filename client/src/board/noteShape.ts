/**
 * tldraw's sticky note, with smaller type for long text. A note grows taller to fit its text; a
 * long one (a whole paragraph pasted in) grew to five times its width and ran out of its stage
 * into the next. Past about 150 characters the type shrinks with the length, so a note stays
 * within about twice its height (a 500-character note is about 12 px type instead of 22 px);
 * only past that does it grow again. The note's props (`growY`, `fontSizeAdjustment`) are
 * measured with these sizes, so every screen draws it the same.
 */
import { createElement } from 'react'
import {
  type Editor,
  Group2d,
  getDisplayValues,
  type NoteShapeOptions,
  NoteShapeUtil,
  Rectangle2d,
  renderPlaintextFromRichText,
  type TLNoteShape,
  type TLRichText,
  useColorMode,
  useValue,
} from 'tldraw'

/** Characters that fit a note at full type size within about twice its height. */
const FULL_SIZE_CHARACTERS = 150
/** The smallest type, as a share of the full size. */
const MIN_TYPE_SCALE = 0.5

/** The share of its usual type size a note of this many characters gets. */
export function noteTypeScale(characters: number): number {
  if (characters <= FULL_SIZE_CHARACTERS) return 1
  return Math.max(MIN_TYPE_SCALE, Math.sqrt(FULL_SIZE_CHARACTERS / characters))
}

/** Rich-text nodes whose plain text `plainTextLength` knows; anything else asks tldraw. */
const BLOCKS = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'codeBlock',
  'horizontalRule',
])

interface RichTextNode {
  type?: unknown
  text?: unknown
  content?: unknown
}

/**
 * The length of a note's plain text as tldraw's `renderPlaintextFromRichText` gives it (text,
 * one character per hard break, one newline between blocks), read straight from the JSON: tldraw
 * builds a TipTap schema for each note it renders as plain text, which on a 2,000-note board cost
 * seconds. Null for a node this does not know (then tldraw's own is used).
 */
export function plainTextLength(richText: TLRichText): number | null {
  let length = 0
  let blocks = 0
  const stack: RichTextNode[] = [...((richText.content as RichTextNode[] | undefined) ?? [])]
  while (stack.length > 0) {
    const node = stack.pop() as RichTextNode
    if (node.type === 'text') {
      if (typeof node.text !== 'string') return null
      length += node.text.length
    } else if (node.type === 'hardBreak') {
      length += 1
    } else if (typeof node.type === 'string' && BLOCKS.has(node.type)) {
      blocks += 1
      if (Array.isArray(node.content)) stack.push(...(node.content as RichTextNode[]))
    } else {
      return null
    }
  }
  return length + Math.max(0, blocks - 1)
}

/**
 * Type smaller than this on screen (CSS pixels) cannot be read: a note whose text would be drawn
 * that small is drawn as a plain block of its colour (see `noteDetail`).
 */
export const MIN_LEGIBLE_TYPE_PX = 2.5

/** How much of a note is drawn: nothing (off screen), its block of colour, or all of it. */
export type NoteDetail = 'none' | 'block' | 'full'

/**
 * Level of detail of a note whose type is `typeSize` page pixels, seen at `zoom`. Zoomed out on
 * a big board, every note's text is a smudge a pixel or two tall, yet drawing it (and its rounded
 * border, a fraction of a pixel wide) took most of each frame in a browser without a GPU: such a
 * note is a block of its colour. The note being typed in, or the one selected, is drawn whole.
 */
export function noteDetail(note: {
  culled: boolean
  focused: boolean
  typeSize: number
  zoom: number
}): NoteDetail {
  if (note.focused) return 'full'
  if (note.culled) return 'none'
  return note.typeSize * note.zoom < MIN_LEGIBLE_TYPE_PX ? 'block' : 'full'
}

const SmallerTypeNoteShapeUtil = NoteShapeUtil.configure({
  getCustomDisplayValues(this: NoteShapeOptions, editor, shape: TLNoteShape, theme, colorMode) {
    const { richText } = shape.props
    const characters =
      plainTextLength(richText) ?? renderPlaintextFromRichText(editor, richText).length
    const scale = noteTypeScale(characters)
    if (scale === 1) return {}
    const full = this.getDefaultDisplayValues(editor, shape, theme, colorMode).labelFontSize
    return { labelFontSize: full * scale }
  },
})

/**
 * The note's geometry without measuring its text. tldraw's own measures every note's label in the
 * DOM (a layout per note) the first time anything asks for its bounds, and the spatial index asks
 * for every shape's as a board opens: on a 2,000-note board that was most of the time to
 * interactive. The note's bounds never depended on the label (its size comes from the stored
 * `growY`, measured by whoever typed the text); only the label's hit area did, and it lies inside
 * the note's filled rectangle, which is hit anyway. So the label's area is the note's inner area.
 * Typing still measures (tldraw's `onBeforeUpdate`), so `growY` stays right.
 */
export class BoardNoteShapeUtil extends SmallerTypeNoteShapeUtil {
  /**
   * Off screen (culled, so hidden anyway) a note draws nothing: tldraw draws every shape of the
   * page, and each note's text is turned into HTML through a TipTap schema built for it, which on
   * a 2,000-note board was most of what opening it cost. A note is drawn when it comes into view,
   * as a plain block while its text would be too small to read (`noteDetail`).
   */
  override component(shape: TLNoteShape) {
    return createElement(NoteInDetail, { util: this, shape })
  }

  /** The size of this note's type on the page, in page pixels. */
  typeSize(shape: TLNoteShape): number {
    const { labelFontSize } = getDisplayValues(this, shape)
    return labelFontSize * (shape.props.fontSizeAdjustment ?? 1) * shape.props.scale
  }

  /** tldraw's note, drawn. */
  drawn(shape: TLNoteShape) {
    return super.component(shape)
  }

  override getGeometry(shape: TLNoteShape): Group2d {
    const values = getDisplayValues(this, shape)
    const { scale, growY } = shape.props
    const width = values.noteWidth * scale
    const height = (values.noteHeight + growY) * scale
    const padding = Math.min(values.labelPadding * scale, width / 2, height / 2)
    return new Group2d({
      children: [
        new Rectangle2d({ width, height, isFilled: true }),
        new Rectangle2d({
          x: padding,
          y: padding,
          width: width - 2 * padding,
          height: height - 2 * padding,
          isFilled: true,
          isLabel: true,
          excludeFromShapeBounds: true,
        }),
      ],
    })
  }
}

function NoteInDetail({ util, shape }: { util: BoardNoteShapeUtil; shape: TLNoteShape }) {
  const detail = useValue(
    'note detail',
    () =>
      noteDetail({
        culled: util.editor.getCulledShapes().has(shape.id),
        focused: isFocused(util.editor, shape.id),
        typeSize: util.typeSize(shape),
        // Steady while the camera moves (tldraw's own level of detail uses it too).
        zoom: util.editor.getEfficientZoomLevel(),
      }),
    [util, shape],
  )
  if (detail === 'none') return null
  if (detail === 'block') return createElement(NoteBlock, { util, shape })
  return createElement(DrawnNote, { util, shape })
}

/**
 * Being typed in, or the one note selected: drawn whole however small (a select-all of 2,000
 * notes stays in blocks).
 */
function isFocused(editor: Editor, id: TLNoteShape['id']): boolean {
  return editor.getEditingShapeId() === id || editor.getOnlySelectedShapeId() === id
}

/** The note as a block of its colour: its size and fill, no text, no border, no shadow. */
function NoteBlock({ util, shape }: { util: BoardNoteShapeUtil; shape: TLNoteShape }) {
  const values = getDisplayValues(util, shape, useColorMode())
  const { scale, growY } = shape.props
  return createElement('div', {
    id: shape.id,
    className: 'tl-note__container cg-note-block',
    style: {
      width: values.noteWidth * scale,
      height: (values.noteHeight + growY) * scale,
      backgroundColor: values.noteBackgroundColor,
      borderRadius: 0,
    },
  })
}

/** A component of its own, so the hooks of tldraw's note come and go with it. */
function DrawnNote({ util, shape }: { util: BoardNoteShapeUtil; shape: TLNoteShape }) {
  return util.drawn(shape)
}
