/**
 * The product's string catalogue, shared by the client's UI and the server's exports.
 * To add a language: write `xx.ts` implementing `Catalogue`, then add it to `CATALOGUES` and
 * `LOCALE_NAMES` below (the typecheck and the catalogue test tell you what is missing).
 */
import { type Catalogue, en, type Message, type MessageKey } from './en.ts'
import { es } from './es.ts'

export type { Catalogue, Message, MessageKey }

export const CATALOGUES = { en, es } satisfies Record<string, Catalogue>
export type Locale = keyof typeof CATALOGUES
export const LOCALES = Object.keys(CATALOGUES) as Locale[]
export const DEFAULT_LOCALE: Locale = 'en'

/** Each language's name in itself, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(CATALOGUES, value)
}

/** The first supported language among the user's preferences (`navigator.languages`). */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return DEFAULT_LOCALE
}

export type MessageParams = Record<string, string | number>

const pluralRules = new Map<Locale, Intl.PluralRules>()

function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(locale)
    pluralRules.set(locale, rules)
  }
  return rules.select(count)
}

/** The placeholder names a message uses, e.g. `{count}` → `count`. */
export function placeholdersOf(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message)
  const names = new Set<string>()
  for (const text of texts)
    for (const match of text.matchAll(/\{(\w+)\}/g)) names.add(match[1] as string)
  return [...names].sort()
}

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const message: Message = CATALOGUES[locale][key] ?? en[key]
  let text: string
  if (typeof message === 'string') {
    text = message
  } else {
    const count = Number(params.count ?? 0)
    const forms = message as Record<string, string | undefined>
    text = forms[pluralCategory(locale, count)] ?? message.other
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'number' ? value.toLocaleString(locale) : value
  })
}
