/**
 * One real server process and one Chromium per end-to-end file: started before its tests,
 * stopped after. `server` may be replaced by a test (a restart after `kill -9`); the new one is
 * the one stopped at the end.
 */
import type { Browser } from 'playwright-core'
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
