/**
 * Impact and effort, and the consensus check, end to end (issue 21, parts 2 and 3): the
 * facilitator (Ana, page A, mouse: sliders and a drag on the 2×2) and a participant (Ben, page B,
 * keyboard only: Tab, arrows, Space) place three issues; neither page's copy of the board holds a
 * placement; the reveal shows each issue's average and spread in the table and on the chart. Then
 * a consensus check on one issue: 0–5 from both, hidden until the reveal, the distribution after.
 * axe finds no serious or critical violation in the panel, open round or revealed.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { addIssueNotes, PHONE } from './boardSteps.ts'
import { COUNT_POINTER_EVENTS, focusedName, pointerEventsSeen, tabTo } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const NOTES = [
  ['shape:place-intake', 'Shared intake form'],
  ['shape:place-hours', 'Evening hours'],
  ['shape:place-rides', 'Rides to appointments'],
] as const

const PANEL = '#cg-vote-panel'

/** Sets a slider with the keyboard alone: it must already have the focus. */
async function keyTo(page: Page, value: number) {
  await page.keyboard.press('Home')
  for (let i = 0; i < value; i++) await page.keyboard.press('ArrowRight')
}

/** What the rounds map of a page's copy of the board holds (never anyone's placement). */
function roundsInDoc(page: Page): Promise<string> {
  return page.evaluate(() =>
    JSON.stringify(
      (
        (window as unknown as { commonGround: { connection: { doc: unknown } } }).commonGround
          .connection.doc as {
          getMap(name: string): { toJSON(): unknown }
        }
      )
        .getMap('rounds')
        .toJSON(),
    ),
  )
}

const row = (section: Locator, itemId: string) =>
  section.getByTestId('placement-list').locator(`li[data-item="${itemId}"]`)

