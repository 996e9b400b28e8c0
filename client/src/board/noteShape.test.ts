import { describe, expect, it } from 'vitest'
import { noteTypeScale } from './noteShape.ts'

describe('note type size', () => {
  it('keeps the full size for a short note', () => {
    expect(noteTypeScale(0)).toBe(1)
    expect(noteTypeScale(150)).toBe(1)
  })

  it('shrinks with the length past that, so a long note grows within reason', () => {
    expect(noteTypeScale(300)).toBeCloseTo(Math.SQRT1_2)
    // The trial's 517-character note: about 12 px type instead of 22 px.
    expect(22 * noteTypeScale(517)).toBeGreaterThan(11.5)
    expect(22 * noteTypeScale(517)).toBeLessThan(12.5)
    expect(noteTypeScale(400)).toBeGreaterThan(noteTypeScale(500))
  })

  it('never goes below half the size', () => {
    expect(noteTypeScale(4000)).toBe(0.5)
  })
})
