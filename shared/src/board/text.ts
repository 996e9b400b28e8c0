/** How long user text may be, anywhere on a board: plan fields, card titles, vote titles, names. */
import { T } from '@tldraw/validate'

/** Longest free text any plan field keeps (a paragraph or two, not a document). */
export const MAX_TEXT_LENGTH = 4000
/** Longest one-line text (a name, a title). */
export const MAX_LINE_LENGTH = 200

/** Free text of at most `max` characters. */
export function boundedText(max: number = MAX_TEXT_LENGTH) {
  return T.string.check((value) => {
    if (value.length > max) throw new T.ValidationError(`Expected at most ${max} characters`)
  })
}
