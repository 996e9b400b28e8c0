/**
 * Everyone takes part (issue 10), end to end in real Chromium against a real server:
 * - a keyboard-only participant (not one mouse or pointer event on the page) joins, adds a note,
 *   casts and takes back dots from the vote panel's list, edits an action step and exports;
 * - a Spanish browser sees Spanish prompts and exports a Spanish plan (Markdown made in the page);
 * - axe-core finds no serious or critical violation on each screen, light and dark (the counts
 *   per screen are printed at the end, for the issue's note);
 * - a phone-sized touch screen adds a note and votes;
 * - reduced motion: our CSS and tldraw's camera both stop animating.
 */
import { readFileSync } from 'node:fs'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { addIssueNotes, ballotCount, joinAndAddNoteByTouch, PHONE, promote } from './boardSteps.ts'
import { COUNT_POINTER_EVENTS, focusedName, tabTo } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

/** A person whose name the browser already knows (no join dialog). */
const person = (url: string, name: string, options: BrowserContextOptions = {}) =>
  openBoardAs(session.browser, url, name, { acceptDownloads: true, ...options })

const ISSUES = [
  ['shape:issue-rides', 'Rides to appointments'],
  ['shape:issue-hours', 'Evening hours'],
] as const

/** The facilitator starts a vote over the Issues stage from the vote panel. */
async function startVote(page: Page, start = 'Start the vote', toggle = 'Vote') {
  await page.getByRole('button', { name: toggle, exact: true }).click()
  await page.getByRole('button', { name: start }).click()
  await page.getByTestId('ballot').waitFor()
}

/** The plan map as JSON (steps, issues, …) in a page's doc. */
function planEntries(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => {
    const { doc } = window.commonGround.connection as unknown as {
      doc: { getMap(name: string): { toJSON(): Record<string, unknown> } }
    }
    return doc.getMap('plan').toJSON()
  })
}

describe('keyboard only', () => {
  it('joins, adds a note, casts and takes back dots from the panel, edits a step and exports, with no mouse event', async () => {
    const board = await createBoard(session.server, {
      title: 'Keyboard retreat',
      template: 'retreat',
    })
    const ana = await person(board.url, 'Ana')
    await addIssueNotes(ana, ISSUES)
    await promote(ana, 'shape:issue-rides', 'Rides to appointments', 1)
    await startVote(ana)

    const context = await session.browser.newContext({
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    })
    await context.addInitScript(COUNT_POINTER_EVENTS)
    const ben = await context.newPage()
    await ben.goto(board.links.edit)
    // Join: the name field takes the focus by itself.
    await ben.getByRole('dialog').waitFor()
    await ben.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
    await ben.keyboard.type('Ben')
    await ben.keyboard.press('Enter')
    await ben.locator('[data-status="live"]').waitFor()

    // Add a note and write in it.
    await tabTo(ben, 'Add sticky note')
    await ben.keyboard.press('Enter')
    await ben.waitForFunction(
      () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
    )
    await ben.keyboard.type('Interpreters at every meeting')
    await ben.keyboard.press('Escape')
    await expect
      .poll(() =>
        ana
          .locator('.tl-shape[data-shape-type="note"]')
          .filter({ hasText: 'Interpreters' })
          .count(),
      )
      .toBe(1)
    // Leave the note (nothing selected) so Tab walks the page again.
    await ben.keyboard.press('Escape')

    // Vote from the panel's list: two dots on “Evening hours”, then take one back.
    await tabTo(ben, 'Vote')
    await ben.keyboard.press('Enter')
    await ben.locator('#cg-vote-panel [data-testid="ballot"]').waitFor()
    await tabTo(ben, 'Add a dot to “Evening hours”', '#cg-vote-panel')
    const outline = await ben.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    )
    expect(outline).not.toBe('none')
    await ben.keyboard.press('Enter')
    await ben.keyboard.press('Space')
    await expect.poll(() => ballotCount(ben, 'shape:issue-hours')).toBe('2')
    await ben.keyboard.press('Shift+Tab')
    expect(await focusedName(ben, '#cg-vote-panel')).toBe('Take a dot from “Evening hours”')
    await ben.keyboard.press('Enter')
    await expect.poll(() => ballotCount(ben, 'shape:issue-hours')).toBe('1')
    // Taking from a note with none keeps the focus where it is (nothing to take).
    await tabTo(ben, 'Take a dot from “Rides to appointments”', '#cg-vote-panel')
    await ben.keyboard.press('Enter')
    expect(await focusedName(ben, '#cg-vote-panel')).toBe('Take a dot from “Rides to appointments”')
    expect(await ballotCount(ben, 'shape:issue-rides')).toBe('0')
    expect(await ben.getByTestId('bar-dots-left').textContent()).toBe('You have 4 dots left')
    // The facilitator's panel counts Ben as a voter.
    await expect
      .poll(() => ana.getByTestId('voters').getAttribute('data-count'), { timeout: 10_000 })
      .toBe('1')

    // Edit an action step in the plan panel.
    await tabTo(ben, 'Plan')
    await ben.keyboard.press('Enter')
    await ben.locator('#cg-plan-panel').waitFor()
    await tabTo(ben, 'Add a step', '#cg-plan-panel')
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '#cg-plan-panel')).toBe('What, step 1')
    await ben.keyboard.type('Book interpreters for the March meeting')
    await ben.keyboard.press('Tab')
    await tabTo(ben, 'Person responsible, step 1', '#cg-plan-panel')
    await ben.keyboard.type('Ben')
    await ben.keyboard.press('Enter')
    const stepField = async (field: string) =>
      Object.entries(await planEntries(ana))
        .filter(([key]) => key.startsWith('action/steps/shape:issue-rides/'))
        .filter(([key]) => key.endsWith(`/${field}`))
        .map(([, value]) => value)
    await expect.poll(() => stepField('what')).toEqual(['Book interpreters for the March meeting'])
    await expect.poll(() => stepField('person')).toEqual(['Ben'])

    // Export the plan from the keyboard: the menu opens with Enter, its items are next in Tab order.
    await tabTo(ben, 'Export', '#cg-plan-panel')
    await ben.keyboard.press('Enter')
    await ben.keyboard.press('Tab')
    expect(await focusedName(ben, '#cg-plan-panel')).toBe('Plan as a document (Markdown)')
    const [file] = await Promise.all([ben.waitForEvent('download'), ben.keyboard.press('Enter')])
    const markdown = readFileSync((await file.path()) as string, 'utf8')
    expect(markdown).toContain('| Book interpreters for the March meeting | Ben |')
    // The focus is back on the menu's button.
    expect(await focusedName(ben, '#cg-plan-panel')).toBe('Export')

    expect(
      await ben.evaluate(
        () => (window as unknown as { pointerEventsSeen: string[] }).pointerEventsSeen,
      ),
    ).toEqual([])
    await ben.context().close()
    await ana.context().close()
  })
})

