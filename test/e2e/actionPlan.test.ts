/**
 * The action plan end to end: a facilitator (Ana) and a participant (Ben) edit steps of the same
 * ranked issue in their plan panels, at once and field by field; both see every step, the CSV
 * each exports holds both people's steps, the `.ics` (reached by keyboard) holds the dated step
 * under the UID the server's calendar feed gives it, "my steps" lists what is theirs, an observer sees it
 * all and can change nothing, and the printable report prints as a document
 * (test/screenshots/report.png), with no serious accessibility violation on the panel or the
 * report.
 */
import { readFileSync } from 'node:fs'
import type { Download, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { readCalendar } from '../support/ical.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { promote } from './boardSteps.ts'
import { tabTo } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) =>
  openBoardAs(session.browser, url, name, { acceptDownloads: true })

async function openPlan(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Plan', exact: true }).click()
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  await panel.waitFor()
  return panel
}

async function download(page: Page, panel: Locator, item: string): Promise<Download> {
  await panel.getByRole('button', { name: 'Export' }).click()
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: item }).click(),
  ])
  return file
}

async function readDownload(file: Download): Promise<Buffer> {
  const path = await file.path()
  if (!path) throw new Error(`download ${file.suggestedFilename()} has no file`)
  return readFileSync(path)
}

/** A step's field in a panel's issue, by its accessible name ("What, step 1"). */
const field = (issue: Locator, name: string, step: number) =>
  issue.getByLabel(`${name}, step ${step}`, { exact: true })

