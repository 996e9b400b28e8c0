import { describe, expect, it } from 'vitest'
import {
  CATALOGUES,
  LOCALE_NAMES,
  LOCALES,
  matchLocale,
  placeholdersOf,
  translate,
} from './index.ts'

const english = CATALOGUES.en

describe('i18n catalogues', () => {
  for (const locale of LOCALES) {
    it(`${locale} has exactly the English keys`, () => {
      expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(Object.keys(english).sort())
    })

    it(`${locale} uses the same placeholders and plural shape as English`, () => {
      for (const [key, message] of Object.entries(english)) {
        const translated = CATALOGUES[locale][key as keyof typeof english]
        expect(typeof translated, key).toBe(typeof message)
        expect(placeholdersOf(translated), key).toEqual(placeholdersOf(message))
      }
    })

    it(`${locale} has no empty message and a display name`, () => {
      for (const [key, message] of Object.entries(CATALOGUES[locale])) {
        const texts: string[] = typeof message === 'string' ? [message] : Object.values(message)
        for (const text of texts) expect(text.trim(), key).not.toBe('')
      }
      expect(LOCALE_NAMES[locale]).toBeTruthy()
    })
  }

  it('fills placeholders and picks plural forms per language', () => {
    expect(translate('en', 'status.peers', { count: 1 })).toBe('1 person here')
    expect(translate('en', 'status.peers', { count: 3 })).toBe('3 people here')
    expect(translate('es', 'status.peers', { count: 1 })).toBe('1 persona aquí')
    expect(translate('es', 'join.heading', { title: 'Alianza' })).toBe('Unirse a «Alianza»')
  })

  it('formats numbers for the locale', () => {
    expect(translate('en', 'status.peers', { count: 1200 })).toBe('1,200 people here')
    expect(translate('es', 'status.peers', { count: 1200 })).toBe('1200 personas aquí')
  })

  it('matches the browser languages to a supported locale', () => {
    expect(matchLocale(['es-MX', 'en-US'])).toBe('es')
    expect(matchLocale(['fr-FR', 'en-GB'])).toBe('en')
    expect(matchLocale(['de'])).toBe('en')
    expect(matchLocale([])).toBe('en')
  })
})
