/**
 * Plan fields are as live as a note on the canvas (issue 15): what Ana types in a step reaches
 * Ben while she is still in the field, and survives a reload made at once, without leaving the
 * field — the text was written as she typed and kept in the browser's copy.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function openPlan(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Plan', exact: true }).click()
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  await panel.waitFor()
  return panel
}

const field = (issue: Locator, name: string, step: number) =>
  issue.getByLabel(`${name}, step ${step}`, { exact: true })

describe('live plan fields', () => {
  it('sends text as it is typed and keeps it through an immediate reload', async () => {
    const board = await createBoard(session.server, { title: 'Live fields', template: 'blank' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')
    const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
    await ana.evaluate(() => {
      const { doc } = window.commonGround.connection as unknown as {
        doc: { getMap(name: string): { set(key: string, value: unknown): void } }
      }
      doc.getMap('plan').set('action/issues/shape:issueCare', {
        title: 'Evening childcare',
        rank: 1,
        sessionId: null,
      })
    })
    const anaIssue = (await openPlan(ana)).getByRole('region', { name: '1. Evening childcare' })
    const benIssue = (await openPlan(ben)).getByRole('region', { name: '1. Evening childcare' })
    await anaIssue.getByRole('button', { name: 'Add a step' }).click()
    await expect
      .poll(() => ana.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('What, step 1')
    await ana.keyboard.type('Ask the school about evening rooms')
    // Still in the field: Ben already has it.
    await expect
      .poll(() => field(benIssue, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms')

    // More typing, then a reload straight away, without leaving the field.
    await ana.keyboard.type(' and buses')
    await ana.reload()
    await ana.waitForFunction(() => Boolean(window.commonGround?.editor))
    const again = (await openPlan(ana)).getByRole('region', { name: '1. Evening childcare' })
    await expect
      .poll(() => field(again, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms and buses')
    await expect
      .poll(() => field(benIssue, 'What', 1).inputValue())
      .toBe('Ask the school about evening rooms and buses')
  })
})