describe('action plan', () => {
  it('two people edit steps of one issue; each export holds both; the report prints', async () => {
    const board = await createBoard(session.server, {
      title: 'Eastside partnership',
      template: 'blank',
    })
    const ana = await person(board.url, 'Ana')
    const ben = await person(board.links.edit, 'Ben')

    await ana.getByRole('button', { name: 'Add organization card' }).click()
    await ana.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
    await ana.keyboard.type('Eastside Housing Authority')
    await ana.keyboard.press('Escape')
    await ana.keyboard.press('Escape')
    await promote(ana, 'shape:issueHousing', 'Safe housing for families', 1)
    await promote(ana, 'shape:issueCare', 'Evening childcare', 2)

    const anaPanel = await openPlan(ana)
    const benPanel = await openPlan(ben)
    const anaIssue = anaPanel.getByRole('region', { name: '1. Safe housing for families' })
    const benIssue = benPanel.getByRole('region', { name: '1. Safe housing for families' })
    await benIssue.waitFor()
    // Rank order: the first ranked issue comes first.
    const headings = await anaPanel.getByRole('heading', { level: 4 }).allTextContents()
    expect(headings).toEqual(['1. Safe housing for families', '2. Evening childcare'])

    // Ana adds a step: the keyboard lands in its "What" field; what she types reaches Ben as she
    // types it, before she leaves the field.
    await anaIssue.getByRole('button', { name: 'Add a step' }).click()
    await expect
      .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('What, step 1')
    await ana.keyboard.type('Draft the tenant survey')
    await expect.poll(() => field(benIssue, 'What', 1).inputValue()).toBe('Draft the tenant survey')
    await ana.keyboard.press('Tab')
    await expect.poll(() => field(benIssue, 'What', 1).inputValue()).toBe('Draft the tenant survey')

    // Ben adds the second step, in his own panel.
    await benIssue.getByRole('button', { name: 'Add a step' }).click()
    await field(benIssue, 'What', 2).fill('Book the community hall')
    await field(benIssue, 'Person responsible', 2).fill('Ben')
    await field(benIssue, 'Person responsible', 2).press('Enter')
    await expect.poll(() => field(anaIssue, 'What', 2).inputValue()).toBe('Book the community hall')

    // Both edit different fields of step 1 at the same moment: neither overwrites the other.
    await field(anaIssue, 'Person responsible', 1).fill('Ana')
    await field(benIssue, 'Due date', 1).fill('2027-03-15')
    await Promise.all([
      field(anaIssue, 'Person responsible', 1).press('Enter'),
      field(benIssue, 'Due date', 1).press('Enter'),
    ])
    await field(benIssue, 'Status', 1).selectOption({ label: 'In progress' })
    await field(anaIssue, 'Organization responsible', 1).selectOption({
      label: 'Eastside Housing Authority',
    })
    for (const issue of [anaIssue, benIssue]) {
      await expect.poll(() => field(issue, 'Person responsible', 1).inputValue()).toBe('Ana')
      await expect.poll(() => field(issue, 'Due date', 1).inputValue()).toBe('2027-03-15')
      await expect.poll(() => field(issue, 'Status', 1).inputValue()).toBe('in-progress')
      await expect
        .poll(() =>
          field(issue, 'Organization responsible', 1).evaluate(
            (select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent,
          ),
        )
        .toBe('Eastside Housing Authority')
    }

    // Ben moves his step up by keyboard; both panels show the new order, and his focus stays
    // on the moved step's buttons.
    await benIssue.getByRole('button', { name: 'Move step 2 up' }).focus()
    await ben.keyboard.press('Enter')
    await expect.poll(() => field(anaIssue, 'What', 1).inputValue()).toBe('Book the community hall')
    await expect.poll(() => field(benIssue, 'What', 2).inputValue()).toBe('Draft the tenant survey')
    await expect
      .poll(() => ben.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Move step 1 down')

    // The CSV each of them exports holds both people's steps.
    for (const [page, panel] of [
      [ana, anaPanel],
      [ben, benPanel],
    ] as const) {
      const file = await download(page, panel, 'Steps as a spreadsheet (CSV)')
      expect(file.suggestedFilename()).toBe('Eastside partnership.csv')
      const csv = (await readDownload(file)).toString('utf8')
      expect(csv.startsWith('\uFEFF')).toBe(true)
      const rows = csv.slice(1).trimEnd().split('\r\n')
      // Ben's status change is in the step's history: the last update, its day and who.
      const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'))
      expect(rows).toEqual([
        'Issue,Rank,Step,Person responsible,Organization responsible,Due date,Status,Last update,Last update on,Last update by,Check-ins',
        'Safe housing for families,1,Book the community hall,Ben,,,Not started,,,,',
        `Safe housing for families,1,Draft the tenant survey,Ana,Eastside Housing Authority,2027-03-15,In progress,,${today},Ben,`,
      ])
    }
    const markdown = (
      await readDownload(await download(ana, anaPanel, 'Plan as a document (Markdown)'))
    ).toString('utf8')
    expect(markdown).toContain('| 2 | Draft the tenant survey | Ana | Eastside Housing Authority |')
    const json = JSON.parse(
      (
        await readDownload(await download(ben, benPanel, 'Plan as data (JSON, re-importable)'))
      ).toString('utf8'),
    )
    expect(json.actionPlan[0].steps.map((step: { what: string }) => step.what)).toEqual([
      'Book the community hall',
      'Draft the tenant survey',
    ])

    // The due dates for a calendar, by keyboard: Enter opens the menu, Tab reaches the item.
    await benPanel.getByRole('button', { name: 'Export' }).focus()
    await ben.keyboard.press('Enter')
    const icsItem = 'Due dates and check-ins for a calendar (iCalendar, .ics)'
    await tabTo(ben, icsItem, '#cg-plan-panel', 12)
    const [icsFile] = await Promise.all([ben.waitForEvent('download'), ben.keyboard.press('Enter')])
    expect(icsFile.suggestedFilename()).toBe('Eastside partnership.ics')
    const downloaded = readCalendar((await readDownload(icsFile)).toString('utf8'))
    expect(downloaded.name).toBe('Eastside partnership')
    expect(downloaded.events).toEqual([
      expect.objectContaining({
        summary: 'Draft the tenant survey',
        start: '2027-03-15',
        allDay: true,
        url: `${session.server.url}/b/${board.id}`,
      }),
    ])
    expect(downloaded.events[0]?.description).toContain('Person responsible: Ana')
    // The server's feed gives the same event the same UID: a calendar app keeps one copy.
    const feed = await fetch(
      `${session.server.url}/api/boards/${board.id}/calendar.ics?token=${board.tokens.calendar}`,
    )
    expect(readCalendar(await feed.text()).events.map((event) => event.uid)).toEqual(
      downloaded.events.map((event) => event.uid),
    )

    // My steps: Ana's by her name; Ben's by his name, then also his organization's once he
    // picks it (kept on his device across a reload).
    const anaMine = anaPanel.getByRole('region', { name: 'My steps' }).getByRole('listitem')
    await expect.poll(() => anaMine.allTextContents()).toHaveLength(1)
    expect(await anaMine.first().textContent()).toContain('Draft the tenant survey')
    expect(await anaMine.first().textContent()).toContain('March 15, 2027')
    const benMine = () => benPanel.getByRole('region', { name: 'My steps' })
    await expect.poll(() => benMine().getByRole('listitem').allTextContents()).toHaveLength(1)
    await benMine()
      .getByLabel('My organization')
      .selectOption({ label: 'Eastside Housing Authority' })
    await expect.poll(() => benMine().getByRole('listitem').count()).toBe(2)
    await ben.reload()
    await ben.locator('[data-status="live"]').waitFor()
    await openPlan(ben)
    await expect.poll(() => benMine().getByRole('listitem').count()).toBe(2)

    // The board as PNG and SVG, drawn by tldraw in the browser.
    const png = await readDownload(await download(ana, anaPanel, 'Board as an image (PNG)'))
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    const svg = (
      await readDownload(await download(ana, anaPanel, 'Board as a drawing (SVG)'))
    ).toString('utf8')
    expect(svg).toMatch(/^<svg[\s\S]*Eastside Housing Authority[\s\S]*<\/svg>\s*$/)

    expect(await seriousViolations(ana)).toEqual([])
    await anaIssue.screenshot({ path: screenshotPath('action-plan-panel.png') })

    // The printable report: a document over the board, printed alone.
    await anaPanel.getByRole('button', { name: 'Export' }).click()
    await anaPanel.getByRole('button', { name: 'Printable report (PDF)' }).click()
    const report = ana.getByRole('dialog', { name: 'Eastside partnership' })
    await report.waitFor()
    expect(await report.getByRole('heading', { level: 2 }).allTextContents()).toEqual(
      expect.arrayContaining(['Partners', 'Where our work meets', 'Action plan']),
    )
    expect(
      await report.getByRole('table', { name: 'Steps' }).getByRole('row').allTextContents(),
    ).toHaveLength(3)
    expect(await seriousViolations(ana)).toEqual([])
    await ana.screenshot({ path: screenshotPath('report-screen.png') })
    // About an A4 page wide, as it prints (the PDF has the page margins and breaks).
    await ana.setViewportSize({ width: 820, height: 1160 })
    await ana.emulateMedia({ media: 'print' })
    expect(await ana.locator('.tl-container').isVisible()).toBe(false)
    await ana.screenshot({ path: screenshotPath('report.png'), fullPage: true })
    await ana.pdf({ path: screenshotPath('report.pdf'), format: 'A4' })
    await ana.emulateMedia({ media: 'screen' })
    await ana.keyboard.press('Escape')
    await report.waitFor({ state: 'detached' })
    await expect.poll(() => ana.evaluate(() => document.activeElement?.textContent)).toBe('Export')

    // An observer sees every step and can change none of them.
    const olga = await person(board.links.view, 'Olga')
    const olgaPanel = await openPlan(olga)
    const olgaIssue = olgaPanel.getByRole('region', { name: '1. Safe housing for families' })
    await expect
      .poll(() => field(olgaIssue, 'What', 2).inputValue())
      .toBe('Draft the tenant survey')
    expect(await field(olgaIssue, 'What', 2).isDisabled()).toBe(true)
    expect(await field(olgaIssue, 'Status', 2).isDisabled()).toBe(true)
    expect(await olgaIssue.getByRole('button', { name: 'Add a step' }).isDisabled()).toBe(true)
    expect(await olgaIssue.getByRole('button', { name: 'Move step 2 up' }).isDisabled()).toBe(true)
    expect(await olgaPanel.getByRole('button', { name: 'Export' }).isDisabled()).toBe(false)

    for (const page of [ana, ben, olga]) await page.context().close()
  })
})
