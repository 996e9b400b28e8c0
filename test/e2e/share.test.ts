/**
 * The Share dialog as a facilitator opens it at a retreat: the participant link first and in
 * focus (not the facilitator link, which may be on a projector), a QR code of it drawn in the
 * page, and a warning when the page was opened at 127.0.0.1, whose links open nothing on a
 * phone; with the server on the venue LAN (HOST=0.0.0.0), the same links at its LAN address,
 * which really open the board. At 1280×800 and on a 390×844 phone, with no serious axe finding.
 */
import type { BrowserContextOptions, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { seriousViolations } from './axe.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
}

/** Every request the page makes, to check none leaves its own origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  return urls
}

async function openShare(page: Page): Promise<Locator> {
  const share = page.getByRole('button', { name: 'Share' })
  // On a phone the bar may not have room for every button yet: reach it as a keyboard would.
  if (await share.isVisible()) await share.click()
  else await share.evaluate((button: HTMLButtonElement) => button.click())
  const dialog = page.getByRole('dialog', { name: 'Share this board' })
  await dialog.waitFor()
  return dialog
}

/** The QR code: an SVG named for screen readers, black modules on a white square. */
async function checkQr(dialog: Locator) {
  const qr = dialog.getByRole('img', { name: 'QR code of the participant link' })
  expect(await qr.count()).toBe(1)
  expect(await qr.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg')
  const drawing = await qr.evaluate((svg) => ({
    path: svg.querySelector('path')?.getAttribute('d') ?? '',
    dark: svg.querySelector('path')?.getAttribute('fill'),
    light: svg.querySelector('rect')?.getAttribute('fill'),
    viewBox: svg.getAttribute('viewBox') ?? '',
  }))
  expect(drawing.path.length).toBeGreaterThan(500)
  expect(drawing.dark).toBe('#000000')
  expect(drawing.light).toBe('#ffffff')
  // A quiet zone of 4 modules around it.
  expect(drawing.viewBox).toMatch(/^-4 -4 \d+ \d+$/)
  await qr.scrollIntoViewIfNeeded()
  const box = await qr.boundingBox()
  expect(box?.width).toBeGreaterThanOrEqual(200)
  expect(box?.height).toBeGreaterThanOrEqual(200)
  return { qr, path: drawing.path }
}

/** Every control of the dialog: at least 24×24 CSS px, inside the viewport's width. */
async function checkControls(page: Page, dialog: Locator) {
  const width = page.viewportSize()?.width ?? 0
  const controls = dialog.locator('button, input, select')
  for (let i = 0; i < (await controls.count()); i++) {
    const control = controls.nth(i)
    await control.scrollIntoViewIfNeeded()
    const box = await control.boundingBox()
    const name = (await control.getAttribute('aria-label')) ?? (await control.textContent())
    expect(box, `${name}`).not.toBeNull()
    if (!box) continue
    expect(box.width, `${name}`).toBeGreaterThanOrEqual(24)
    expect(box.height, `${name}`).toBeGreaterThanOrEqual(24)
    expect(box.x, `${name}`).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width, `${name}`).toBeLessThanOrEqual(width)
  }
  const dialogBox = await dialog.boundingBox()
  expect(dialogBox?.x).toBeGreaterThanOrEqual(0)
  expect((dialogBox?.x ?? 0) + (dialogBox?.width ?? 0)).toBeLessThanOrEqual(width)
  // Taller than the screen, the dialog scrolls instead of running off it.
  const viewportHeight = page.viewportSize()?.height ?? 0
  expect((dialogBox?.y ?? 0) + (dialogBox?.height ?? 0)).toBeLessThanOrEqual(viewportHeight)
}

/** What has focus: its accessible label, and whether any text of a link is selected. */
const focusOf = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null
    const selected = [...document.querySelectorAll('dialog input')].some(
      (input) =>
        (input as HTMLInputElement).selectionEnd !== (input as HTMLInputElement).selectionStart &&
        input === document.activeElement,
    )
    return {
      label: active?.getAttribute('aria-label') ?? active?.textContent ?? '',
      tag: active?.tagName.toLowerCase(),
      outline: active ? getComputedStyle(active).outlineStyle : 'none',
      selected,
    }
  })