describe('Spanish', () => {
  it('shows Spanish prompts in the board and panels, and exports a Spanish plan', async () => {
    const board = await createBoard(session.server, {
      title: 'Alianza del Este',
      template: 'retreat',
      locale: 'es',
    })
    const rosa = await person(board.url, 'Rosa', { locale: 'es-MX' })
    expect(await rosa.evaluate(() => document.documentElement.lang)).toBe('es')
    // The retreat's stages and prompts, in Spanish.
    await rosa.getByText('3 · Temas que podríamos abordar').first().waitFor({ state: 'attached' })
    await rosa.getByText('5 · Plan de acción').first().waitFor({ state: 'attached' })
    expect(await rosa.getByText('Issues we might take on').count()).toBe(0)

    // Voting, in Spanish.
    await addIssueNotes(rosa, ISSUES)
    await startVote(rosa, 'Empezar la votación', 'Votar')
    const votePanel = rosa.getByRole('complementary', { name: 'Votación con puntos' })
    await votePanel.getByRole('heading', { name: 'Tus puntos, nota por nota' }).waitFor()
    await votePanel.getByRole('button', { name: 'Añadir un punto a «Evening hours»' }).click()
    await expect
      .poll(() => votePanel.getByTestId('dots-left').textContent())
      .toBe('Te quedan 4 puntos')

    // A step of a ranked issue, then the plan as Markdown, made in the page.
    await promote(rosa, 'shape:issue-rides', 'Transporte a las citas', 1)
    await rosa.getByRole('button', { name: 'Plan', exact: true }).click()
    const panel = rosa.getByRole('complementary', { name: 'Plan de la alianza' })
    const issue = panel.getByRole('region', { name: '1. Transporte a las citas' })
    await issue.getByRole('button', { name: 'Agregar un paso' }).click()
    await issue.getByLabel('Qué, paso 1', { exact: true }).fill('Pedir dos camionetas al condado')
    // What is a multi-line field: Ctrl+Enter (or leaving it) writes it.
    await issue.getByLabel('Qué, paso 1', { exact: true }).press('Control+Enter')
    await panel.getByRole('button', { name: 'Exportar' }).click()
    const [file] = await Promise.all([
      rosa.waitForEvent('download'),
      panel.getByRole('button', { name: 'Plan como documento (Markdown)' }).click(),
    ])
    expect(file.suggestedFilename()).toBe('Alianza del Este.md')
    const path = await file.path()
    const markdown = readFileSync(path as string, 'utf8')
    const headings = markdown.split('\n').filter((line) => /^#{1,3} /.test(line))
    expect(headings).toEqual(
      expect.arrayContaining([
        '# Alianza del Este',
        '## Organizaciones aliadas',
        '## Donde se cruza nuestro trabajo',
        '## Temas priorizados',
        '## Plan de acción',
        '### 1. Transporte a las citas',
      ]),
    )
    expect(markdown).toMatch(/\*Exportado el \d{1,2} de [a-záéíóú]+ de \d{4}\*/)
    expect(markdown).toContain('| Pedir dos camionetas al condado |')
    expect(markdown).toContain('| Sin empezar |')
    // No English heading slipped through.
    for (const english of ['Partners', 'Where our work meets', 'Action plan', 'Ranked issues'])
      expect(markdown).not.toContain(`## ${english}`)
    await rosa.context().close()
  })
})

/** axe's serious+critical count per screen and colour scheme, printed at the end. */
const axeCounts: { screen: string; scheme: string; count: number }[] = []

async function axeOn(page: Page, screen: string, scheme: string) {
  const violations = await seriousViolations(page)
  axeCounts.push({ screen, scheme, count: violations.length })
  return violations
}

afterAll(() => {
  if (axeCounts.length === 0) return
  const lines = axeCounts.map(({ screen, scheme, count }) => `  ${screen} (${scheme}): ${count}`)
  console.log(`axe-core serious/critical violations per screen:\n${lines.join('\n')}`)
})

describe('accessibility of every screen (axe-core, WCAG 2.2 AA)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation from the start page to the report (${colorScheme})`, async () => {
      const context = await session.browser.newContext({
        viewport: { width: 1400, height: 900 },
        colorScheme,
      })
      const page = await context.newPage()
      await page.goto(session.server.url)
      await page.getByRole('heading', { level: 1 }).waitFor()
      expect(await axeOn(page, 'start page', colorScheme)).toEqual([])

      const board = await createBoard(session.server, { title: 'Axe retreat', template: 'retreat' })
      await page.goto(board.url)
      await page.getByRole('dialog').waitFor()
      expect(await axeOn(page, 'join dialog', colorScheme)).toEqual([])
      await page.getByLabel('Your name, as others will see it').fill('Ana')
      await page.keyboard.press('Enter')
      await page.locator('[data-status="live"]').waitFor()
      await addIssueNotes(page, ISSUES)
      expect(await axeOn(page, 'board', colorScheme)).toEqual([])

      await page.getByRole('button', { name: 'Vote', exact: true }).click()
      const votePanel = page.getByRole('complementary', { name: 'Dot voting' })
      await votePanel.getByRole('button', { name: 'Start the vote' }).waitFor()
      expect(await axeOn(page, 'vote panel: start a vote', colorScheme)).toEqual([])
      await votePanel.getByRole('button', { name: 'Start the vote' }).click()
      await votePanel.getByRole('button', { name: 'Add a dot to “Evening hours”' }).click()
      await expect.poll(() => ballotCount(page, 'shape:issue-hours')).toBe('1')
      expect(await axeOn(page, 'vote panel: open vote and my dots', colorScheme)).toEqual([])
      await votePanel.getByRole('button', { name: 'Reveal the results' }).click()
      await votePanel.getByTestId('ranked-item').first().waitFor()
      expect(await axeOn(page, 'vote panel: results', colorScheme)).toEqual([])

      await promote(page, 'shape:issue-hours', 'Evening hours', 1)
      await page.getByRole('button', { name: 'Plan', exact: true }).click()
      const panel = page.getByRole('complementary', { name: 'Partnership plan' })
      const issue = panel.getByRole('region', { name: '1. Evening hours' })
      await issue.getByRole('button', { name: 'Add a step' }).click()
      await issue.getByLabel('What, step 1', { exact: true }).fill('Ask the library to stay open')
      await issue.getByLabel('What, step 1', { exact: true }).press('Control+Enter')
      expect(await axeOn(page, 'plan panel with the action plan', colorScheme)).toEqual([])

      await panel.getByRole('button', { name: 'Export' }).click()
      await panel.getByRole('button', { name: 'Printable report (PDF)' }).waitFor()
      expect(await axeOn(page, 'export menu', colorScheme)).toEqual([])
      await panel.getByRole('button', { name: 'Printable report (PDF)' }).click()
      await page.getByRole('dialog', { name: 'Axe retreat' }).waitFor()
      expect(await axeOn(page, 'printable report', colorScheme)).toEqual([])
      await context.close()
    })
  }
})