describe('impact and effort, and the consensus check', () => {
  it('places three issues from two pages (one by keyboard only), reveals averages, checks consensus', async () => {
    const { url, links } = await createBoard(session.server, {
      title: 'Placement check',
      template: 'retreat',
    })
    const ana = await openBoardAs(session.browser, url, 'Ana')
    await addIssueNotes(ana, NOTES)
    const ben = await openBoardAs(session.browser, links.edit, 'Ben', {}, COUNT_POINTER_EVENTS)
    await ben.waitForFunction(() =>
      Boolean(window.commonGround?.editor.getShape('shape:place-rides' as never)),
    )

    // Ana starts the round over the Issues stage.
    await ana.getByRole('button', { name: 'Vote', exact: true }).click()
    const anaPlace = ana.locator(PANEL).getByTestId('placement')
    await anaPlace.getByRole('button', { name: 'Start impact and effort (3 issues)' }).click()
    await expect.poll(() => anaPlace.getByTestId('placement-list').locator('li').count()).toBe(3)

    // Ana, with the mouse: sliders for two issues…
    const slider = (page: Page | Locator, name: string) => page.getByRole('slider', { name })
    const anaSet = async (name: string, value: number) => {
      await slider(anaPlace, name).click()
      await keyTo(ana, value)
    }
    await anaSet('Impact of “Evening hours”', 4)
    await anaSet('Effort of “Evening hours”', 8)
    await anaSet('Impact of “Rides to appointments”', 6)
    await anaSet('Effort of “Rides to appointments”', 6)
    // …and for the intake form, impact by slider, then effort by dragging its marker on the 2×2.
    await anaSet('Impact of “Shared intake form”', 9)
    await expect
      .poll(() => row(anaPlace, 'shape:place-intake').getByTestId('placed-state').textContent())
      .toBe('Placed: impact 9, effort 5')
    const chart = anaPlace.getByTestId('my-placement-chart')
    const marker = chart.locator('g.cg-marker[data-item="shape:place-intake"] circle')
    // The list comes in Ana's own order: the slider she used last may have scrolled the chart away.
    await chart.scrollIntoViewIfNeeded()
    const box = await chart.boundingBox()
    const from = await marker.boundingBox()
    if (!box || !from) throw new Error('the chart is not on screen')
    // The chart is 248 units wide: 24 of margin, 200 for 0–10 effort, 24 of margin.
    const unit = box.width / 248
    await ana.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await ana.mouse.down()
    await ana.mouse.move(box.x + (24 + 40) * unit, from.y + from.height / 2, { steps: 5 })
    await ana.mouse.up()
    await expect
      .poll(() => row(anaPlace, 'shape:place-intake').getByTestId('placed-state').textContent())
      .toBe('Placed: impact 9, effort 2')

    // Ben, by keyboard alone: Tab to "Vote", open it, Tab to each slider, arrows.
    await tabTo(ben, 'Vote')
    await ben.keyboard.press('Enter')
    const benPlace = ben.locator(PANEL).getByTestId('placement')
    await expect.poll(() => benPlace.getByTestId('placement-list').locator('li').count()).toBe(3)
    const benSet = async (name: string, value: number) => {
      await tabTo(ben, name, PANEL)
      await keyTo(ben, value)
    }
    for (const [name, impact, effort] of [
      ['Shared intake form', 7, 4],
      ['Evening hours', 6, 6],
      ['Rides to appointments', 8, 3],
    ] as const) {
      await benSet(`Impact of “${name}”`, impact)
      await benSet(`Effort of “${name}”`, effort)
    }
    await expect
      .poll(() => row(benPlace, 'shape:place-rides').getByTestId('placed-state').textContent())
      .toBe('Placed: impact 8, effort 3')
    // The slider tells a screen reader its value.
    await tabTo(ben, 'Impact of “Evening hours”', PANEL)
    expect(await ben.evaluate(() => document.activeElement?.getAttribute('aria-valuetext'))).toBe(
      '6 of 10',
    )

    // Two have taken part; nobody's placement is in either page's copy of the board.
    await expect
      .poll(() => anaPlace.getByTestId('round-voters').getAttribute('data-count'))
      .toBe('2')
    for (const page of [ana, ben]) {
      const rounds = await roundsInDoc(page)
      expect(rounds).not.toContain('"effort":')
      expect(rounds).not.toContain('result/')
    }
    expect(await seriousViolations(ben, PANEL)).toEqual([])

    // The reveal: averages and spread, in the table and on the chart.
    await anaPlace.getByRole('button', { name: 'Reveal the results' }).click()
    const table = benPlace.getByTestId('placement-table')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3)
    const cells = (itemId: string) =>
      Promise.all([
        table.locator(`tr[data-item="${itemId}"] [data-testid="impact-mean"]`).textContent(),
        table.locator(`tr[data-item="${itemId}"] [data-testid="effort-mean"]`).textContent(),
        table.locator(`tr[data-item="${itemId}"]`).getAttribute('data-rank'),
      ])
    // Impact minus effort: intake 8 − 3 = 5, rides 7 − 4.5 = 2.5, hours 5 − 7 = −2.
    expect(await cells('shape:place-intake')).toEqual(['8.0 ± 1.0', '3.0 ± 1.0', '1'])
    expect(await cells('shape:place-rides')).toEqual(['7.0 ± 1.0', '4.5 ± 1.5', '2'])
    expect(await cells('shape:place-hours')).toEqual(['5.0 ± 1.0', '7.0 ± 1.0', '3'])
    expect(await benPlace.locator('g.cg-average').count()).toBe(3)
    await benPlace
      .getByTestId('placement-result')
      .screenshot({ path: screenshotPath('placement-result.png') })
    // The result in the board holds averages only, and the marks are gone.
    const revealed = await roundsInDoc(ben)
    expect(revealed).toContain('"mean":8')
    expect(revealed).not.toContain('"impact":9')

    // Ana ranks by impact, then the least effort, and promotes the top two.
    await anaPlace.getByRole('radio', { name: 'Impact, then the least effort' }).check()
    await expect
      .poll(() =>
        table
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item'))),
      )
      .toEqual(['shape:place-intake', 'shape:place-rides', 'shape:place-hours'])
    await anaPlace.getByLabel('How many to promote').fill('2')
    await anaPlace.getByRole('button', { name: 'Promote to action plan' }).click()
    await expect
      .poll(() =>
        ana.evaluate(() =>
          Object.keys(
            (
              (window as unknown as { commonGround: { connection: { doc: unknown } } }).commonGround
                .connection.doc as {
                getMap(name: string): { toJSON(): Record<string, unknown> }
              }
            )
              .getMap('plan')
              .toJSON(),
          )
            .filter((key) => key.startsWith('action/issues/'))
            .sort(),
        ),
      )
      .toEqual(['action/issues/shape:place-intake', 'action/issues/shape:place-rides'])
    expect(await seriousViolations(ana, PANEL)).toEqual([])

    // A consensus check on the intake form: Ana clicks, Ben uses the arrow keys.
    const anaCheck = ana.locator(PANEL).getByTestId('consensus')
    await anaCheck.getByLabel('Issue to check').selectOption('shape:place-intake')
    await anaCheck.getByRole('button', { name: 'Start a consensus check' }).click()
    await anaCheck.getByRole('radio', { name: '5 – Full support: I will help lead it' }).check()
    const benCheck = ben.locator(PANEL).getByTestId('consensus')
    await expect.poll(() => benCheck.getByTestId('fingers').count()).toBe(1)
    await tabTo(ben, '0 – Fist: I block this', PANEL)
    for (let i = 0; i < 4; i++) await ben.keyboard.press('ArrowDown')
    expect(await focusedName(ben, PANEL)).toBe('4 – I support it')
    await expect
      .poll(() => anaCheck.getByTestId('round-voters').getAttribute('data-count'))
      .toBe('2')
    // Hidden until the reveal: Ben sees no distribution.
    expect(await benCheck.getByTestId('consensus-result').count()).toBe(0)
    await anaCheck.getByRole('button', { name: 'Reveal the results' }).click()
    await expect.poll(() => benCheck.getByTestId('consensus-result').count()).toBe(1)
    const bars = await benCheck
      .getByTestId('finger-bar')
      .evaluateAll((found) => found.map((bar) => bar.getAttribute('data-count')))
    expect(bars).toEqual(['0', '0', '0', '0', '1', '1'])
    await benCheck
      .getByTestId('consensus-result')
      .screenshot({ path: screenshotPath('consensus-result.png') })
    expect(await benCheck.getByTestId('consensus-summary').textContent()).toContain(
      '2 people answered; average 4.5 of 5.',
    )
    expect(await seriousViolations(ben, PANEL)).toEqual([])
    // Ben never touched a pointer.
    expect(await pointerEventsSeen(ben)).toEqual([])

    // The printable report holds both rounds, and the check under its action-plan issue.
    await ana.getByRole('button', { name: 'Plan', exact: true }).click()
    const planPanel = ana.locator('#cg-plan-panel')
    await planPanel.getByRole('button', { name: 'Export' }).click()
    await planPanel.getByRole('button', { name: 'Printable report (PDF)' }).click()
    const report = ana.getByRole('dialog', { name: 'Placement check' })
    await report.waitFor()
    expect(await report.getByRole('heading', { level: 3 }).allTextContents()).toEqual(
      expect.arrayContaining(['Impact and effort', 'Consensus on “Shared intake form”']),
    )
    expect(await report.getByRole('cell', { name: '8.0 ± 1.0' }).count()).toBe(1)
    const consensus =
      'Consensus check: 2 people answered; average 4.5 of 5. Nobody is at 0 or 1: the group can go ahead.'
    expect(await report.getByText(consensus, { exact: true }).count()).toBe(2)
  })

  it('fits a phone: the sliders and the chart within 390 px, no serious axe violation', async () => {
    const { url } = await createBoard(session.server, { title: 'Phone', template: 'retreat' })
    const ana = await openBoardAs(session.browser, url, 'Ana', PHONE)
    await addIssueNotes(ana, NOTES)
    await ana.getByRole('button', { name: 'Vote', exact: true }).tap()
    const place = ana.locator(PANEL).getByTestId('placement')
    await place.getByRole('button', { name: 'Start impact and effort (3 issues)' }).tap()
    const list = place.getByTestId('placement-list')
    await expect.poll(() => list.locator('li').count()).toBe(3)
    for (const element of [list, place.getByTestId('my-placement-chart')]) {
      const box = await element.boundingBox()
      expect(box?.x).toBeGreaterThanOrEqual(0)
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390)
    }
    expect(await seriousViolations(ana, PANEL)).toEqual([])
    await place.screenshot({ path: screenshotPath('placement-phone.png') })
  })
})
