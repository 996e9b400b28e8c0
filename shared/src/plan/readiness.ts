/**
 * Stage 0, "Why partner / readiness": a checklist the group answers before committing. The
 * questions of a template are catalogue keys (so each person reads them in their language); a
 * group may add questions of its own, stored with their text.
 */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import { type Answer, answerValidator } from './answer.ts'

export interface ReadinessItem {
  /** The template's question id, or the id of a question the group added. */
  id: string
  question: string
  answer: Answer | null
  note: string
}

export const readinessItemValidator: T.Validator<ReadinessItem> = T.object({
  id: T.string,
  question: boundedText(MAX_LINE_LENGTH),
  answer: answerValidator,
  note: boundedText(),
})

/** What the doc stores per question (`question` is empty for a template question). */
export interface ReadinessEntry {
  question: string
  answer: Answer | null
  note: string
}

export const readinessEntryValidator: T.Validator<ReadinessEntry> = T.object({
  question: boundedText(MAX_LINE_LENGTH),
  answer: answerValidator,
  note: boundedText(),
})
