/**
 * The action plan on the canvas: a facilitator (Ana) promotes one issue and adds another in her
 * plan panel, with a commitment and a step; a participant's (Ben's) canvas shows one card per
 * issue in the Action plan stage with that step; the status Ben sets in his panel shows on Ana's
 * card; the card opens the plan at its issue (button, or Enter on the selected card); removing
 * an issue removes its card everywhere. Both browsers keep the cards, yet each issue has one.
 * Screenshots of the stage with two cards, light and dark: test/screenshots/action-cards*.png.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { promote } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const FRAME = 'shape:stage-actionPlan'

/** The editor calls this file makes inside pages, beyond the shared handle (pageHandle.ts). */
interface CardEditor {
  getShape(id: string): { x: number; y: number } | undefined
  getShapePageBounds(
    id: string,
  ): { x: number; y: number; w: number; h: number; maxX: number; maxY: number } | undefined
  zoomToBounds(
    bounds: { x: number; y: number; w: number; h: number },
    options?: { inset?: number; immediate?: boolean },
  ): void
  select(id: string): void
  selectNone(): void
  getContainer(): HTMLElement
  user: { updateUserPreferences(preferences: { colorScheme: 'dark' | 'light' }): void }
  store: {
    allRecords(): {
      id: string
      typeName: string
      type?: string
      parentId?: string
      props?: { issue?: string }
    }[]
  }
}

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

async function openPlan(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Plan', exact: true }).click()
  await panelOf(page).waitFor()
}

async function closePlan(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Hide plan', exact: true }).click()
  await panelOf(page).waitFor({ state: 'detached' })
}

function panelOf(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Partnership plan' })
}

/** Puts a shape on the canvas through the editor, as a person's pointer would. */
function createShape(page: Page, shape: Record<string, unknown>) {
  return page.evaluate((shape) => {
    window.commonGround.editor.createShape(shape as never)
  }, shape)
}

/** The canvas shows the Action plan stage, whole. */
function lookAtActionPlan(page: Page) {
  return page.evaluate((frame) => {
    const editor = window.commonGround.editor as unknown as CardEditor
    const bounds = editor.getShapePageBounds(frame)
    if (bounds) editor.zoomToBounds(bounds, { inset: 24, immediate: true })
  }, FRAME)
}

