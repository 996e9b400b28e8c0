import { describe, expect, it } from 'vitest'
import { downloadName, localIsoDate } from './download.ts'

describe('downloadName', () => {
  it('keeps accents and emoji, and drops what file systems refuse', () => {
    expect(downloadName('Alianza del Este 🌱', 'csv')).toBe('Alianza del Este 🌱.csv')
    expect(downloadName('a/b\\c:d*e?"f"<g>|h', 'md')).toBe('a b c d e f g h.md')
    expect(downloadName('line\nbreak\u202Eevil', 'json')).toBe('line break evil.json')
  })

  it('never starts with a dot or comes out empty', () => {
    expect(downloadName('..hidden', 'md')).toBe('hidden.md')
    expect(downloadName('  ///  ', 'csv')).toBe('plan.csv')
    expect(downloadName('x'.repeat(300), 'svg')).toBe(`${'x'.repeat(120)}.svg`)
  })
})

describe('localIsoDate', () => {
  it('is the local calendar day as yyyy-mm-dd', () => {
    expect(localIsoDate(new Date(2027, 2, 5, 23, 59))).toBe('2027-03-05')
    expect(localIsoDate(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31')
  })
})