describe('phone', () => {
  it('adds a note and votes on a phone-sized touch screen', async () => {
    const board = await createBoard(session.server, { title: 'Phone retreat', template: 'retreat' })
    const ana = await person(board.url, 'Ana')
    await addIssueNotes(ana, ISSUES)
    await startVote(ana)

    const context = await session.browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(board.links.edit)
    await joinAndAddNoteByTouch(page, 'Lupe', 'Childcare at the library')
    await expect
      .poll(() =>
        ana.locator('.tl-shape[data-shape-type="note"]').filter({ hasText: 'Childcare' }).count(),
      )
      .toBe(1)

    // The vote panel fills the phone; its + buttons are thumb-sized and inside the screen.
    await page.getByRole('button', { name: 'Vote', exact: true }).tap()
    const add = page
      .locator('#cg-vote-panel')
      .getByRole('button', { name: 'Add a dot to “Rides to appointments”' })
    const box = await add.boundingBox()
    expect(box).not.toBeNull()
    if (box) {
      expect(box.x >= 0 && box.x + box.width <= 390).toBe(true)
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44)
    }
    await add.tap()
    await add.tap()
    await expect.poll(() => ballotCount(page, 'shape:issue-rides')).toBe('2')
    await expect.poll(() => ana.getByTestId('voters').getAttribute('data-count')).toBe('1')
    expect(await axeOn(page, 'vote panel on a phone', 'light')).toEqual([])
    await page.screenshot({ path: screenshotPath('phone-vote.png') })
    // The toggle stays reachable above the panel, to go back to the board.
    await page.getByRole('button', { name: 'Vote', exact: true }).tap()
    await page.locator('#cg-vote-panel').waitFor({ state: 'detached' })
    await context.close()
    await ana.context().close()
  })
})

