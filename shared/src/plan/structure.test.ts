import { describe, expect, it } from 'vitest'
import { holderNames } from './structure.ts'

describe('holderNames', () => {
  it('finds an organization named whole in a role’s holder', () => {
    expect(holderNames('Mia, Aldea Niños', 'Aldea Niños')).toBe(true)
    expect(holderNames('aldea niños (Mia)', 'Aldea Niños')).toBe(true)
    // Composed and decomposed accents are one name.
    expect(holderNames('Mia, Aldea Nin\u0303os', 'Aldea Niños')).toBe(true)
    expect(holderNames('First Harbor Bank', 'First Harbor Bank')).toBe(true)
  })

  it('does not take part of a word or an empty name for a match', () => {
    expect(holderNames('Aldeana Foods', 'Aldea')).toBe(false)
    expect(holderNames('Bankside Aldea', 'Bank')).toBe(false)
    expect(holderNames('Bankside, Bank', 'Bank')).toBe(true)
    expect(holderNames('Mia', '  ')).toBe(false)
    expect(holderNames('', 'Aldea')).toBe(false)
  })
})
