/**
 * Check-ins end to end (issue 19): the facilitator (Fran, at a desk in Madrid) schedules the
 * 30/60/90-day check-ins from the Progress view, moves and renames one, removes one and adds one
 * on a date of her own, then starts the due one by keyboard and runs its agenda; Ana, the owner
 * of a step, posts her step's status and line from a phone-sized page during it; Fran notes who
 * is here, blockers and decisions and finishes it; the check-in is kept, with Ana's line, and
 * both pages show it as held, and so does the printable report and a Spanish view link on a
 * phone. axe finds no serious or critical violation on any of the pages.
 */
import {
  addStep,
  blankIndicatorEntry,
  type PartnershipPlan,
  PLAN,
  setActionIssue,
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
const HOUSING = 'shape:issueHousing'

async function openProgress(
  url: string,
  name: string,
  options: BrowserContextOptions,
  locale?: 'es',
): Promise<Page> {
  const page = await openProgressAs(session.browser, url, name, options, locale)
  await page.getByTestId('check-ins').waitFor()
  return page
}

const checkIns = (page: Page): Locator => page.getByTestId('check-ins')
const scheduled = (page: Page) =>
  checkIns(page).locator('[data-state="scheduled"] .cg-checkin-title').allTextContents()

describe('check-ins', () => {
  it('a facilitator schedules and runs one; an owner posts her line from a phone; it is kept', async () => {
    const board = await createBoard(session.server, { title: 'Eastside partnership' })
    const seed = connectClient(session.server.wsUrl, board.id)
    await seed.whenSynced()
    setActionIssue(seed.doc, HOUSING, { title: 'Safe housing', rank: 1, sessionId: null })
    addStep(seed.doc, HOUSING, {
      id: 'hall',
      what: 'Book the hall',
      person: 'Ana',
      order: 'a1',
    })
    addStep(seed.doc, HOUSING, { id: 'mou', what: 'Write the MOU', person: 'Fran', order: 'a2' })
    seed.doc.getMap<unknown>(PLAN).set('evaluation/indicators/families', {
      ...blankIndicatorEntry(),
      name: 'Families enrolled',
      unit: 'families',
    })
    await expect
      .poll(async () => {
        const response = await fetch(
          withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
        )
        return ((await response.json()) as PartnershipPlan).actionPlan[0]?.steps.length ?? 0
      })
      .toBe(2)
    seed.destroy()

    const fran = await openProgress(progressUrl(board.url, board.id), 'Fran', {
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Europe/Madrid',
    })
    fran.on('dialog', (dialog) => void dialog.accept())
    const ana = await openProgress(progressUrl(board.links.edit, board.id), 'Ana', {
      ...PHONE,
      timezoneId: 'America/Los_Angeles',
    })

    // Scheduling is for facilitators: Ana sees none of it.
    expect(
      await checkIns(ana)
        .getByRole('button', { name: /check-ins at 30/ })
        .count(),
    ).toBe(0)
    expect(await checkIns(ana).textContent()).toContain('No check-in is scheduled yet.')

    // The presets count from the retreat's date (today, on Fran's calendar) unless she chooses.
    const schedule = checkIns(fran).getByRole('region', { name: 'Schedule check-ins' })
    const from = schedule.getByLabel('Count from')
    expect(await from.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    await from.fill('2026-05-04')
    await schedule.getByRole('button', { name: 'Add check-ins at 30, 60 and 90 days' }).click()
    await expect
      .poll(() => scheduled(fran))
      .toEqual([
        '30-day check-in · June 3, 2026',
        '60-day check-in · July 3, 2026',
        '90-day check-in · August 2, 2026',
      ])

    // Rename and move the 60-day one, remove the 90-day one, add one on a date of her own.
    await checkIns(fran).getByRole('button', { name: 'Rename or move “60-day check-in”' }).click()
    const edit = checkIns(fran).locator('[data-check-in-id] form')
    await edit.getByLabel('Date').fill('2026-07-10')
    await edit.getByLabel('Name').fill('Summer review')
    await edit.getByRole('button', { name: 'Save' }).click()
    await checkIns(fran).getByRole('button', { name: 'Remove “90-day check-in”' }).click()
    await schedule.getByLabel('Date').fill('2026-11-20')
    await schedule.getByLabel('Name').fill('Before the next retreat')
    await schedule.getByRole('button', { name: 'Add check-in', exact: true }).click()
    await expect
      .poll(() => scheduled(fran))
      .toEqual([
        '30-day check-in · June 3, 2026',
        'Summer review · July 10, 2026',
        'Before the next retreat · November 20, 2026',
      ])
    await expect.poll(() => scheduled(ana)).toHaveLength(3)
    expect(await seriousViolations(fran)).toEqual([])

    // Only the due one can be started; Fran starts it by keyboard.
    expect(
      await checkIns(fran)
        .getByRole('button', { name: /^Start check-in “/ })
        .count(),
    ).toBe(1)
    await fran.keyboard.press('Tab')
    await tabTo(fran, 'Start check-in “30-day check-in”')
    await fran.keyboard.press('Enter')
    const agenda = fran.getByTestId('check-in-agenda')
    await agenda.waitFor()
    // The keyboard lands on the agenda, not on the page's top.
    await expect
      .poll(() => fran.evaluate(() => document.activeElement?.textContent))
      .toBe('30-day check-in · June 3, 2026')
    expect(
      await agenda
        .locator('[data-section]')
        .evaluateAll((sections) => sections.map((section) => section.getAttribute('data-section'))),
    ).toEqual(['attendance', 'steps', 'indicators', 'blockers', 'decisions'])

    // Who is here, by keyboard.
    const name = agenda.getByLabel('Name of someone attending')
    await name.focus()
    await fran.keyboard.type('Ana')
    await fran.keyboard.press('Enter')
    await expect.poll(() => agenda.getByTestId('attendees').textContent()).toContain('Ana')
    await name.fill('Fran')
    await fran.keyboard.press('Enter')
    await expect.poll(() => agenda.getByTestId('attendees').textContent()).toContain('Fran')

    // Ana, on her phone, has the agenda too and posts her step's line with a few taps.
    const anaAgenda = ana.getByTestId('check-in-agenda')
    await anaAgenda.waitFor()
    expect(await anaAgenda.getByRole('button', { name: 'Finish check-in' }).count()).toBe(0)
    const hall = anaAgenda.locator('[data-step-id="hall"]')
    await hall.getByRole('button', { name: 'Post an update on “Book the hall”' }).tap()
    await expect.poll(() => ana.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    await hall.getByLabel('Status', { exact: true }).selectOption('blocked')
    await hall.getByLabel('What happened (one line)').fill('The hall is closed in June')
    expect(await seriousViolations(ana)).toEqual([])
    await hall.getByRole('button', { name: 'Post update' }).tap()
    await expect
      .poll(() => hall.getByTestId('check-in-line').textContent())
      .toContain('The hall is closed in June')
    // And the latest figure of the indicator she measures, in the same agenda.
    const families = anaAgenda.locator('[data-indicator-id="families"]')
    expect(await families.textContent()).toContain('No value entered in this check-in yet.')
    await families.getByRole('button', { name: 'Add a value to “Families enrolled”' }).tap()
    await families.getByLabel('Value', { exact: true }).fill('48')
    await families.getByLabel('Date measured').fill('2026-05-31')
    await families.getByRole('button', { name: 'Add value' }).tap()
    await expect
      .poll(() => families.getByTestId('check-in-value').textContent())
      .toBe('48 families, May 31, 2026')
    // A phone-sized page: nothing wider than the screen.
    expect(await ana.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

    // Fran sees Ana's line at once; she notes blockers and decisions, then finishes.
    const franHall = agenda.locator('[data-step-id="hall"]')
    await expect
      .poll(() => franHall.getByTestId('check-in-line').textContent())
      .toContain('The hall is closed in June')
    expect(await franHall.getByTestId('step-status').textContent()).toBe('Blocked')
    expect(
      await agenda.locator('[data-step-id="mou"]').getByTestId('check-in-line').textContent(),
    ).toBe('No line yet in this check-in.')
    await agenda.getByRole('textbox', { name: 'Blockers' }).fill('No hall in June')
    await agenda.getByRole('button', { name: 'Save blockers' }).click()
    await agenda.getByRole('textbox', { name: 'Decisions' }).fill('Ask the library for July')
    await agenda.getByRole('button', { name: 'Save decisions' }).click()
    await expect
      .poll(() => anaAgenda.locator('[data-section="decisions"]').textContent())
      .toContain('Ask the library for July')
    expect(await seriousViolations(fran)).toEqual([])
    await agenda.getByRole('button', { name: 'Finish check-in' }).focus()
    await fran.keyboard.press('Enter')
    await fran.getByTestId('check-in-agenda').waitFor({ state: 'detached' })
    await expect
      .poll(() => fran.evaluate(() => document.activeElement?.textContent))
      .toBe('Check-ins')

    // Kept: held on both pages, with who attended, Ana's line, blockers and decisions.
    for (const page of [fran, ana]) {
      const held = checkIns(page).locator('[data-state="finished"]')
      await held.waitFor()
      expect(await held.locator('.cg-checkin-title').textContent()).toBe(
        '30-day check-in · June 3, 2026',
      )
      await held.getByText('What was kept').click()
      const record = await held.getByTestId('check-in-record').textContent()
      expect(record).toContain('Ana, Fran')
      expect(record).toMatch(/Book the hall: .*, Ana: Blocked — The hall is closed in June/)
      expect(record).toContain('Families enrolled: 48 families, May 31, 2026')
      expect(record).toContain('No hall in June')
      expect(record).toContain('Ask the library for July')
      expect(await seriousViolations(page)).toEqual([])
    }
    // The next one is now the due one.
    expect(
      await checkIns(fran).getByRole('button', { name: 'Start check-in “Summer review”' }).count(),
    ).toBe(1)
    const response = await fetch(
      withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
    )
    const plan = (await response.json()) as PartnershipPlan
    expect(plan.checkIns[0]).toMatchObject({
      title: '30-day check-in',
      date: '2026-06-03',
      attended: ['Ana', 'Fran'],
      blockers: 'No hall in June',
      decisions: 'Ask the library for July',
    })
    expect(plan.checkIns[0]?.finishedAt).not.toBeNull()

    // The printable report has a Check-ins part with the record.
    const desk = await fran.context().newPage()
    await desk.goto(board.url)
    await desk.locator('[data-status="live"]').waitFor()
    await desk.getByRole('button', { name: 'Plan', exact: true }).click()
    const panel = desk.getByRole('complementary', { name: 'Partnership plan' })
    await panel.getByRole('button', { name: 'Export' }).click()
    await panel.getByRole('button', { name: 'Printable report (PDF)' }).click()
    const report = desk.getByRole('dialog', { name: 'Eastside partnership' })
    await report.waitFor()
    expect(await report.getByRole('heading', { level: 2 }).allTextContents()).toEqual(
      expect.arrayContaining(['Action plan', 'Check-ins']),
    )
    const kept = await report.locator('[data-check-in]').allTextContents()
    expect(kept).toHaveLength(3)
    expect(kept[0]).toContain('30-day check-in · June 3, 2026')
    expect(kept[0]).toContain('Ana, Fran')
    expect(kept[0]).toContain('The hall is closed in June')
    expect(kept[0]).toContain('Ask the library for July')
    expect(kept[1]).toContain('Scheduled')
    expect(await seriousViolations(desk)).toEqual([])

    // The facilitator's forms fit a phone too.
    const franPhone = await openProgress(progressUrl(board.url, board.id), 'Fran', PHONE)
    await checkIns(franPhone).getByRole('region', { name: 'Schedule check-ins' }).waitFor()
    expect(
      await franPhone.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390)
    expect(await seriousViolations(franPhone)).toEqual([])

    // A view link on a phone, in Spanish: the check-ins to read, nothing to run.
    const viewer = await openProgress(progressUrl(board.links.view, board.id), 'Olga', PHONE, 'es')
    await checkIns(viewer).getByRole('heading', { name: 'Reuniones de seguimiento' }).waitFor()
    expect(await checkIns(viewer).getByRole('button').count()).toBe(0)
    await checkIns(viewer).getByText('Lo que quedó guardado').click()
    expect(await checkIns(viewer).getByTestId('check-in-record').textContent()).toContain(
      'Asistentes',
    )
    expect(await seriousViolations(viewer)).toEqual([])
  })
})
