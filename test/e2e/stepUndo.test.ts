/**
 * Removing a step can be undone (issue 15): the step comes back whole (what was typed a moment
 * before removing it too), in its place, for the other person as well, and the keyboard lands on
 * "Undo" after removing and back in the step after undoing.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { promote } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function openIssue(page: Page) {
  await page.getByRole('button', { name: 'Plan', exact: true }).click()
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  const issue = panel.getByRole('region', { name: '1. Evening childcare' })
  await issue.waitFor()
  return issue
}

const stepTexts = (page: Page) =>
  page.evaluate(() => {
    const { connection } = window.commonGround as unknown as {
      connection: { doc: { getMap(name: string): Map<string, unknown> } }
    }
    return [...connection.doc.getMap('plan').entries()]
      .filter(([key]) => key.endsWith('/what'))
      .map(([, value]) => value as string)
      .sort()
  })

describe('undo a removed step', () => {
  it('brings the step back whole, for everyone, from the keyboard', async () => {
    const board = await createBoard(session.server, { title: 'Undo', template: 'blank' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
    await promote(ana, 'shape:issueCare', 'Evening childcare', 1)
    const issue = await openIssue(ana)
    const benIssue = await openIssue(ben)

    for (const what of ['Find a room', 'Ask the school', 'Book sitters']) {
      await issue.getByRole('button', { name: 'Add a step' }).click()
      await expect.poll(() => ana.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA')
      await ana.keyboard.type(what)
    }
    // Step 2 gets more text, then is removed before the field was left.
    await issue.getByLabel('What, step 2', { exact: true }).click()
    await ana.keyboard.press('End')
    await ana.keyboard.type(' and the library')
    await issue.getByRole('button', { name: 'Remove step 2' }).click()
    await expect.poll(() => stepTexts(ben)).toEqual(['Book sitters', 'Find a room'])
    await issue.getByRole('status').filter({ hasText: 'Step 2 removed.' }).waitFor()
    await expect
      .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Undo: bring step 2 back')

    await ana.keyboard.press('Enter')
    await expect
      .poll(() => stepTexts(ben))
      .toEqual(['Ask the school and the library', 'Book sitters', 'Find a room'])
    await expect
      .poll(() => benIssue.getByLabel('What, step 2', { exact: true }).inputValue())
      .toBe('Ask the school and the library')
    await expect
      .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('What, step 2')
  })
})
