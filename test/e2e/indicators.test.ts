/**
 * Indicators over time end to end (issue 19): on a phone-sized page with the participant link,
 * Ana adds a value of an indicator from the Progress view with a few taps; the facilitator's
 * Progress view (Fran, at a desk) shows it at once, in the latest value, the chart's description
 * and its table; Fran adds an observation to a qualitative indicator by keyboard alone; the chart
 * is an image with a name and a description, its table has every value; nothing overflows the
 * phone's width; axe finds no serious or critical violation.
 */
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import {
  blankIndicatorEntry,
  indicatorKey,
  type PartnershipPlan,
  postIndicatorValue,
  setPlanEntry,
} from '@common-ground/shared/plan'
import type { BrowserContextOptions, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createBoard, withToken } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { connectClient } from '../support/yclient.ts'
import { seriousViolations } from './axe.ts'
import { PHONE } from './boardSteps.ts'
import { tabTo } from './keyboard.ts'
import { openBoardAs, openProgressAs, progressUrl, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function openProgress(
  url: string,
  name: string,
  options: BrowserContextOptions,
): Promise<Page> {
  const page = await openProgressAs(session.browser, url, name, options)
  await page.getByTestId('indicators').waitFor()
  return page
}

/** An indicator's card in the Progress view, by its name. */
const indicatorCard = (page: Page, name: string): Locator =>
  page.getByTestId('indicators').getByRole('article', { name, exact: true })

describe('indicators in the Progress view', () => {
  it('a phone adds a value; the facilitator’s chart and table show it live', async () => {
    const board = await createBoard(session.server, { title: 'Eastside partnership' })
    const seed = connectClient(session.server.wsUrl, board.id)
    await seed.whenSynced()
    putRecords(seed.doc, [organizationCard('orgEastside', { name: 'Eastside Housing Authority' })])
    setPlanEntry(seed.doc, indicatorKey('families'), {
      ...blankIndicatorEntry(),
      name: 'Families enrolled',
      unit: 'families',
      baseline: 40,
      target: 120,
      frequency: 'monthly',
      organization: 'shape:orgEastside',
    })
    setPlanEntry(seed.doc, indicatorKey('voices'), {
      ...blankIndicatorEntry('qualitative'),
      name: 'What parents say',
    })
    const at = Date.now()
    postIndicatorValue(seed.doc, 'families', {
      date: '2026-01-01',
      value: 40,
      note: 'Intake sheet',
      group: '',
      by: 'Fran',
      at,
    })
    postIndicatorValue(seed.doc, 'families', {
      date: '2026-02-01',
      value: 48,
      note: '',
      group: '',
      by: 'Fran',
      at,
    })
    await expect
      .poll(
        async () => {
          const response = await fetch(
            withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
          )
          const plan = (await response.json()) as PartnershipPlan
          return plan.evaluation.indicators.flatMap((i) => i.values).length
        },
        { timeout: 15_000 },
      )
      .toBe(2)
    seed.destroy()

    const fran = await openProgress(progressUrl(board.url, board.id), 'Fran', {
      viewport: { width: 1280, height: 800 },
    })
    const ana = await openProgress(progressUrl(board.links.edit, board.id), 'Ana', PHONE)

    // The chart: an image with a name and a description in words.
    const anaFamilies = indicatorCard(ana, 'Families enrolled')
    const chart = anaFamilies.getByRole('img', { name: 'Families enrolled over time' })
    await chart.waitFor()
    expect(await chart.locator('desc').textContent()).toContain(
      'Everyone: latest 48 families on February 1, 2026.',
    )
    expect(await chart.locator('desc').textContent()).toContain('Baseline 40 families.')
    expect(await chart.locator('path').count()).toBe(1)
    expect(await anaFamilies.getByTestId('indicator-latest').textContent()).toContain(
      '10% of the way from the baseline to the target',
    )

    // Ana: a tap on "Add a value", the value, a group, a tap on "Add value".
    await anaFamilies.getByRole('button', { name: 'Add a value to “Families enrolled”' }).tap()
    const form = anaFamilies.getByTestId('indicator-form')
    await expect.poll(() => ana.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')
    await form.getByLabel('Value', { exact: true }).fill('55.5')
    await form.getByLabel('Date measured').fill('2026-03-01')
    await form.getByLabel('Group (optional)').fill('Income under $25k')
    await form.getByLabel('Note (optional, one line)').fill('Spring intake')
    const targets = await form.locator('button, input').evaluateAll((elements) =>
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
    await form.getByRole('button', { name: 'Add value' }).tap()
    await form.waitFor({ state: 'detached' })
    // Nothing wider than the phone.
    expect(
      await ana.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true)

    // Fran's view follows: a second line (the group), the latest values, the table.
    const franFamilies = indicatorCard(fran, 'Families enrolled')
    await expect
      .poll(() => franFamilies.getByTestId('indicator-latest').textContent())
      .toContain('Income under $25k: Latest: 55.5 families on March 1, 2026')
    const franChart = franFamilies.getByRole('img', { name: 'Families enrolled over time' })
    expect(await franChart.locator('path').count()).toBe(2)
    expect(await franChart.locator('desc').textContent()).toContain(
      'Income under $25k: latest 55.5 families on March 1, 2026.',
    )
    await franFamilies.getByText('Values as a table (3)').click()
    const table = franFamilies.getByRole('table', { name: 'Values of “Families enrolled”' })
    await table.waitFor()
    const rows = await table.locator('tbody tr').allTextContents()
    expect(rows).toHaveLength(3)
    expect(rows[2]).toContain('March 1, 2026')
    expect(rows[2]).toContain('Income under $25k')
    expect(rows[2]).toContain('55.5 families')
    expect(rows[2]).toContain('Spring intake')
    expect(rows[2]).toContain('Ana')
    expect(await seriousViolations(fran)).toEqual([])

    // Fran, by keyboard alone, adds an observation; Ana's phone has it at once.
    await fran.keyboard.press('Tab')
    await tabTo(fran, 'Add a value to “What parents say”')
    await fran.keyboard.press('Enter')
    await expect.poll(() => fran.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')
    await fran.keyboard.type('Forms are easier to fill in')
    await fran.keyboard.press('Enter')
    const anaVoices = indicatorCard(ana, 'What parents say')
    await expect
      .poll(() => anaVoices.getByTestId('indicator-latest').textContent())
      .toContain('Forms are easier to fill in')
    // No chart for stories: their table is open instead.
    expect(await anaVoices.getByRole('img').count()).toBe(0)
    expect(
      await anaVoices.getByRole('table', { name: 'Values of “What parents say”' }).textContent(),
    ).toContain('Fran')
    // The keyboard is back on the button that opened the form.
    await expect
      .poll(() => fran.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Add a value to “What parents say”')
    // A number that is not one is said, and nothing is written.
    await indicatorCard(fran, 'Families enrolled')
      .getByRole('button', { name: 'Add a value to “Families enrolled”' })
      .click()
    await fran.keyboard.type('lots')
    await fran.keyboard.press('Enter')
    await expect
      .poll(() => indicatorCard(fran, 'Families enrolled').getByRole('alert').textContent())
      .toBe('Enter a number, such as 42 or 3.5.')
    expect(await seriousViolations(ana)).toEqual([])
    await indicatorCard(ana, 'Families enrolled').screenshot({
      path: screenshotPath('indicators-phone.png'),
    })
  })

  it('the plan panel edits an indicator’s fields; the printable report draws its chart and table', async () => {
    const board = await createBoard(session.server, { title: 'Eastside partnership' })
    const seed = connectClient(session.server.wsUrl, board.id)
    await seed.whenSynced()
    putRecords(seed.doc, [organizationCard('orgEastside', { name: 'Eastside Housing Authority' })])
    setPlanEntry(seed.doc, indicatorKey('families'), {
      ...blankIndicatorEntry(),
      name: 'Families enrolled',
    })
    for (const [date, value, group] of [
      ['2026-01-01', 40, ''],
      ['2026-02-01', 44, ''],
      ['2026-02-01', 12, 'Income under $25k'],
    ] as const) {
      postIndicatorValue(seed.doc, 'families', {
        date,
        value,
        group,
        note: '',
        by: 'Fran',
        at: Date.now(),
      })
    }
    const fran = await openBoardAs(session.browser, board.url, 'Fran')
    await fran.getByRole('button', { name: 'Plan', exact: true }).click()
    const panel = fran.getByRole('complementary', { name: 'Partnership plan' })
    await panel.waitFor()
    const item = panel.locator('[data-indicator-id="families"]')
    await item.waitFor()
    // Values entered: the kind stays, and removing says it takes the values along.
    expect(await item.getByLabel('Kind of indicator').isDisabled()).toBe(true)
    await item.getByRole('button', { name: 'Remove indicator 1 and its 3 values' }).waitFor()
    await item
      .getByLabel('Organization responsible')
      .selectOption({ label: 'Eastside Housing Authority' })
    await item.getByLabel('Unit (what the numbers count)').fill('families')
    await item.getByLabel('Baseline').fill('40')
    await item.getByLabel('Target').fill('1,200')
    await item.getByLabel('How often it is measured').selectOption('quarterly')
    await item.getByLabel('Target').press('Tab')
    // Not a number: said, and not written.
    await item.getByLabel('Baseline').fill('forty')
    await item.getByText('Enter a number, such as 42 or 3.5, or leave it empty.').waitFor()
    await item.getByLabel('Baseline').fill('40')
    await expect
      .poll(
        async () => {
          const response = await fetch(
            withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id),
          )
          const { organization, unit, baseline, target, frequency } =
            ((await response.json()) as PartnershipPlan).evaluation.indicators[0] ?? {}
          return { organization, unit, baseline, target, frequency }
        },
        { timeout: 15_000 },
      )
      .toEqual({
        organization: 'shape:orgEastside',
        unit: 'families',
        baseline: 40,
        target: 1200,
        frequency: 'quarterly',
      })

    await panel.getByRole('button', { name: 'Export' }).click()
    await panel.getByRole('button', { name: 'Printable report (PDF)' }).click()
    const report = fran.getByRole('dialog', { name: 'Eastside partnership' })
    await report.waitFor()
    await report.getByRole('heading', { name: 'Values of “Families enrolled”' }).waitFor()
    const chart = report.getByRole('img', { name: 'Families enrolled over time' })
    expect(await chart.locator('path').count()).toBe(2)
    // The live plan is derived at most every 250 ms (LivePlan): the server may have the last
    // edit before this page's plan does, and the report follows the plan as it changes.
    await expect.poll(() => chart.locator('desc').textContent()).toContain('Target 1,200 families.')
    const table = report.getByRole('table', { name: 'Values of “Families enrolled”' })
    expect(await table.locator('tbody tr').count()).toBe(3)
    expect(await report.textContent()).toContain('Every three months')
    expect(await seriousViolations(fran)).toEqual([])
    await report
      .locator('.cg-report-indicator')
      .screenshot({ path: screenshotPath('indicators-report.png') })
  })
})