async function checkDialog(page: Page, board: { links: Record<string, string> }, shot: string) {
  const requests = recordRequests(page)
  const dialog = await openShare(page)

  // Participant first, then observer and facilitator, the calendar link last; the participant
  // link's Copy button has the focus.
  expect(await dialog.locator('.cg-share-name').allTextContents()).toEqual([
    'Participant link',
    'Observer link',
    'Facilitator link',
    'Calendar link',
  ])
  expect(await dialog.getByLabel('Calendar link', { exact: true }).inputValue()).toBe(
    board.links.calendar,
  )
  expect(await dialog.getByLabel('Participant link', { exact: true }).inputValue()).toBe(
    board.links.edit,
  )
  const opened = await focusOf(page)
  expect(opened).toMatchObject({ label: 'Copy the Participant link', tag: 'button' })
  expect(opened.selected).toBe(false)

  // This page is at 127.0.0.1, and so is the server: both are said.
  const warning = dialog.getByTestId('share-loopback')
  expect(await warning.textContent()).toContain('These links only work on this computer')
  await expect
    .poll(() => warning.textContent())
    .toContain('People on the network cannot reach the server either')
  expect(await warning.textContent()).toContain('HOST=0.0.0.0')

  const { path } = await checkQr(dialog)

  // Keyboard: Tab moves on to the next control with a visible focus ring.
  await page.keyboard.press('Tab')
  const next = await focusOf(page)
  expect(next.label).toBe('Replace the Participant link')
  expect(next.outline).not.toBe('none')

  await checkControls(page, dialog)
  expect(await seriousViolations(page, 'dialog[open]')).toEqual([])

  await dialog.getByRole('heading', { name: 'Share this board' }).scrollIntoViewIfNeeded()
  await page.screenshot({ path: shot })

  // Nothing left the page's own origin (the QR code is drawn here).
  const origin = new URL(page.url()).origin
  expect(requests.filter((url) => !url.startsWith(origin) && !/^(data|blob):/.test(url))).toEqual(
    [],
  )
  return { dialog, path }
}

describe('the Share dialog', () => {
  it('at 1280×800: participant link first, its QR code, a loopback warning', async () => {
    const board = await createBoard(session.server, { title: 'Share at 1280', template: 'retreat' })
    const ana = await openBoardAs(session.browser, board.links.facilitate, 'Ana', LAPTOP)
    const { dialog, path } = await checkDialog(ana, board, screenshotPath('share-1280.png'))

    // A new participant link gets a new QR code.
    ana.once('dialog', (confirm) => confirm.accept())
    await dialog.getByRole('button', { name: 'Replace the Participant link' }).click()
    await expect
      .poll(() => dialog.getByLabel('Participant link', { exact: true }).inputValue())
      .not.toBe(board.links.edit)
    const qr = dialog.getByRole('img', { name: 'QR code of the participant link' })
    expect(await qr.locator('path').getAttribute('d')).not.toBe(path)

    // The calendar link is replaced like the others, with its own warning; the old one stops.
    const newEdit = await dialog.getByLabel('Participant link', { exact: true }).inputValue()
    const asked = new Promise<string>((resolve) =>
      ana.once('dialog', (confirm) => {
        resolve(confirm.message())
        void confirm.accept()
      }),
    )
    await dialog.getByRole('button', { name: 'Replace the Calendar link' }).click()
    expect(await asked).toContain('Calendars subscribed with the current one stop updating')
    const calendar = dialog.getByLabel('Calendar link', { exact: true })
    await expect.poll(() => calendar.inputValue()).not.toBe(board.links.calendar)
    expect((await fetch(board.links.calendar as string)).status).toBe(403)
    expect((await fetch(await calendar.inputValue())).status).toBe(200)
    expect(await dialog.getByLabel('Participant link', { exact: true }).inputValue()).toBe(newEdit)

    // In tldraw's dark theme the code stays black on white, and everything readable.
    await ana.evaluate(() =>
      (
        window.commonGround.editor as unknown as {
          user: { updateUserPreferences(p: { colorScheme: string }): void }
        }
      ).user.updateUserPreferences({ colorScheme: 'dark' }),
    )
    await ana.waitForTimeout(200)
    expect(await qr.locator('rect').getAttribute('fill')).toBe('#ffffff')
    expect(await seriousViolations(ana, 'dialog[open]')).toEqual([])
    await ana.screenshot({ path: screenshotPath('share-1280-dark.png') })

    // Escape closes it and the focus goes back to the page.
    await ana.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    await ana.context().close()
  })

  it('at 390×844: the same, scrolled within the screen', async () => {
    const board = await createBoard(session.server, { title: 'Share on a phone' })
    const ana = await openBoardAs(session.browser, board.links.facilitate, 'Ana', PHONE)
    const { dialog } = await checkDialog(ana, board, screenshotPath('share-390.png'))
    // The rest of it, scrolled within the dialog.
    await dialog.evaluate((element) => {
      element.scrollTop = element.scrollHeight
    })
    await ana.screenshot({ path: screenshotPath('share-390-end.png') })
    await ana.context().close()
  })

  it('says it in Spanish', async () => {
    const board = await createBoard(session.server, { title: 'Compartir', locale: 'es' })
    const ana = await openBoardAs(session.browser, board.links.facilitate, 'Ana', {
      ...LAPTOP,
      locale: 'es-ES',
    })
    const share = ana.getByRole('button', { name: 'Compartir' })
    await share.click()
    const dialog = ana.getByRole('dialog', { name: 'Compartir este tablero' })
    expect(await dialog.locator('.cg-share-name').first().textContent()).toBe(
      'Enlace de participantes',
    )
    expect(
      await dialog.getByRole('img', { name: 'Código QR del enlace de participantes' }).count(),
    ).toBe(1)
    expect(await dialog.getByTestId('share-loopback').textContent()).toContain(
      'Estos enlaces solo funcionan en esta computadora',
    )
    await ana.context().close()
  })
})

