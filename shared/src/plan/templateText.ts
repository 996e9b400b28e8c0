/**
 * Template text in each person's language (issue 15). A board's stage frames and their prompts
 * are seeded in the language of whoever created it (seedBoard.ts), but everyone sees them in
 * their own: the canvas, and the images an export draws, show a title or prompt that still holds
 * the template's words, in any language, in the viewer's language instead. The board keeps what
 * was seeded (rewriting it per viewer would make viewers of different languages fight over it),
 * and a title or prompt someone changed is shown as they wrote it, to everyone.
 *
 * A template shape is recognized by its stage id in `meta.cgStage` (STAGE_META_KEY): the frame
 * holds the stage's title (`props.name`), the text shape inside it the prompt (`props.richText`).
 */
import { LOCALES, type Locale, type MessageKey, translate } from '../i18n/index.ts'
import { isStageId, STAGE_META_KEY, type StageId } from './template.ts'

/** Whether `text` is the catalogue's `key` in one of the languages (the template's words). */
export function isTemplateText(key: MessageKey, text: string): boolean {
  const wanted = text.trim()
  return LOCALES.some((locale) => translate(locale, key).trim() === wanted)
}

/**
 * What a viewer reading `locale` sees for a stage's title or prompt that holds `stored`: the
 * template's words in `locale` while `stored` is still the template's (in any language), else
 * `stored` as it was written.
 */
export function templateTextFor(
  stage: StageId,
  part: 'title' | 'prompt',
  stored: string,
  locale: Locale,
): string {
  const key: MessageKey = `stage.${stage}.${part}`
  return isTemplateText(key, stored) ? translate(locale, key) : stored
}

/** The stage a seeded frame or prompt belongs to, from its `meta`; null for any other shape. */
export function stageOfTemplateShape(shape: { meta?: Record<string, unknown> }): StageId | null {
  const stage = shape.meta?.[STAGE_META_KEY]
  return isStageId(stage) ? stage : null
}
