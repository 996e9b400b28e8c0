import { renderPlaintextFromRichText, type TLRichText } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { MIN_LEGIBLE_TYPE_PX, noteDetail, noteTypeScale, plainTextLength } from './noteShape.ts'

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

describe('noteDetail', () => {
  const note = { culled: false, focused: false, typeSize: 22 }

  it('draws a note whole while its text can be read, a retreat board zoomed to fit included', () => {
    expect(noteDetail({ ...note, zoom: 1 })).toBe('full')
    // Nine stages and the parking lot fit a 1280-pixel screen at about 15%.
    expect(noteDetail({ ...note, zoom: 0.148 })).toBe('full')
  })

  it('draws a block of colour once the text would be too small to read', () => {
    // 2,000 notes zoomed to fit: under 6%, 22 px type is about a pixel tall.
    expect(noteDetail({ ...note, zoom: 0.057 })).toBe('block')
    expect(noteDetail({ ...note, zoom: (MIN_LEGIBLE_TYPE_PX - 0.01) / 22 })).toBe('block')
    expect(noteDetail({ ...note, zoom: MIN_LEGIBLE_TYPE_PX / 22 })).toBe('full')
    // Smaller type (a long note) turns into a block sooner.
    expect(noteDetail({ ...note, typeSize: 11, zoom: 0.2 })).toBe('block')
  })

  it('draws nothing off screen', () => {
    expect(noteDetail({ ...note, culled: true, zoom: 1 })).toBe('none')
    expect(noteDetail({ ...note, culled: true, zoom: 0.05 })).toBe('none')
  })

  it('draws the note being typed in, or the one selected, whole however small', () => {
    expect(noteDetail({ ...note, focused: true, zoom: 0.05 })).toBe('full')
    expect(noteDetail({ ...note, focused: true, culled: true, zoom: 0.05 })).toBe('full')
  })
})

describe('plainTextLength', () => {
  // tldraw's own, with its default TipTap extensions (what a note's text is rendered with).
  const fakeEditor = { getTextOptions: () => ({}) } as unknown as Parameters<
    typeof renderPlaintextFromRichText
  >[0]
  const text = (value: string) => ({ type: 'text', text: value })
  const paragraph = (...content: object[]) => ({ type: 'paragraph', content })
  const docs: TLRichText[] = [
    { type: 'doc', content: [paragraph()] },
    { type: 'doc', content: [paragraph(text('Rides to appointments'))] },
    {
      type: 'doc',
      content: [
        paragraph(text('Evening '), { type: 'text', text: 'hours', marks: [{ type: 'bold' }] }),
        paragraph(text('at the'), { type: 'hardBreak' }, text('library')),
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [paragraph(text('one'))] },
            { type: 'listItem', content: [paragraph(text('two'))] },
          ],
        },
        { type: 'heading', attrs: { level: 2 }, content: [text('Childcare')] },
      ],
    },
  ] as TLRichText[]

  it('gives the length of tldraw’s plain text, without TipTap', () => {
    for (const doc of docs) {
      expect(plainTextLength(doc)).toBe(renderPlaintextFromRichText(fakeEditor, doc).length)
    }
  })

  it('leaves a node it does not know to tldraw', () => {
    const mention = { type: 'doc', content: [paragraph({ type: 'mention', attrs: { id: 'x' } })] }
    expect(plainTextLength(mention as TLRichText)).toBeNull()
  })
})
