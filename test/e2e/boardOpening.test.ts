/**
 * A board starts opening before its page's code has arrived (issue 22): the link is checked and
 * the sync socket opened while the browser still fetches tldraw, and the board page then uses
 * that one socket instead of opening another. (That someone still choosing a name is not counted
 * meanwhile is dayItself.test.ts'.)
 */
import { note } from '@common-ground/shared/fixtures'
import type { Page, Route } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { connectClient, heldByAnotherClient } from '../support/yclient.ts'
import { useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

/** Holds the board page's code (the tldraw chunk) until `release` is called. */
async function holdBoardPageCode(page: Page): Promise<{ held: Promise<void>; release(): void }> {
  let release = () => {}
  let sawRequest = () => {}
  const held = new Promise<void>((resolve) => {
    sawRequest = resolve
  })
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  await page.route(/\/assets\/BoardPage-[^/]*\.js$/, async (route: Route) => {
    sawRequest()
    await released
    await route.continue()
  })
  return { held, release }
}

describe('opening a board', () => {
  it('syncs the board over one socket opened before the board page’s code arrives', async () => {
    const board = await createBoard(session.server, { title: 'Early' })
    const writer = connectClient(session.server.wsUrl, board.id)
    await writer.whenSynced()
    writer.board.records.set('shape:early', note('early', 'Rides', { x: 0, y: 0 }))
    await heldByAnotherClient(session.server.wsUrl, board.id, 'shape:early')

    const context = await session.browser.newContext()
    await context.addInitScript(() =>
      localStorage.setItem(
        'common-ground.identity',
        JSON.stringify({ id: 'id-Ana', name: 'Ana', color: '#1c7ed6' }),
      ),
    )
    const page = await context.newPage()
    const sockets: string[] = []
    page.on('websocket', (socket) => {
      if (socket.url().includes('/sync/')) sockets.push(socket.url())
    })
    const code = await holdBoardPageCode(page)
    const opening = page.goto(board.url)
    await code.held
    // The page's code is still held back, and the board's socket is already open.
    await expect.poll(() => sockets.length).toBe(1)
    expect(await page.locator('.tl-container').count()).toBe(0)
    code.release()
    await opening
    await page.locator('[data-status="live"]').waitFor()
    await page.waitForFunction(() =>
      Boolean(window.commonGround.editor.getShape('shape:early' as never)),
    )
    // The board page took that socket: still one.
    expect(sockets).toHaveLength(1)
    writer.destroy()
    await context.close()
  })
})
