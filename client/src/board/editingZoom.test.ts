import { describe, expect, it } from 'vitest'
import { AT_A_DESK, READABLE_TYPE_PX, readableCamera } from './editingZoom.ts'

const PHONE = { w: 390, h: 640 }
const card = { x: 1800, y: 300, w: 320, h: 420 }

/** Where a page point lands on screen under a camera. */
const onScreen = (camera: { x: number; y: number; z: number }, x: number, y: number) => ({
  x: (x + camera.x) * camera.z,
  y: (y + camera.y) * camera.z,
})

describe('readableCamera', () => {
  it('zooms a card seen from a whole stage until its 14 px fields are 16 px, in view', () => {
    const camera = readableCamera(card, 14, 0.15, PHONE)
    if (!camera) throw new Error('expected a zoom')
    expect(14 * camera.z).toBeGreaterThanOrEqual(READABLE_TYPE_PX)
    const topLeft = onScreen(camera, card.x, card.y)
    const right = onScreen(camera, card.x + card.w, card.y).x
    // Centred across the phone, its top near the view's top (below tldraw's page menu).
    expect(topLeft.x).toBeGreaterThan(0)
    expect(right).toBeLessThan(PHONE.w)
    expect(topLeft.x).toBeCloseTo(PHONE.w - right, 5)
    expect(topLeft.y).toBeGreaterThanOrEqual(40)
    expect(topLeft.y).toBeLessThan(60)
  })

  it('keeps the left edge in view when the shape is wider than the screen', () => {
    const wide = { ...card, w: 900 }
    const camera = readableCamera(wide, 14, 0.15, PHONE)
    if (!camera) throw new Error('expected a zoom')
    const left = onScreen(camera, wide.x, wide.y).x
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThan(20)
  })

  it('leaves the camera alone when the type is readable already', () => {
    expect(readableCamera(card, 14, 1.2, PHONE)).toBeNull()
    expect(readableCamera(card, 22, 0.75, PHONE)).toBeNull()
  })

  it('at a desk, zooms only when the type would be under 10 px, until it is 14 px', () => {
    const LAPTOP = { w: 1280, h: 700 }
    // A stage seen whole on a laptop: 14 px fields at 47 % are 6.6 px.
    const camera = readableCamera(card, 14, 0.47, LAPTOP, AT_A_DESK)
    if (!camera) throw new Error('expected a zoom')
    expect(14 * camera.z).toBeGreaterThanOrEqual(14)
    expect(14 * camera.z).toBeLessThan(15)
    // 11 px is small but readable at a desk: the view stays where the person put it.
    expect(readableCamera(card, 14, 11 / 14, LAPTOP, AT_A_DESK)).toBeNull()
  })
})
