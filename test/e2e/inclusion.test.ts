/**
 * Everyone can take part: no serious accessibility violations on the screens that exist, a
 * Spanish-speaking participant gets Spanish (ours and tldraw's UI), keyboard alone can add and
 * share a note, and a phone can join and add one.
 */
import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { joinAndAddNoteByTouch, PHONE } from './boardSteps.ts'
import { useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function newBoard(title = 'Inclusion check'): Promise<string> {
  return (await createBoard(session.server, { title })).url
}

async function open(url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await session.browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...options,
  })
  const page = await context.newPage()
  await page.goto(url)
  return page
}

function notes(page: Page) {
  return page.locator('.tl-shape[data-shape-type="note"]')
}

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation on start, join, board and plan screens (${colorScheme})`, async () => {
      const page = await open(session.server.url, { colorScheme })
      expect(await seriousViolations(page)).toEqual([])

      await page.goto(await newBoard())
      await page.getByRole('dialog').waitFor()
      expect(await seriousViolations(page)).toEqual([])

      await page.getByLabel('Your name, as others will see it').fill('Ana')
      await page.keyboard.press('Enter')
      await page.locator('[data-status="live"]').waitFor()
      expect(await seriousViolations(page)).toEqual([])

      await page.getByRole('button', { name: 'Plan' }).click()
      await page.getByRole('complementary', { name: 'Partnership plan' }).waitFor()
      expect(await seriousViolations(page)).toEqual([])
      await page.context().close()
    })
  }
})

describe('Spanish', () => {
  it('follows a Spanish browser: our screens and tldraw’s own UI', async () => {
    const page = await open(session.server.url, { locale: 'es-MX' })
    await page.getByRole('heading', { name: 'Crea un tablero para tu retiro' }).waitFor()
    await page.getByLabel('Tu nombre, tal como lo verán los demás').fill('Rosa')
    await page.getByRole('button', { name: 'Crear tablero' }).click()
    await page.locator('[data-status="live"]').waitFor()
    expect(await page.locator('[data-status="live"]').textContent()).toContain('En vivo')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es')
    // The start page's default template, laid out in the creator's language.
    const boardId = new URL(page.url()).pathname.split('/').pop()
    // The creator's browser keeps the facilitate key (out of the address bar).
    const token = await page.evaluate(
      (id) =>
        JSON.parse(localStorage.getItem('common-ground.board-keys') ?? '{}')[id as string]?.token,
      boardId,
    )
    const board = await (
      await fetch(`${session.server.url}/api/boards/${boardId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()
    expect(board.template).toBe('retreat')
    await page.getByText('1 · Nuestras organizaciones').first().waitFor({ state: 'attached' })
    // tldraw's toolbar switches with us (it ships its own Spanish).
    await expect
      .poll(() => page.locator('[data-testid="tools.select"]').getAttribute('aria-label'))
      .toMatch(/Seleccionar/)
    await page.context().close()
  })

  it('switches language per person at any time, without reloading', async () => {
    const page = await open(session.server.url, { locale: 'en-US' })
    await page.getByRole('heading', { name: 'Start a board for your retreat' }).waitFor()
    await page.getByLabel('Language').selectOption('es')
    await page.getByRole('heading', { name: 'Crea un tablero para tu retiro' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: 'Crea un tablero para tu retiro' }).waitFor()
    await page.context().close()
  })
})

describe('keyboard only', () => {
  it('joins, adds a note and writes in it with no mouse event at all', async () => {
    const url = await newBoard('Keyboard board')
    const watcher = await open(url)
    await watcher.getByLabel('Your name, as others will see it').fill('Watcher')
    await watcher.keyboard.press('Enter')
    await watcher.locator('[data-status="live"]').waitFor()

    const page = await open(url)
    // Like a person, type once the name field is there; it takes the focus by itself.
    await page.getByRole('dialog').waitFor()
    await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
    await page.keyboard.type('Keyboard user')
    await page.keyboard.press('Enter')
    await page.locator('[data-status="live"]').waitFor()
    let reached = false
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab')
      reached = await page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') === 'Add sticky note',
      )
    }
    expect(reached).toBe(true)
    // The focused control shows a visible focus ring.
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    )
    expect(outline).not.toBe('none')
    await page.keyboard.press('Enter')
    await page.waitForFunction(
      () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
    )
    await page.keyboard.type('Bus passes for evening classes')
    await page.keyboard.press('Escape')
    await expect
      .poll(() => notes(watcher).allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringContaining('Bus passes for evening classes')])
    await page.context().close()
    await watcher.context().close()
  })
})

describe('phone', () => {
  it('joins and adds a note on a phone-sized touch screen', async () => {
    const url = await newBoard('Phone board')
    const page = await open(url, PHONE)
    await joinAndAddNoteByTouch(page, 'Lupe', 'Childcare at the library')
    await expect
      .poll(() => notes(page).allTextContents())
      .toEqual([expect.stringContaining('Childcare at the library')])
    const box = await page.getByRole('button', { name: 'Add sticky note' }).boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true)
    await page.screenshot({ path: screenshotPath('inclusion-phone.png') })
    await page.context().close()
  })
})
