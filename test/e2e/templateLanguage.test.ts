/**
 * The template's stage titles and prompts in each person's language (issue 15): a board created
 * in English shows a Spanish speaker Spanish frame titles and prompts on the canvas, next to a
 * Spanish agenda, while an English speaker sees English, and the board itself is not rewritten
 * for either, on each of the three screens (`VIEWPORTS`: a 390×844 touch phone, 1280×800,
 * 1440×900). A title someone changed shows as they wrote it, to both.
 */
import { translate } from '@common-ground/shared/i18n'
import { STAGE_IDS } from '@common-ground/shared/plan'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { VIEWPORTS } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

type Editor = {
  zoomToFit(): void
  getShape(id: string): { props: { name?: string; richText?: unknown } } | undefined
  getShapeUtil(shape: unknown): { getText(shape: unknown): string | undefined }
  updateShape(shape: unknown): void
}

/** The whole board in view, so every stage frame is drawn. */
async function showAll(page: Page) {
  await page.evaluate(() => {
    ;(window.commonGround.editor as unknown as Editor).zoomToFit()
  })
}

/** The frame titles drawn on the canvas (tldraw ends each with a zero-width space). */
async function drawnTitles(page: Page): Promise<string[]> {
  const titles = await page.locator('.tl-frame-heading').allInnerTexts()
  return titles.map((title) => title.replace(/\u200b/g, '').trim())
}

/** The text of the prompts drawn on the canvas. */
async function drawnPrompts(page: Page): Promise<string> {
  return (await page.locator('.tl-text-shape-label').allInnerTexts()).join('\n')
}

/** What the canvas says a shape reads (its text as drawn, for screen readers and search). */
function shapeText(page: Page, id: string) {
  return page.evaluate((shapeId) => {
    const editor = window.commonGround.editor as unknown as Editor
    const shape = editor.getShape(shapeId)
    return shape ? (editor.getShapeUtil(shape).getText(shape) ?? null) : null
  }, id)
}

describe('template text in each person’s language', () => {
  for (const screen of VIEWPORTS) {
    it(`shows an English board’s stage titles and prompts in Spanish to a Spanish speaker on a ${screen.name} (${screen.size})`, async () => {
      const board = await createBoard(session.server, {
        title: 'Retiro',
        template: 'retreat',
        locale: 'en',
      })
      const ana = await openBoardAs(session.browser, board.url, 'Ana', {
        ...screen.options,
        locale: 'en-US',
      })
      const ben = await openBoardAs(session.browser, board.links.edit, 'Ben', {
        ...screen.options,
        locale: 'es-MX',
      })
      await showAll(ana)
      await showAll(ben)

      const english = translate('en', 'stage.organizations.title')
      const spanish = translate('es', 'stage.organizations.title')
      expect(spanish).not.toBe(english)
      await expect.poll(() => drawnTitles(ben)).toContain(spanish)
      await expect.poll(() => drawnTitles(ana)).toContain(english)
      expect(await drawnTitles(ben)).not.toContain(english)
      expect(await drawnTitles(ana)).not.toContain(spanish)
      // Every stage, and the prompts inside them.
      for (const stage of STAGE_IDS) {
        const [en, es] = [
          translate('en', `stage.${stage}.title`),
          translate('es', `stage.${stage}.title`),
        ]
        expect(await drawnTitles(ben)).toContain(es)
        expect(await drawnTitles(ana)).toContain(en)
        if (en !== es) expect(await drawnTitles(ben)).not.toContain(en)
      }
      await expect
        .poll(() => drawnPrompts(ben))
        .toContain(translate('es', 'stage.organizations.prompt'))
      expect(await drawnPrompts(ben)).not.toContain(translate('en', 'stage.organizations.prompt'))
      expect(await drawnPrompts(ana)).toContain(translate('en', 'stage.organizations.prompt'))
      expect(await shapeText(ben, 'shape:stage-vote')).toBe(translate('es', 'stage.vote.title'))
      expect(await shapeText(ben, 'shape:stage-vote-prompt')).toBe(
        translate('es', 'stage.vote.prompt'),
      )

      // An image exported from the canvas is drawn in the exporter's language too.
      const svg = await ben.evaluate(async () => {
        const editor = window.commonGround.editor as unknown as {
          getCurrentPageShapeIds(): Set<string>
          getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
        }
        return (await editor.getSvgString([...editor.getCurrentPageShapeIds()]))?.svg ?? ''
      })
      // (Its text is laid out a word at a time.)
      expect(svg).toMatch(/>\s*organizaciones/)
      expect(svg).not.toMatch(/>\s*organizations/)

      // Nothing was rewritten: the board still holds what it was created with.
      const stored = await ben.evaluate(
        () =>
          (window.commonGround.editor as unknown as Editor).getShape('shape:stage-organizations')
            ?.props.name,
      )
      expect(stored).toBe(english)

      // A title someone changed shows as they wrote it, on both pages.
      // (A block body: tldraw's editor methods return the editor, which cannot come back.)
      await ana.evaluate(() => {
        ;(window.commonGround.editor as unknown as Editor).updateShape({
          id: 'shape:stage-vote',
          type: 'frame',
          props: { name: '4 · Our vote on Friday' },
        })
      })
      await expect.poll(() => drawnTitles(ben)).toContain('4 · Our vote on Friday')
      await expect.poll(() => drawnTitles(ana)).toContain('4 · Our vote on Friday')
      expect(await drawnTitles(ben)).not.toContain(translate('es', 'stage.vote.title'))
      // The others stay in each person's language.
      expect(await drawnTitles(ben)).toContain(spanish)

      // Switching language redraws them.
      await ben.getByLabel('Idioma').selectOption('en')
      await expect.poll(() => drawnTitles(ben)).toContain(english)
      expect(await drawnTitles(ben)).toContain('4 · Our vote on Friday')
      await ana.context().close()
      await ben.context().close()
    })
  }

  it('shows a Spanish board’s stage titles in English to an English speaker', async () => {
    const board = await createBoard(session.server, {
      title: 'Retiro',
      template: 'retreat',
      locale: 'es',
    })
    const ana = await openBoardAs(session.browser, board.url, 'Ana', { locale: 'en-US' })
    await showAll(ana)
    await expect
      .poll(() => drawnTitles(ana))
      .toContain(translate('en', 'stage.organizations.title'))
    expect(await drawnTitles(ana)).not.toContain(translate('es', 'stage.organizations.title'))
  })
})
