/**
 * A yes / no / not-sure answer, used by the readiness checklist and by yes-or-no questions of the
 * assessments. `null` means nobody has answered yet.
 */
import { T } from '@tldraw/validate'

export const ANSWERS = ['yes', 'no', 'unsure'] as const
export type Answer = (typeof ANSWERS)[number]

export const answerValidator = T.nullable(T.literalEnum(...ANSWERS))

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
