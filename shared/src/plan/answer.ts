/**
 * A yes / no / not-sure answer, used by the readiness checklist and by yes-or-no questions of the
 * assessments. `null` means nobody has answered yet.
 */
import { T } from '@tldraw/validate'

export const ANSWERS = ['yes', 'no', 'unsure'] as const
export type Answer = (typeof ANSWERS)[number]

export const answerValidator = T.nullable(T.literalEnum(...ANSWERS))
