/**
 * Running the room in two browsers: the facilitator (A, facilitate link) starts the timer and
 * moves the agenda; the participant (B, edit link) sees both, jumps to a stage, is brought to
 * the facilitator's view, follows the facilitator and stops by moving.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { seriousViolations } from './axe.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

type Box = { x: number; y: number; w: number; h: number }
interface CameraEditor {
  getViewportPageBounds(): Box
  getShapePageBounds(id: string): Box | undefined
  getInstanceState(): { followingUserId: string | null }
  setCamera(camera: { x: number; y: number; z: number }): void
  getCamera(): { x: number; y: number; z: number }
}
const viewport = (page: Page) =>
  page.evaluate(() =>
    (window.commonGround.editor as unknown as CameraEditor).getViewportPageBounds(),
  )
/** The page's view holds the whole shape, which fills at least half its width or height. */
const showsWhole = (page: Page, id: string) =>
  page.evaluate((id) => {
    const editor = window.commonGround.editor as unknown as CameraEditor
    const frame = editor.getShapePageBounds(id)
    const view = editor.getViewportPageBounds()
    if (!frame) return false
    const inside =
      view.x <= frame.x + 1 &&
      view.y <= frame.y + 1 &&
      view.x + view.w >= frame.x + frame.w - 1 &&
      view.y + view.h >= frame.y + frame.h - 1
    return inside && Math.max(frame.w / view.w, frame.h / view.h) >= 0.5
  }, id)
const center = (box: Box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 })
const distance = (a: Box, b: Box) =>
  Math.hypot(center(a).x - center(b).x, center(a).y - center(b).y)

