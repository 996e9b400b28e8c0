/**
 * Two people in two real Chromium sessions on one board, through a real server process:
 * create a board, join with a name, co-edit notes, see each other's cursor, undo only one's own
 * edits, survive a reload, a `kill -9` and a restart — and never touch another origin.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { startServer } from '../support/server.ts'
import { useServerAndBrowser } from './session.ts'

interface Person {
  name: string
  context: BrowserContext
  page: Page
}

const session = useServerAndBrowser()
let boardUrl = ''
let ana: Person
let ben: Person
const offOrigin: string[] = []

async function newPerson(name: string): Promise<Person> {
  // Separate contexts: no shared storage or BroadcastChannel, so only the server links them.
  const context = await session.browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  })
  context.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol === 'data:' || url.protocol === 'blob:') return
    if (url.host !== new URL(session.server.url).host) offOrigin.push(request.url())
  })
  return { name, context, page: await context.newPage() }
}

async function join(person: Person, url: string) {
  const { page } = person
  await page.goto(url)
  await page.getByLabel('Your name, as others will see it').fill(person.name)
  await page.getByRole('button', { name: 'Join the board' }).click()
  await waitForStatus(page, 'live')
  await page.locator('.tl-canvas').waitFor()
}

function waitForStatus(page: Page, status: string) {
  return page.locator(`[data-status="${status}"]`).waitFor({ timeout: 20_000 })
}

function notes(page: Page) {
  return page.locator('.tl-shape[data-shape-type="note"]')
}

/** The notes' texts, sorted: DOM order is not what these tests are about. */
async function noteTexts(page: Page) {
  return (await notes(page).allTextContents()).sort()
}

async function addNote(page: Page, x: number, y: number, text: string) {
  await page.locator('.tl-canvas').click({ position: { x: 20, y: 200 } })
  await page.keyboard.press('n')
  await page.mouse.click(x, y)
  // The new note opens its text editor; typing before it has focus would lose keystrokes.
  await page.waitForFunction(() => {
    const active = document.activeElement as HTMLElement | null
    return Boolean(active?.isContentEditable && active.closest('.tl-shape'))
  })
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
}

describe('live board in two browsers', () => {
  it('creates a board from the start page, named there', async () => {
    ana = await newPerson('Ana')
    await ana.page.goto(session.server.url)
    await ana.page.getByLabel('Your name, as others will see it').fill('Ana')
    await ana.page.getByRole('button', { name: 'Create board' }).click()
    await ana.page.waitForURL(/\/b\/[A-Za-z0-9_-]{8,64}$/)
    await waitForStatus(ana.page, 'live')

    // The creator facilitates; participants get the participant link from the Share dialog.
    await ana.page.getByRole('button', { name: 'Share' }).click()
    const participantLink = ana.page.getByLabel('Participant link', { exact: true })
    boardUrl = await participantLink.inputValue()
    expect(boardUrl).toMatch(/\/b\/[A-Za-z0-9_-]{8,64}#key=[A-Za-z0-9_-]{32}$/)
    await ana.page.getByRole('button', { name: 'Done' }).click()

    ben = await newPerson('Ben')
    await join(ben, boardUrl)
    await expect.poll(() => ana.page.getByTestId('peer-count').textContent()).toBe('2 people here')
  })

  it('shows a note made in one browser in the other', async () => {
    await addNote(ana.page, 500, 350, 'Childcare during evening classes')
    await expect
      .poll(() => noteTexts(ben.page), { timeout: 10_000 })
      .toEqual([expect.stringContaining('Childcare during evening classes')])
    // A screen reader on Ben's side hears it, once, politely (throttled, counted by kind).
    await expect
      .poll(() => ben.page.getByTestId('change-announcer').textContent(), { timeout: 15_000 })
      .toMatch(/^1 note added by others(; 1 note changed by others)?$/)
    expect(await ana.page.getByTestId('change-announcer').textContent()).toBe('')
  })

  it('shows each person’s cursor with their name to the other', async () => {
    for (const x of [600, 640, 680]) {
      await ana.page.mouse.move(x, 500)
      await ana.page.waitForTimeout(60)
    }
    await ben.page
      .locator('.tl-canvas')
      .getByText('Ana', { exact: true })
      .waitFor({ state: 'visible', timeout: 10_000 })
  })

  it('undoes only one’s own change', async () => {
    await addNote(ben.page, 800, 350, 'Shared intake form')
    await expect.poll(() => notes(ana.page).count(), { timeout: 10_000 }).toBe(2)
    await ana.page.locator('.tl-canvas').click({ position: { x: 20, y: 600 } })
    // tldraw undoes a new note in two steps: its text, then its creation.
    await ana.page.keyboard.press('Control+z')
    await ana.page.keyboard.press('Control+z')
    await expect
      .poll(() => noteTexts(ben.page), { timeout: 10_000 })
      .toEqual([expect.stringContaining('Shared intake form')])
    await ana.page.keyboard.press('Control+Shift+z')
    await ana.page.keyboard.press('Control+Shift+z')
    await expect
      .poll(() => noteTexts(ben.page), { timeout: 10_000 })
      .toEqual([
        expect.stringContaining('Childcare during evening classes'),
        expect.stringContaining('Shared intake form'),
      ])
  })

  it('keeps the notes across a reload', async () => {
    await ben.page.reload()
    await waitForStatus(ben.page, 'live')
    await expect.poll(() => notes(ben.page).count(), { timeout: 10_000 }).toBe(2)
  })

  it('reconnects after kill -9 and a restart, without losing edits made meanwhile', async () => {
    const { dataDir, port } = session.server
    await session.server.kill9()
    await waitForStatus(ana.page, 'reconnecting')
    await waitForStatus(ben.page, 'reconnecting')
    // Ben keeps working while the server is down.
    await addNote(ben.page, 500, 600, 'Transit passes for job fairs')

    session.server = await startServer({ dataDir, env: { PORT: String(port) } })
    await waitForStatus(ana.page, 'live')
    await waitForStatus(ben.page, 'live')
    await expect.poll(() => notes(ana.page).count(), { timeout: 15_000 }).toBe(3)

    // Presence recovers without ghosts: exactly the two of us, on both sides.
    for (const person of [ana, ben]) {
      await expect
        .poll(() => person.page.getByTestId('peer-count').textContent(), { timeout: 10_000 })
        .toBe('2 people here')
    }

    await ana.page.reload()
    await waitForStatus(ana.page, 'live')
    await expect.poll(() => notes(ana.page).count(), { timeout: 10_000 }).toBe(3)
  })

  it('made no request to any other origin', () => {
    expect(offOrigin).toEqual([])
  })
})
