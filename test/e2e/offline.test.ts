/**
 * Venue wifi drops: work goes on from this browser's copy, a reopened tab still has it, and
 * everything reaches the others once the server is back.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { startServer } from '../support/server.ts'
import '../bench/pageHandle.ts'
import { createBoard, withToken } from '../support/boards.ts'
import { useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function person(name: string): Promise<Page> {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(
    (identity) => localStorage.setItem('common-ground.identity', JSON.stringify(identity)),
    { id: `id-${name}`, name, color: '#1c7ed6' },
  )
  return context.newPage()
}

async function addNote(page: Page, text: string) {
  await page.getByRole('button', { name: 'Add sticky note' }).click()
  await page.waitForFunction(
    () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
  )
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
}

/** The notes' texts, sorted: the order notes sit in the DOM is not what these tests are about. */
const noteTexts = async (page: Page) =>
  (await page.locator('.tl-shape[data-shape-type="note"]').allTextContents()).sort()

describe('offline', () => {
  it('keeps working without the server, survives a reopened tab, and delivers on return', async () => {
    const { url } = await createBoard(session.server, { title: 'Church hall retreat' })

    const ana = await person('Ana')
    await ana.goto(url)
    await ana.locator('[data-status="live"]').waitFor()
    // The app is cached by its service worker once it controls the page.
    await ana.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await ana.reload()
    await ana.locator('[data-status="live"]').waitFor()
    await addNote(ana, 'Before the outage')

    const { dataDir, port } = session.server
    await session.server.kill9()
    await ana.locator('[data-status="reconnecting"]').waitFor()
    await addNote(ana, 'Written offline one')
    await addNote(ana, 'Written offline two')
    await expect
      .poll(() => ana.getByTestId('waiting-count').textContent())
      .toBe('2 items waiting to be sent')

    // Close and reopen the tab while the server is still gone: the board opens from this browser.
    await ana.reload()
    await ana.locator('[data-status="reconnecting"]').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => noteTexts(ana))
      .toEqual(['AnaBefore the outage', 'AnaWritten offline one', 'AnaWritten offline two'])

    session.server = await startServer({ dataDir, env: { PORT: String(port) } })
    await ana.locator('[data-status="live"]').waitFor({ timeout: 20_000 })
    expect(await ana.getByTestId('waiting-count').count()).toBe(0)

    const ben = await person('Ben')
    await ben.goto(url)
    await ben.locator('[data-status="live"]').waitFor()
    await expect
      .poll(() => noteTexts(ben).then((texts) => texts.length), { timeout: 10_000 })
      .toBe(3)
  })

  it('keeps a private note written offline through a reopened tab, and the reveal shows it', async () => {
    const { url, links } = await createBoard(session.server, { title: 'Quiet ideas' })
    const fay = await person('Fay')
    await fay.goto(url)
    await fay.locator('[data-status="live"]').waitFor()
    await fay.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await fay.reload()
    await fay.locator('[data-status="live"]').waitFor()
    await fay.getByRole('button', { name: 'People' }).click()
    const panel = fay.getByRole('complementary', { name: 'People' })
    await panel.getByLabel('Keep private the notes in').selectOption({ label: 'The whole board' })
    await panel.getByRole('button', { name: 'Make notes private' }).click()
    await addNote(fay, 'Said aloud later')
    await expect
      .poll(() => fay.getByTestId('brainstorm-notice').textContent())
      .toContain('So far 1 private note, from 1 person.')
    // …and its last keystrokes too: nothing is left unconfirmed in what this browser keeps.
    await fay.waitForFunction(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('common-ground:private-notes:'))
        .every((key) => JSON.parse(localStorage.getItem(key) ?? '{}').pending?.length === 0),
    )

    const { dataDir, port } = session.server
    await session.server.kill9()
    await fay.locator('[data-status="reconnecting"]').waitFor()
    await addNote(fay, 'Written offline, private')
    await expect
      .poll(() => fay.getByTestId('waiting-count').textContent())
      .toBe('1 item waiting to be sent')
    // The tab reopened while the server is gone: the private notes come back from this browser.
    await fay.reload()
    await fay.locator('[data-status="reconnecting"]').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => noteTexts(fay))
      .toEqual(['FaySaid aloud later', 'FayWritten offline, private'])

    session.server = await startServer({ dataDir, env: { PORT: String(port) } })
    await fay.locator('[data-status="live"]').waitFor({ timeout: 20_000 })
    await expect
      .poll(() => fay.getByTestId('brainstorm-notice').textContent(), { timeout: 10_000 })
      .toContain('So far 2 private notes, from 1 person.')
    // Someone else sees none of them until the reveal, then both.
    const ben = await person('Ben')
    await ben.goto(links.edit)
    await ben.locator('[data-status="live"]').waitFor()
    expect(await noteTexts(ben)).toEqual([])
    // The reload closed the panel.
    if (!(await panel.isVisible())) await fay.getByRole('button', { name: /^People/ }).click()
    await panel.getByRole('button', { name: 'Reveal everyone’s notes' }).click()
    await expect
      .poll(() => noteTexts(ben), { timeout: 10_000 })
      .toEqual(['Said aloud later', 'Written offline, private'])
  })

  it('merges 30 edits made offline with 30 made meanwhile by someone else', async () => {
    const { url } = await createBoard(session.server, { title: 'Library retreat' })
    const ana = await person('Ana')
    const ben = await person('Ben')
    for (const page of [ana, ben]) {
      await page.goto(url)
      await page.locator('[data-status="live"]').waitFor()
    }

    await ana.context().setOffline(true)
    await ana.locator('[data-status="offline"]').waitFor()
    const addThirty = (page: Page, row: number) =>
      page.evaluate((y) => {
        for (let i = 0; i < 30; i++)
          window.commonGround.editor.createShape({ type: 'note', x: i * 220, y })
      }, row)
    await addThirty(ana, 0)
    await addThirty(ben, 400)
    await expect
      .poll(() => ana.getByTestId('waiting-count').textContent())
      .toBe('30 items waiting to be sent')
    const shapeCount = (page: Page) =>
      page.evaluate(() => window.commonGround.editor.getCurrentPageShapes().length)
    expect(await shapeCount(ana)).toBe(30)

    await ana.context().setOffline(false)
    await ana.locator('[data-status="live"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => shapeCount(ana), { timeout: 10_000 }).toBe(60)
    await expect.poll(() => shapeCount(ben), { timeout: 10_000 }).toBe(60)
  })

  it('forgets a board’s local copy on request, leaving the board on the server', async () => {
    const { id, url } = await createBoard(session.server, { title: 'Board to forget' })
    const ana = await person('Ana')
    await ana.goto(url)
    await ana.locator('[data-status="live"]').waitFor()
    const localCopies = () =>
      ana.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''))
    await expect.poll(localCopies).toContain(`common-ground/board/${id}`)

    await ana.goto(session.server.url)
    ana.once('dialog', (dialog) => dialog.accept())
    await ana.getByRole('button', { name: 'Forget “Board to forget” on this device' }).click()
    await expect.poll(localCopies).not.toContain(`common-ground/board/${id}`)
    expect(await ana.getByRole('link', { name: 'Board to forget' }).count()).toBe(0)
    expect((await fetch(withToken(`${session.server.url}/api/boards/${id}`, id))).status).toBe(200)
  })
})