/** Every action card in this browser's store: id, issue and parent. */
function storedCards(page: Page) {
  return page.evaluate(() =>
    (window.commonGround.editor as unknown as CardEditor).store
      .allRecords()
      .filter((record) => record.typeName === 'shape' && record.type === 'cg-action-issue')
      .map((record) => ({ id: record.id, issue: record.props?.issue, parentId: record.parentId }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  )
}

const card = (page: Page, issue: string) =>
  page.locator(`[data-testid="action-card"][data-issue="${issue}"]`)

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')

describe('action cards', () => {
  it('show each issue of the plan in the Action plan stage and follow every edit', async () => {
    const board = await createBoard(session.server, {
      title: 'Eastside partnership',
      template: 'retreat',
    })
    const ana = await person(board.url, 'Ana')
    const ben = await person(board.links.edit, 'Ben')

    // An organization and an issue note (in the Issues stage) to plan with.
    await createShape(ana, {
      id: 'shape:orgHousing',
      type: 'cg-organization',
      parentId: 'shape:stage-organizations',
      x: 60,
      y: 160,
      props: { name: 'Eastside Housing Authority' },
    })
    await createShape(ana, {
      id: 'shape:issueCare',
      type: 'note',
      parentId: 'shape:stage-issues',
      x: 80,
      y: 200,
      props: {
        richText: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Evening childcare' }] }],
        },
      },
    })

    // Ana promotes the top issue (as the vote panel does) and adds the other in her panel.
    await promote(ana, 'shape:issueHousing', 'Safe housing for families', 1)
    await openPlan(ana)
    const anaPanel = panelOf(ana)
    await anaPanel
      .getByLabel('Add an issue to the action plan')
      .selectOption({ label: 'Evening childcare' })
    await anaPanel.getByRole('button', { name: 'Add', exact: true }).click()
    const anaHousing = anaPanel.getByRole('region', { name: '1. Safe housing for families' })
    await anaPanel.getByRole('region', { name: '2. Evening childcare' }).waitFor()

    // A commitment and a step for the first issue.
    await anaHousing.getByText('What each organization takes on and needs').click()
    const takesOn = anaHousing.getByLabel('Eastside Housing Authority: Takes on', { exact: true })
    await takesOn.fill('Twenty units held for partner referrals')
    await takesOn.press('Tab')
    await anaHousing.getByRole('button', { name: 'Add a step' }).click()
    await anaHousing.getByLabel('What, step 1', { exact: true }).fill('Draft the tenant survey')
    await anaHousing.getByLabel('Person responsible, step 1', { exact: true }).fill('Ana')
    await anaHousing.getByLabel('Due date, step 1', { exact: true }).fill('2027-03-15')
    await anaHousing.getByLabel('Due date, step 1', { exact: true }).press('Enter')

    // Ben's canvas: one card per issue, in the Action plan stage, in rank order, with the step.
    await lookAtActionPlan(ben)
    const benHousing = card(ben, 'shape:issueHousing')
    // Each field of the step is its own key, sent as it is committed: wait for all of them.
    await expect
      .poll(
        async () => {
          const text = (await benHousing.textContent()) ?? ''
          return text.includes('Draft the tenant survey') && text.includes('Ana')
        },
        { timeout: 10_000 },
      )
      .toBe(true)
    const housingText = await benHousing.textContent()
    expect(housingText).toContain('Safe housing for families')
    expect(housingText).toContain('Ana')
    expect(housingText).toContain('Not started')
    expect(housingText).toContain('Twenty units held for partner referrals')
    expect(housingText).toContain('Eastside Housing Authority')
    await expect
      .poll(() => card(ben, 'shape:issueCare').textContent())
      .toContain('Evening childcare')
    expect(await benHousing.getAttribute('aria-label')).toBe(
      'Action plan card: 1. Safe housing for families',
    )
    const expected = [
      { id: 'shape:action-issueCare', issue: 'shape:issueCare', parentId: FRAME },
      { id: 'shape:action-issueHousing', issue: 'shape:issueHousing', parentId: FRAME },
    ]
    // Both browsers may edit, so both kept the cards in step: still one card per issue.
    await expect.poll(() => storedCards(ben)).toEqual(expected)
    await expect.poll(() => storedCards(ana)).toEqual(expected)
    const places = await ben.evaluate(() => {
      const editor = window.commonGround.editor as unknown as CardEditor
      return ['shape:action-issueHousing', 'shape:action-issueCare'].map((id) => {
        const shape = editor.getShape(id)
        return { x: shape?.x ?? -1, y: shape?.y ?? -1 }
      })
    })
    // Rank order: the first issue left of the second, on the same row.
    expect(places[0]?.y).toBe(places[1]?.y)
    expect(places[0]?.x ?? 0).toBeLessThan(places[1]?.x ?? 0)

    // Ben marks the step in progress in his panel; Ana's card shows it.
    await openPlan(ben)
    const benIssue = panelOf(ben).getByRole('region', { name: '1. Safe housing for families' })
    await benIssue
      .getByLabel('Status, step 1', { exact: true })
      .selectOption({ label: 'In progress' })
    await lookAtActionPlan(ana)
    const anaStatus = card(ana, 'shape:issueHousing').locator('.cg-action-card__status')
    await expect.poll(() => anaStatus.getAttribute('data-status')).toBe('in-progress')
    expect(await anaStatus.textContent()).toBe('In progress')
    expect(await card(ana, 'shape:issueHousing').textContent()).toContain('0 of 1 step done')

    // Ben adds a step he has already done; Ana's card counts it.
    await benIssue.getByRole('button', { name: 'Add a step' }).click()
    await benIssue.getByLabel('What, step 2', { exact: true }).fill('Book the community hall')
    await benIssue.getByLabel('Person responsible, step 2', { exact: true }).fill('Ben')
    await benIssue.getByLabel('Person responsible, step 2', { exact: true }).press('Enter')
    await benIssue.getByLabel('Status, step 2', { exact: true }).selectOption({ label: 'Done' })
    await expect
      .poll(() => card(ana, 'shape:issueHousing').textContent())
      .toContain('1 of 2 steps done')

    // The stage with two cards, light and dark (looked at by hand).
    await closePlan(ana)
    await ana.evaluate(() => {
      const editor = window.commonGround.editor as unknown as CardEditor
      editor.selectNone()
      const frame = editor.getShapePageBounds('shape:stage-actionPlan')
      const last = editor.getShapePageBounds('shape:action-issueCare')
      if (!frame || !last) return
      const [w, h] = [last.maxX - frame.x + 40, last.maxY - frame.y + 40]
      editor.zoomToBounds(
        { x: frame.x - 40, y: frame.y - 120, w: w + 80, h: h + 160 },
        {
          immediate: true,
        },
      )
    })
    await ana.waitForTimeout(300)
    await ana.screenshot({ path: screenshotPath('action-cards.png') })
    // Readable for everyone: no serious axe finding with the cards on screen, light or dark.
    expect(await seriousViolations(ana)).toEqual([])
    await ana.evaluate(() =>
      (window.commonGround.editor as unknown as CardEditor).user.updateUserPreferences({
        colorScheme: 'dark',
      }),
    )
    await ana.waitForTimeout(300)
    await ana.screenshot({ path: screenshotPath('action-cards-dark.png') })
    expect(await seriousViolations(ana)).toEqual([])
    await ana.evaluate(() =>
      (window.commonGround.editor as unknown as CardEditor).user.updateUserPreferences({
        colorScheme: 'light',
      }),
    )

    // Keyboard: Enter on the selected card opens the plan at its issue, focus on its heading.
    await ana.evaluate(() => {
      const editor = window.commonGround.editor as unknown as CardEditor
      editor.select('shape:action-issueCare')
      editor.getContainer().focus()
    })
    await ana.keyboard.press('Enter')
    await panelOf(ana).waitFor()
    await expect.poll(() => focusedText(ana)).toBe('2. Evening childcare')
    // The button does the same with a pointer.
    await card(ana, 'shape:issueHousing').getByRole('button', { name: 'Edit in the plan' }).click()
    await expect.poll(() => focusedText(ana)).toBe('1. Safe housing for families')

    // Taking an issue out of the plan takes its card off every canvas.
    ana.once('dialog', (dialog) => dialog.accept())
    await panelOf(ana)
      .getByRole('button', { name: 'Remove “Evening childcare” from the action plan' })
      .click()
    await expect.poll(() => card(ben, 'shape:issueCare').count()).toBe(0)
    await expect.poll(() => storedCards(ana)).toEqual([expected[1]])
    await expect.poll(() => storedCards(ben)).toEqual([expected[1]])
  })

  it('an observer sees the cards and can open the plan from them', async () => {
    const board = await createBoard(session.server, { title: 'Viewing', template: 'retreat' })
    const ola = await person(board.links.view, 'Ola')
    const ana = await person(board.url, 'Ana')
    await promote(ana, 'shape:issueJobs', 'Jobs for young adults', 1)
    await lookAtActionPlan(ola)
    await expect
      .poll(() => card(ola, 'shape:issueJobs').textContent())
      .toContain('Jobs for young adults')
    await card(ola, 'shape:issueJobs').getByRole('button', { name: 'Show in the plan' }).click()
    await expect.poll(() => focusedText(ola)).toBe('1. Jobs for young adults')
    // Her browser wrote nothing: the card is the one Ana's browser made.
    expect(await storedCards(ola)).toEqual([
      { id: 'shape:action-issueJobs', issue: 'shape:issueJobs', parentId: FRAME },
    ])
  })
})
