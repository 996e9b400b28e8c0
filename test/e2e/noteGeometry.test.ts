/**
 * Notes take their geometry from what is stored (issue 22): a board opens without measuring every
 * note's text, yet a note typed long by one person is exactly as tall on everyone's screen, the
 * typist's included, and a click anywhere on it still lands on it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const LONG = 'One shared intake form, kept by the family, would spare them the retelling. '.repeat(
  5,
)

interface PageEditor {
  createShapes(shapes: object[]): void
  getShapePageBounds(id: string): { x: number; y: number; w: number; h: number } | undefined
  getShapeAtPoint(point: { x: number; y: number }, options?: object): { id: string } | undefined
  getShape(id: string): { props: { growY: number } } | undefined
  centerOnPoint(point: { x: number; y: number }, options?: object): void
  setCamera(camera: { x: number; y: number; z: number }, options?: object): void
  getCamera(): { x: number; y: number; z: number }
  getEditingShapeId(): string | null
  selectNone(): void
}

const note = (id: string, text: string, x: number) => ({
  id,
  type: 'note',
  x,
  y: 100,
  props: {
    richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
  },
})

function boundsOf(page: Page, ids: string[]) {
  return page.evaluate((ids) => {
    const editor = window.commonGround.editor as unknown as PageEditor
    return ids.map((id) => {
      const b = editor.getShapePageBounds(id)
      const hit = b
        ? editor.getShapeAtPoint({ x: b.x + b.w / 2, y: b.y + b.h - 5 }, { hitInside: true })?.id
        : undefined
      return { id, bounds: b ?? null, hit, growY: editor.getShape(id)?.props.growY ?? null }
    })
  }, ids)
}

describe('note geometry', () => {
  it('is the same for the typist and for someone opening the board; a long note grew', async () => {
    const board = await createBoard(session.server, { title: 'Notes' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    await ana.evaluate(
      (shapes) => (window.commonGround.editor as unknown as PageEditor).createShapes(shapes),
      [note('shape:short', 'Rides', 0), note('shape:long', LONG, 400)],
    )
    const ids = ['shape:short', 'shape:long']
    const typist = await boundsOf(ana, ids)
    const [short, long] = typist
    // tldraw measured the long text as it was created: the note grew to hold it.
    expect(long?.growY).toBeGreaterThan(0)
    expect(long?.bounds?.h).toBeCloseTo(200 + (long?.growY ?? 0), 3)
    expect(short?.bounds).toMatchObject({ w: 200, h: 200 })

    const bea = await openBoardAs(session.browser, board.url, 'Bea')
    await bea.waitForFunction(() =>
      Boolean(window.commonGround?.editor.getShape('shape:long' as never)),
    )
    const opened = await boundsOf(bea, ids)
    expect(opened).toEqual(typist)
    for (const item of opened) expect(item.hit, item.id).toBe(item.id)
    await ana.context().close()
    await bea.context().close()
  })

  it('draws a note off screen only once it comes into view, text and all', async () => {
    const board = await createBoard(session.server, { title: 'Far notes' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    await ana.evaluate(
      (shapes) => (window.commonGround.editor as unknown as PageEditor).createShapes(shapes),
      [note('shape:far', 'Childcare on Saturday', 20_000)],
    )
    const text = ana.locator('.tl-shape[data-shape-id="shape:far"] .tl-rich-text')
    await expect.poll(() => text.count()).toBe(0)
    await ana.evaluate(() => {
      const editor = window.commonGround.editor as unknown as PageEditor
      editor.centerOnPoint({ x: 20_100, y: 200 }, { immediate: true })
    })
    await expect.poll(() => text.textContent()).toBe('Childcare on Saturday')
    await ana.context().close()
  })

  it('draws a note too small to read as a block of its colour, and whole again once selected or typed in', async () => {
    const board = await createBoard(session.server, { title: 'Tiny notes' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    await ana.evaluate(
      (shapes) => (window.commonGround.editor as unknown as PageEditor).createShapes(shapes),
      [note('shape:tiny', 'Rides', 0), note('shape:other', 'Evening hours', 300)],
    )
    const tiny = ana.locator('.tl-shape[data-shape-id="shape:tiny"]')
    await expect.poll(() => tiny.locator('.tl-rich-text').textContent()).toBe('Rides')
    await ana.evaluate(() => {
      const editor = window.commonGround.editor as unknown as PageEditor
      editor.selectNone()
      // At 5%, 22 px type would be about a pixel tall.
      editor.setCamera({ ...editor.getCamera(), z: 0.05 }, { immediate: true })
      editor.centerOnPoint({ x: 250, y: 200 }, { immediate: true })
    })
    await expect.poll(() => tiny.locator('.cg-note-block').count()).toBe(1)
    expect(await tiny.locator('.tl-rich-text').count()).toBe(0)
    // The block has the note's size and colour.
    const block = await tiny.locator('.cg-note-block').evaluate((element) => ({
      width: (element as HTMLElement).style.width,
      height: (element as HTMLElement).style.height,
      colour: getComputedStyle(element).backgroundColor,
    }))
    expect(block).toMatchObject({ width: '200px', height: '200px' })
    expect(block.colour).not.toBe('rgba(0, 0, 0, 0)')

    // Clicked, it is selected and drawn whole (its text, its label to type in) however small.
    const at = await tiny.locator('.cg-note-block').boundingBox()
    if (!at) throw new Error('the block is not on screen')
    await ana.mouse.click(at.x + at.width / 2, at.y + at.height / 2)
    await expect.poll(() => tiny.locator('.tl-rich-text').textContent()).toBe('Rides')
    expect(await tiny.locator('.cg-note-block').count()).toBe(0)
    // And it can be typed in at that zoom: a double click opens it.
    await ana.mouse.dblclick(at.x + at.width / 2, at.y + at.height / 2)
    await expect
      .poll(() =>
        ana.evaluate(() =>
          (window.commonGround.editor as unknown as PageEditor).getEditingShapeId(),
        ),
      )
      .toBe('shape:tiny')
    await ana.waitForFunction(() => window.getSelection()?.toString() === 'Rides')
    await ana.keyboard.press('ControlOrMeta+a')
    await ana.keyboard.type('Rides to appointments')
    await ana.keyboard.press('Escape')
    await ana.keyboard.press('Escape')
    await expect.poll(() => tiny.locator('.cg-note-block').count()).toBe(1)
    const text = await ana.evaluate(() =>
      JSON.stringify(window.commonGround.editor.getShape('shape:tiny' as never)),
    )
    expect(text).toContain('Rides to appointments')
    await ana.context().close()
  })
})