describe('reduced motion', () => {
  it('stops our CSS motion and tldraw’s camera animation, following the setting live', async () => {
    const board = await createBoard(session.server, { title: 'Calm retreat', template: 'retreat' })
    const page = await person(board.url, 'Mo')
    // A probe with a transition and an animation, as any of ours or tldraw's would have.
    await page.evaluate(() => {
      const probe = document.createElement('div')
      probe.id = 'motion-probe'
      probe.style.transition = 'opacity 300ms'
      probe.style.animation = 'cg-probe 1s infinite'
      document.body.append(probe)
    })
    const motion = () =>
      page.evaluate(() => {
        const style = getComputedStyle(document.getElementById('motion-probe') as Element)
        const editor = window.commonGround.editor as unknown as {
          user: { getAnimationSpeed(): number }
        }
        return {
          speed: editor.user.getAnimationSpeed(),
          transition: Number.parseFloat(style.transitionDuration),
          animation: Number.parseFloat(style.animationDuration),
          repeats: style.animationIterationCount,
        }
      })
    expect(await motion()).toEqual({ speed: 1, transition: 0.3, animation: 1, repeats: 'infinite' })

    // The device asks for less motion while the board is open: everything follows at once.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await expect.poll(async () => (await motion()).speed).toBe(0)
    const calm = await motion()
    expect(calm.transition).toBeLessThan(0.001)
    expect(calm.animation).toBeLessThan(0.001)
    expect(calm.repeats).toBe('1')
    // tldraw's camera moves jump instead of gliding.
    const moved = await page.evaluate(() => {
      const editor = window.commonGround.editor as unknown as {
        getCamera(): { x: number; y: number }
        setCamera(point: { x: number; y: number; z: number }, options: object): void
      }
      editor.setCamera({ x: 500, y: 300, z: 1 }, { animation: { duration: 2000 } })
      return editor.getCamera()
    })
    expect(moved).toMatchObject({ x: 500, y: 300 })
    await page.context().close()
  })
})
