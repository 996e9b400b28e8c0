/**
 * The agreement drafts end to end: a facilitator fills the agreement details in the plan panel
 * (effective date, term, a signatory for a partner), reaches the memorandum in the Export menu
 * by keyboard and downloads it, then the data-sharing agreement by pointer; both files open in
 * mammoth (a .docx reader) and hold what she typed, with placeholders for what nobody answered.
 */
import { readFileSync } from 'node:fs'
import mammoth from 'mammoth'
import type { Download, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createBoard } from '../support/boards.ts'
import { focusedName, tabTo } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function textOf(file: Download): Promise<string> {
  const path = await file.path()
  if (!path) throw new Error(`download ${file.suggestedFilename()} has no file`)
  return (await mammoth.extractRawText({ buffer: readFileSync(path) })).value
}

async function addPartner(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add organization card' }).click()
  await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
  await page.keyboard.type(name)
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
}

describe('agreement drafts', () => {
  it('fills the agreement details and downloads both drafts as Word files', async () => {
    const board = await createBoard(session.server, {
      title: 'Eastside partnership',
      template: 'retreat',
    })
    const ana = await openBoardAs(session.browser, board.url, 'Ana', { acceptDownloads: true })
    await addPartner(ana, 'Eastside Housing Authority')

    await ana.getByRole('button', { name: 'Plan', exact: true }).click()
    const panel = ana.getByRole('complementary', { name: 'Partnership plan' })
    const details = panel.getByRole('region', { name: 'Agreement details' })
    await details.waitFor()
    await details.getByLabel('Takes effect on').fill('2027-01-15')
    await details.getByLabel('Takes effect on').press('Enter')
    await details.getByLabel('Runs for (e.g. two years, renewable)').fill('Two years')
    await details.getByLabel('Runs for (e.g. two years, renewable)').press('Enter')
    await details.getByRole('button', { name: 'Add someone who signs' }).click()
    const name = details.getByLabel('Name, Person 1', { exact: true })
    await name.fill('Rosa Díaz')
    await name.press('Enter')
    await details.getByLabel('Title or position').fill('Executive director')
    await details.getByLabel('Title or position').press('Enter')
    await details
      .getByLabel('Organization, Rosa Díaz')
      .selectOption({ label: 'Eastside Housing Authority' })
    await expect
      .poll(() => details.getByRole('button', { name: 'Remove Rosa Díaz' }).count())
      .toBe(1)

    // The memorandum, from the keyboard: Enter opens the menu, Tab reaches the item.
    await panel.getByRole('button', { name: 'Export' }).focus()
    await ana.keyboard.press('Enter')
    const mouItem = 'Memorandum of understanding, draft (Word, .docx)'
    await tabTo(ana, mouItem, '#cg-plan-panel', 12)
    const [mouFile] = await Promise.all([ana.waitForEvent('download'), ana.keyboard.press('Enter')])
    expect(mouFile.suggestedFilename()).toBe(
      'Eastside partnership - Memorandum of understanding.docx',
    )
    expect(await focusedName(ana, '#cg-plan-panel')).toBe('Export')
    const mou = await textOf(mouFile)
    for (const expected of [
      'Memorandum of understanding',
      'Prepared from the board “Eastside partnership”',
      'Eastside Housing Authority',
      'January 15, 2027',
      'Two years',
      'Rosa Díaz',
      'Executive director',
      '[To fill in: the priorities and steps of the action plan]',
    ]) {
      expect(mou).toContain(expected)
    }

    // The data-sharing agreement, by pointer.
    await panel.getByRole('button', { name: 'Export' }).click()
    const [dsaFile] = await Promise.all([
      ana.waitForEvent('download'),
      panel.getByRole('button', { name: 'Data-sharing agreement, draft (Word, .docx)' }).click(),
    ])
    expect(dsaFile.suggestedFilename()).toBe('Eastside partnership - Data-sharing agreement.docx')
    const dsa = await textOf(dsaFile)
    expect(dsa).toContain('Data to be shared')
    expect(dsa).toContain('[To fill in: the data elements the partners exchange]')
    expect(dsa).toContain('Rosa Díaz')
    await ana.context().close()
  })
})
