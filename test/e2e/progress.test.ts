/**
 * The Progress view end to end (issue 19, progress): a step's owner (Ana, on a phone in Los
 * Angeles, with the participant link) posts a status and one line from `/b/<id>/progress` with a
 * few taps; the facilitator's Progress view (Fran, at a desk in Madrid) changes live, and Fran
 * posts one by keyboard alone that reaches Ana's phone; overdue and due soon come first, on each
 * reader's calendar; "our commitments" lists each organization's; a view link reads it all in
 * Spanish and can post nothing; the page never loads tldraw; axe finds no serious or critical
 * violation on any of them.
 */
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import {
  addStep,
  localDate,
  type PartnershipPlan,
  setActionIssue,
  setCommitment,
} from '@common-ground/shared/plan'
import type { BrowserContextOptions, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createBoard, withToken } from '../support/boards.ts'
import { connectClient } from '../support/yclient.ts'
import { seriousViolations } from './axe.ts'
import { PHONE } from './boardSteps.ts'
import { tabTo } from './keyboard.ts'
import { openProgressAs, progressUrl, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const DAY = 86_400_000
const HOUSING = 'shape:issueHousing'
const ORG = 'shape:orgEastside'

async function openProgress(
  url: string,
  name: string | null,
  options: BrowserContextOptions,
  locale?: 'es',
): Promise<Page> {
  const page = await openProgressAs(session.browser, url, name, options, locale)
  await page.getByTestId('progress-steps').waitFor()
  return page
}

/** A step's card, by its "what". */
const card = (page: Page, what: string): Locator =>
  page.getByTestId('progress-steps').getByRole('article', { name: what, exact: true })

describe('the Progress view', () => {
  it('an owner updates a step from a phone; the facilitator’s view changes live', async () => {
    const board = await createBoard(session.server, { title: 'Eastside partnership' })
    // The plan as the day left it, written by the facilitator's own client.
    const seed = connectClient(session.server.wsUrl, board.id)
    await seed.whenSynced()
    const today = localDate(Date.now(), 'America/Los_Angeles')
    const dayFrom = (days: number) =>
      localDate(Date.parse(`${today}T12:00:00Z`) + days * DAY, 'UTC')
    putRecords(seed.doc, [organizationCard('orgEastside', { name: 'Eastside Housing Authority' })])
    setActionIssue(seed.doc, HOUSING, {
      title: 'Safe housing for families',
      rank: 1,
      sessionId: null,
    })
    setCommitment(seed.doc, HOUSING, ORG, 'takesOn', 'Host the monthly meetings')
    addStep(seed.doc, HOUSING, {
      id: 'later',
      what: 'Write the MOU',
      person: 'Fran',
      due: dayFrom(40),
      order: 'a1',
    })
    addStep(seed.doc, HOUSING, {
      id: 'hall',
      what: 'Book the hall',
      person: 'Ana',
      organization: ORG,
      due: dayFrom(-3),
      order: 'a2',
    })
    addStep(seed.doc, HOUSING, {
      id: 'flyer',
      what: 'Print the flyer',
      person: 'Ana',
      due: dayFrom(2),
      order: 'a3',
    })
    // Held by the server (its plan.json has all three) before anyone opens the page.
    await expect
      .poll(
        async () => {
          const response = await fetch(
            withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
          )
          const plan = (await response.json()) as PartnershipPlan
          return plan.actionPlan[0]?.steps.length ?? 0
        },
        { timeout: 15_000 },
      )
      .toBe(3)
    seed.destroy()

    const fran = await openProgress(progressUrl(board.url, board.id), 'Fran', {
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Europe/Madrid',
    })
    const ana = await openProgress(progressUrl(board.links.edit, board.id), 'Ana', {
      ...PHONE,
      timezoneId: 'America/Los_Angeles',
    })

    // Overdue first, then due soon, then later; each said in words.
    const order = await ana
      .getByTestId('progress-steps')
      .getByRole('heading', { level: 3 })
      .allTextContents()
    expect(order).toEqual(['Book the hall', 'Print the flyer', 'Write the MOU'])
    await expect
      .poll(() => card(ana, 'Book the hall').getByTestId('due').textContent())
      .toBe('Overdue by 3 days')
    expect(await card(ana, 'Print the flyer').getByTestId('due').textContent()).toBe(
      'Due in 2 days',
    )
    expect(await ana.getByTestId('progress-counts').textContent()).toContain('1 overdue')

    // The page is light: no tldraw, no canvas, no board chunk.
    const loaded = await ana.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => entry.name),
    )
    expect(loaded.some((name) => /BoardPage/.test(name))).toBe(false)
    expect(await ana.locator('.tl-container, .tl-canvas').count()).toBe(0)

    // Ana: a tap on "Post an update", the status, one line, a tap on "Post update".
    const hall = card(ana, 'Book the hall')
    await hall.getByRole('button', { name: 'Post an update on “Book the hall”' }).tap()
    const status = hall.getByLabel('Status', { exact: true })
    await expect.poll(() => ana.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    await status.selectOption('done')
    await hall.getByLabel('What happened (one line)').fill('Booked the church hall for the 14th')
    const targets = await hall.locator('button, select, input').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect()
        return { width: box.width, height: box.height }
      }),
    )
    for (const target of targets) {
      expect(target.width).toBeGreaterThanOrEqual(24)
      expect(target.height).toBeGreaterThanOrEqual(24)
    }
    expect(await seriousViolations(ana)).toEqual([])
    await hall.getByRole('button', { name: 'Post update' }).tap()
    await expect
      .poll(() => hall.getByTestId('step-status').getAttribute('data-status'))
      .toBe('done')

    // Fran's view follows at once: status, last update, history, counts, the commitments.
    const franHall = card(fran, 'Book the hall')
    await expect.poll(() => franHall.getByTestId('step-status').textContent()).toBe('Done')
    expect(await franHall.getByTestId('last-update').textContent()).toContain(
      'Booked the church hall for the 14th',
    )
    expect(await franHall.getByTestId('last-update').textContent()).toContain('Ana')
    expect(await fran.getByTestId('progress-counts').textContent()).toContain('0 overdue')
    // A done step leaves the top: the flyer, due soon, comes first now.
    const franOrder = await fran
      .getByTestId('progress-steps')
      .getByRole('heading', { level: 3 })
      .allTextContents()
    expect(franOrder).toEqual(['Print the flyer', 'Write the MOU', 'Book the hall'])
    await franHall.getByText('History (1 update)').click()
    await franHall.getByRole('button', { name: /^Remove the update of .* by Ana$/ }).waitFor()
    const commitments = fran.getByRole('region', { name: 'Our commitments' })
    const eastside = commitments.getByRole('region', { name: 'Eastside Housing Authority' })
    expect(await eastside.textContent()).toContain('Host the monthly meetings')
    expect(await eastside.textContent()).toContain('1 of 1 step done')
    expect(await seriousViolations(fran)).toEqual([])

    // Fran, by keyboard alone, posts on another step; Ana's phone has it at once.
    await fran.keyboard.press('Tab')
    await tabTo(fran, 'Post an update on “Write the MOU”')
    await fran.keyboard.press('Enter')
    await expect.poll(() => fran.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    await fran.keyboard.press('ArrowDown') // Not started → In progress
    await fran.keyboard.press('Tab')
    await fran.keyboard.type('First draft shared with counsel')
    await fran.keyboard.press('Enter')
    await expect
      .poll(() => card(ana, 'Write the MOU').getByTestId('last-update').textContent())
      .toContain('First draft shared with counsel')
    expect(await card(ana, 'Write the MOU').getByTestId('step-status').textContent()).toBe(
      'In progress',
    )
    // The keyboard is back on the button that opened the form.
    await expect
      .poll(() => fran.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Post an update on “Write the MOU”')

    // A view link, in Spanish: everything to read, nothing to post.
    const viewer = await openProgress(progressUrl(board.links.view, board.id), null, PHONE, 'es')
    await viewer.getByRole('heading', { level: 1, name: /Avance/ }).waitFor()
    await expect
      .poll(() => card(viewer, 'Book the hall').getByTestId('step-status').textContent())
      .toBe('Hecho')
    expect(await viewer.getByRole('button', { name: /Publicar una actualización/ }).count()).toBe(0)
    expect(await viewer.getByTestId('read-only').textContent()).toBe('Solo lectura')
    expect(await seriousViolations(viewer)).toEqual([])
  })
})
