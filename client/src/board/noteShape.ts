/**
 * tldraw's sticky note, with smaller type for long text. A note grows taller to fit its text; a
 * long one (a whole paragraph pasted in) grew to five times its width and ran out of its stage
 * into the next. Past about 150 characters the type shrinks with the length, so a note stays
 * within about twice its height (a 500-character note is about 12 px type instead of 22 px);
 * only past that does it grow again. The note's props (`growY`, `fontSizeAdjustment`) are
 * measured with these sizes, so every screen draws it the same.
 */
import {
  Group2d,
  getDisplayValues,
  type NoteShapeOptions,
  NoteShapeUtil,
  Rectangle2d,
  renderPlaintextFromRichText,
  type TLNoteShape,
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

const SmallerTypeNoteShapeUtil = NoteShapeUtil.configure({
  getCustomDisplayValues(this: NoteShapeOptions, editor, shape: TLNoteShape, theme, colorMode) {
    const characters = renderPlaintextFromRichText(editor, shape.props.richText).length
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
