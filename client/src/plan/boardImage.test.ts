import { describe, expect, it } from 'vitest'
import { imagePixelRatio, MAX_IMAGE_SIDE } from './boardImage.ts'

describe('imagePixelRatio', () => {
  it('fits the longest side of a big board in MAX_IMAGE_SIDE pixels', () => {
    // The retreat template with its margin: 6,464 × 3,664 units.
    const ratio = imagePixelRatio(6464, 3664)
    expect(Math.floor(6464 * ratio)).toBe(MAX_IMAGE_SIDE)
    expect(3664 * ratio).toBeLessThan(MAX_IMAGE_SIDE)
    // A tall board: its height is the side that fits.
    expect(Math.floor(9000 * imagePixelRatio(1000, 9000))).toBeLessThanOrEqual(MAX_IMAGE_SIDE)
  })

  it('keeps two pixels per unit on a small board', () => {
    expect(imagePixelRatio(600, 400)).toBe(2)
    expect(imagePixelRatio(0, 0)).toBe(2)
  })
})
