/**
 * One real server process and one Chromium per end-to-end file: started before its tests,
 * stopped after. `server` may be replaced by a test (a restart after `kill -9`); the new one is
 * the one stopped at the end.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { type RunningServer, startServer } from '../support/server.ts'
import { launchChromium } from './browser.ts'

export interface E2eSession {
  server: RunningServer
  browser: Browser
}

export function useServerAndBrowser(): E2eSession {
  const session = {} as E2eSession
  beforeAll(async () => {
    session.server = await startServer()
    session.browser = await launchChromium()
  })
  afterAll(async () => {
    await session.browser?.close()
    await session.server?.stop()
  })
  return session
}

/**
 * A person opening a board link in a fresh browser context, already named (no join dialog),
 * once the board is live. `initScript` runs in the page before the app does (e.g. keyboard.ts'
 * `COUNT_POINTER_EVENTS`, for a keyboard-only person).
 */
export async function openBoardAs(
  browser: Browser,
  url: string,
  name: string,
  options: BrowserContextOptions = {},
  initScript?: () => void,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options })
  if (initScript) await context.addInitScript(initScript)
  await context.addInitScript(
    (identity) => localStorage.setItem('common-ground.identity', JSON.stringify(identity)),
    { id: `id-${name}`, name, color: '#1c7ed6' },
  )
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-status="live"]').waitFor()
  return page
}

/** The Progress view's address for one of a board's links (its key stays in the fragment). */
export const progressUrl = (link: string, boardId: string): string =>
  link.replace(`/b/${boardId}`, `/b/${boardId}/progress`)

/**
 * A person opening the Progress view in a fresh browser context, named (or, with `null`, not
 * yet), in Spanish when `locale` says so, once the page is live.
 */
export async function openProgressAs(
  browser: Browser,
  url: string,
  name: string | null,
  options: BrowserContextOptions,
  locale?: 'es',
): Promise<Page> {
  const context = await browser.newContext(options)
  await context.addInitScript(
    ({ name, locale }) => {
      if (name) {
        localStorage.setItem(
          'common-ground.identity',
          JSON.stringify({ id: `id-${name}`, name, color: '#1c7ed6' }),
        )
      }
      if (locale) localStorage.setItem('common-ground.locale', locale)
    },
    { name, locale },
  )
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-status="live"]').waitFor()
  return page
}