describe('the Share dialog with the server on the venue LAN (HOST=0.0.0.0)', () => {
  let lanServer: RunningServer
  beforeAll(async () => {
    lanServer = await startServer({ env: { HOST: '0.0.0.0' } })
  })
  afterAll(async () => {
    await lanServer?.stop()
    if (lanServer) await removeDataDir(lanServer.dataDir)
  })

  it('offers the links at its LAN address, with the QR code of that participant link', async () => {
    const here = `http://127.0.0.1:${lanServer.port}`
    const answer = (await (await fetch(`${here}/api/server`)).json()) as {
      lanAddresses: string[]
      port: number
    }
    const lan = answer.lanAddresses[0]
    // A machine with no network interface has nothing to offer: nothing more to see.
    if (!lan) return

    const board = await createBoard({ ...lanServer, url: here }, { title: 'Venue LAN' })
    const ana = await openBoardAs(session.browser, board.links.facilitate, 'Ana', LAPTOP)
    const dialog = await openShare(ana)
    const lanEdit = dialog.getByTestId('share-lan-link-edit')
    await lanEdit.waitFor()
    const atLan = (link: string) =>
      link.replace(`127.0.0.1:${lanServer.port}`, `${lan}:${answer.port}`)
    expect(await lanEdit.inputValue()).toBe(atLan(board.links.edit))
    expect(
      await dialog.getByLabel('Observer link on the network', { exact: true }).inputValue(),
    ).toBe(atLan(board.links.view))
    expect(
      await dialog.getByLabel('Facilitator link on the network', { exact: true }).inputValue(),
    ).toBe(atLan(board.links.facilitate))
    // Network links first, participant first; the local ones after them.
    expect(await dialog.locator('.cg-share-name').allTextContents()).toEqual([
      'Participant link on the network',
      'Observer link on the network',
      'Facilitator link on the network',
      'Calendar link on the network',
      'Participant link',
      'Observer link',
      'Facilitator link',
      'Calendar link',
    ])
    // The calendar feed at the network address opens for a calendar app there.
    const lanCalendar = await dialog
      .getByLabel('Calendar link on the network', { exact: true })
      .inputValue()
    expect(lanCalendar).toBe(atLan(board.links.calendar as string))
    expect((await fetch(lanCalendar)).headers.get('content-type')).toBe(
      'text/calendar; charset=utf-8',
    )
    const warning = await dialog.getByTestId('share-loopback').textContent()
    expect(warning).toContain('These links only work on this computer')
    expect(warning).toContain("Give people the links at this computer's network address")
    expect(warning).not.toContain('HOST=0.0.0.0')
    // One QR code, beside the network participant link.
    await checkQr(dialog)
    expect(
      await dialog
        .locator('li', { has: ana.getByTestId('share-lan-link-edit') })
        .getByRole('img', { name: 'QR code of the participant link' })
        .count(),
    ).toBe(1)
    expect(
      await dialog
        .getByRole('button', { name: 'Copy the Participant link on the network' })
        .count(),
    ).toBe(1)
    expect(await seriousViolations(ana, 'dialog[open]')).toEqual([])
    await ana.screenshot({ path: screenshotPath('share-lan-1280.png') })

    // The network link opens the board for someone else, and their page warns of nothing.
    const ben = await openBoardAs(session.browser, await lanEdit.inputValue(), 'Ben', PHONE)
    expect(new URL(ben.url()).hostname).toBe(lan)
    const facilitatorOnLan = await openBoardAs(
      session.browser,
      atLan(board.links.facilitate),
      'Cleo',
      LAPTOP,
    )
    const lanDialog = await openShare(facilitatorOnLan)
    expect(await lanDialog.getByTestId('share-loopback').count()).toBe(0)
    expect(await lanDialog.getByLabel('Participant link', { exact: true }).inputValue()).toBe(
      atLan(board.links.edit),
    )
    await checkQr(lanDialog)
    for (const page of [ana, ben, facilitatorOnLan]) await page.context().close()
  })
})
