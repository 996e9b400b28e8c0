import { describe, expect, it } from 'vitest'
import { drawQr, QR_QUIET_ZONE } from './qrCode.ts'

const link = 'http://192.168.1.20:8787/b/Xy7_kd93LmQp#key=Qm9v_Zk3LxWc8aPd2RtYh5NjEu6oGs1B'

describe('QR codes of links', () => {
  it('draws a share link as a QR code with its quiet zone', () => {
    const drawing = drawQr(link)
    expect(drawing).not.toBeNull()
    if (!drawing) return
    // Versions are 21, 25, 29… modules a side; a link with its key needs a few.
    expect((drawing.size - 17) % 4).toBe(0)
    expect(drawing.size).toBeGreaterThanOrEqual(33)
    expect(drawing.side).toBe(drawing.size + 2 * QR_QUIET_ZONE)
    expect(drawing.viewBox).toBe(`-4 -4 ${drawing.side} ${drawing.side}`)
    // Closed outlines in module units, within the code: the finder patterns reach its corners.
    expect(drawing.path).toMatch(/^M\d+ \d+L.*Z$/)
    const coordinates = drawing.path.match(/\d+/g)?.map(Number) ?? []
    expect(Math.min(...coordinates)).toBe(0)
    expect(Math.max(...coordinates)).toBe(drawing.size)
  })

  it('gives the same drawing for the same link and another for another link', () => {
    expect(drawQr(link)).toEqual(drawQr(link))
    expect(drawQr(link)?.path).not.toBe(drawQr(link.replace('Qm9v', 'Zz9v'))?.path)
  })

  it('refuses what no QR code can hold', () => {
    expect(drawQr('x'.repeat(8000))).toBeNull()
  })
})
