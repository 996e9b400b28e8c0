/**
 * Typing into a note the moment it opens for writing: the text editor of a new note starts up
 * in timers of its own, and the first keys may arrive before those run (a fast typist, a busy
 * page on venue wifi that just dropped). They must stay where they were typed, in order.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const noteTexts = async (page: Page) =>
  (await page.locator('.tl-shape[data-shape-type="note"]').allTextContents()).sort()

describe('typing into a new note', () => {
  it('keeps the first keys in order when they come before the text editor has started', async () => {
    const { url } = await createBoard(session.server, { title: 'Quick typist' })
    const ana = await openBoardAs(session.browser, url, 'Ana')
    const button = await ana.getByRole('button', { name: 'Add sticky note' }).elementHandle()

    // The click, the note's editor taking the focus and the first keys, all in one task: none
    // of the text editor's start-up timers has run when the first letters are in.
    const typedEarly = await ana.evaluate(async (add) => {
      ;(add as HTMLButtonElement).click()
      const editable = () => (document.activeElement as HTMLElement | null)?.isContentEditable
      for (let i = 0; i < 20 && !editable(); i++) await Promise.resolve()
      if (!editable()) return false
      return document.execCommand('insertText', false, 'Writte')
    }, button)
    expect(typedEarly).toBe(true)
    // The rest, key by key, once those timers have had their turn.
    await ana.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))
    await ana.keyboard.type('n at once')
    await ana.keyboard.press('Escape')

    await expect.poll(() => noteTexts(ana)).toEqual(['AnaWritten at once'])
  })
})