describe('running the room', () => {
  it('shares the timer and the agenda, gathers and follows', async () => {
    const { links } = await createBoard(session.server, {
      title: 'Running the room',
      template: 'retreat',
    })
    const ana = await person(links.facilitate, 'Ana')
    const ben = await person(links.edit, 'Ben')

    // Participants see no timer until one is set, and no controls for it.
    expect(await ben.getByTestId('room-timer').count()).toBe(0)

    // A starts a 5-minute countdown.
    await ana.getByTestId('room-timer').click()
    // Typed on the keyboard and sent with Enter (tldraw's shortcuts leave the field alone).
    await ana.getByLabel('Minutes (1–180)').fill('')
    await ana.getByLabel('Minutes (1–180)').pressSequentially('5')
    await ana.getByLabel('Minutes (1–180)').press('Enter')
    const benTimer = ben.getByTestId('timer-left')
    await expect.poll(() => benTimer.getAttribute('data-state')).toBe('running')
    expect(await benTimer.textContent()).toMatch(/^(5:00|4:5\d)$/)
    // The time left goes down on B's screen by itself.
    const first = await benTimer.textContent()
    await expect.poll(() => benTimer.textContent(), { timeout: 3000 }).not.toBe(first)

    // Pause and a minute more reach B; B has only the sound choice, no controls.
    await ana.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => benTimer.getAttribute('data-state')).toBe('paused')
    await ana.getByRole('button', { name: 'Add a minute' }).click()
    await expect.poll(() => benTimer.textContent()).toMatch(/^5:5\d · paused$/)
    await ben.getByTestId('room-timer').click()
    const benPanel = ben.locator('.cg-timer .cg-room-panel')
    await benPanel.waitFor()
    expect(await benPanel.getByRole('button').count()).toBe(0)
    await ben.getByLabel('Play a soft sound on this device when time is up').check()
    await ben.keyboard.press('Escape')
    expect(await ben.getByTestId('room-timer').getAttribute('aria-expanded')).toBe('false')
    await ana.keyboard.press('Escape')

    // A countdown with 2 s left (written as A's client would, on the server's clock): at zero
    // B's chip says so, glows, and the live region announces it once.
    await ana.evaluate(() => {
      const { connection } = window.commonGround as unknown as {
        connection: { doc: { getMap(name: string): { set(key: string, value: unknown): void } } }
      }
      connection.doc
        .getMap('facilitation')
        .set('timer', { durationMs: 60_000, startedAt: Date.now(), remainingMs: 2000 })
    })
    await expect.poll(() => benTimer.getAttribute('data-state'), { timeout: 5000 }).toBe('ended')
    expect(await benTimer.textContent()).toBe('Time is up')
    expect(await ben.getByTestId('timer-announcement').textContent()).toBe('Time is up')
    expect(await ben.locator('.cg-timer-pulse').count()).toBe(1)
    await ana.getByTestId('room-timer').click()
    await ana.getByRole('button', { name: 'End the timer' }).click()
    await expect.poll(() => ben.getByTestId('room-timer').count()).toBe(0)

    // A moves the group to the first stage, then the next, by keyboard.
    await ana.getByTestId('agenda').focus()
    await ana.keyboard.press('Enter')
    await ana.getByRole('button', { name: 'Next stage' }).click()
    await expect
      .poll(() => ben.getByTestId('current-stage').textContent())
      .toBe('0 · Why partner? Are we ready?')
    await ana.getByRole('button', { name: 'Next stage' }).press('Enter')
    await expect
      .poll(() => ben.getByTestId('stage-highlight').getAttribute('data-stage'))
      .toBe('organizations')
    await expect
      .poll(() => ben.getByTestId('agenda-announcement').textContent())
      .toContain('The group is now on:')

    // B sees the current stage marked in the agenda and jumps to another stage.
    await ben.getByTestId('agenda').click()
    const now = ben.locator('li[aria-current="step"]')
    expect(await now.textContent()).toContain('Now')
    expect(await seriousViolations(ben)).toEqual([])
    await ben.getByRole('button', { name: 'Go to 3 · Issues we could take on' }).click()
    await expect.poll(() => showsWhole(ben, 'shape:stage-issues')).toBe(true)

    // "Bring everyone here": B's view moves to A's.
    await ana.evaluate(() => {
      ;(window.commonGround.editor as unknown as CameraEditor).setCamera({
        x: -3000,
        y: -2000,
        z: 0.5,
      })
    })
    await ana.getByRole('button', { name: 'Bring everyone here' }).click()
    const anaView = await viewport(ana)
    await expect.poll(async () => distance(await viewport(ben), anaView)).toBeLessThan(5)
    await expect
      .poll(() => ben.getByTestId('agenda-announcement').textContent())
      .toBe('The facilitator brought everyone’s view here.')

    // Straight after a stage change, while A's own view is still on its way there (both clicks
    // in one task): everyone is brought to the whole stage, not to where the move had got to.
    await ana.evaluate(() => {
      const button = (name: string) =>
        [...document.querySelectorAll('button')].find((each) => each.textContent === name)
      button('Previous stage')?.click()
      button('Bring everyone here')?.click()
    })
    await expect.poll(() => showsWhole(ben, 'shape:stage-readiness')).toBe(true)
    await ana.keyboard.press('Escape')

    // B follows the facilitator: A's later moves carry B along, until B moves by itself.
    await ben.getByTestId('follow').click()
    await ben.getByRole('button', { name: 'Follow the facilitator' }).click()
    await expect.poll(() => ben.getByTestId('follow').textContent()).toBe('Following Ana')
    await ana.evaluate(() => {
      ;(window.commonGround.editor as unknown as CameraEditor).setCamera({ x: -500, y: -300, z: 1 })
    })
    const anaMoved = await viewport(ana)
    await expect.poll(async () => distance(await viewport(ben), anaMoved)).toBeLessThan(5)
    await ben.mouse.move(700, 500)
    await ben.mouse.wheel(0, 300)
    await expect
      .poll(() =>
        ben.evaluate(
          () =>
            (window.commonGround.editor as unknown as CameraEditor).getInstanceState()
              .followingUserId,
        ),
      )
      .toBeNull()
    expect(await ben.getByTestId('follow').textContent()).toBe('Follow')
  })
})
