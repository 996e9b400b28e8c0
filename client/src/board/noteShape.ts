/**
 * tldraw's sticky note, with smaller type for long text. A note grows taller to fit its text; a
 * long one (a whole paragraph pasted in) grew to five times its width and ran out of its stage
 * into the next. Past about 150 characters the type shrinks with the length, so a note stays
 * within about twice its height (a 500-character note is about 12 px type instead of 22 px);
 * only past that does it grow again. The note's props (`growY`, `fontSizeAdjustment`) are
 * measured with these sizes, so every screen draws it the same.
 */
import {
  type NoteShapeOptions,
  NoteShapeUtil,
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

export const BoardNoteShapeUtil = NoteShapeUtil.configure({
  getCustomDisplayValues(this: NoteShapeOptions, editor, shape: TLNoteShape, theme, colorMode) {
    const characters = renderPlaintextFromRichText(editor, shape.props.richText).length
    const scale = noteTypeScale(characters)
    if (scale === 1) return {}
    const full = this.getDefaultDisplayValues(editor, shape, theme, colorMode).labelFontSize
    return { labelFontSize: full * scale }
  },
})
