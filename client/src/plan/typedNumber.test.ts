import { describe, expect, it } from 'vitest'
import { parseTypedNumber } from './typedNumber.ts'

describe('parseTypedNumber', () => {
  it('reads numbers as English and Spanish write them', () => {
    expect(parseTypedNumber('42', 'en')).toBe(42)
    expect(parseTypedNumber(' -3.5 ', 'en')).toBe(-3.5)
    expect(parseTypedNumber('3,5', 'es')).toBe(3.5)
    expect(parseTypedNumber('3.5', 'es')).toBe(3.5)
    expect(parseTypedNumber('1,234', 'en')).toBe(1234)
    expect(parseTypedNumber('1,234.5', 'en')).toBe(1234.5)
    expect(parseTypedNumber('1.234,5', 'es')).toBe(1234.5)
    expect(parseTypedNumber('1.234.567', 'es')).toBe(1234567)
    expect(parseTypedNumber('1 234,5', 'es')).toBe(1234.5)
    expect(parseTypedNumber('.5', 'en')).toBe(0.5)
  })

  it('refuses what is not one finite number', () => {
    for (const text of [
      '',
      ' ',
      'abc',
      '12abc',
      '1,2,3',
      '1e999',
      '--1',
      '3..5',
      'NaN',
      'Infinity',
    ])
      expect(parseTypedNumber(text, 'en')).toBeNull()
  })
})
