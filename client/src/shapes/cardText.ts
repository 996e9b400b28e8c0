/**
 * Labels of the cards, in the language the person chose. Cards render inside tldraw (also in
 * exports, outside our React tree), so they read the language from tldraw's user preferences,
 * which the board keeps in step with the app's language switch.
 */
import {
  isLocale,
  type Locale,
  type MessageKey,
  type MessageParams,
  matchLocale,
  translate,
} from '@common-ground/shared/i18n'
import { type Editor, useEditor, useValue } from 'tldraw'

export function localeOf(editor: Editor): Locale {
  const tag = editor.user.getLocale()
  return isLocale(tag) ? tag : matchLocale([tag])
}

export function useCardText(): (key: MessageKey, params?: MessageParams) => string {
  const editor = useEditor()
  const locale = useValue('card locale', () => localeOf(editor), [editor])
  return (key, params) => translate(locale, key, params)
}
