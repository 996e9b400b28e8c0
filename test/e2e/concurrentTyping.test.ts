/**
 * Two people typing in one plan field at the same time both keep their text (issue 15). A plan
 * field is one plain string under one key of the `plan` map, and a key keeps only the last
 * writer's value; the app merges (three-way, in the browser) what someone else wrote with what
 * this person typed, so neither person's words are lost and both pages end with the same text.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { promote } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

async function openPlan(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Plan', exact: true }).click()
  const panel = page.getByRole('complementary', { name: 'Partnership plan' })
  await panel.waitFor()
  return panel
}

const ISSUE = '1. Evening childcare'
const stepField = (panel: Locator) =>
  panel.getByRole('region', { name: ISSUE }).getByLabel('What, step 1', { exact: true })

/** Adds the issue's first step on Ana's page; its "What" field then has the focus. */
async function addStep(page: Page, panel: Locator) {
  await panel
    .getByRole('region', { name: ISSUE })
    .getByRole('button', { name: 'Add a step' })
    .click()
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
    .toBe('What, step 1')
}

/** Back online, then the plan opened again. */
async function reopen(page: Page): Promise<Locator> {
  await page.locator('[data-status="live"]').waitFor()
  return openPlan(page)
}

/** Types `words` one at a time, each followed by a pause long enough for it to be written. */
async function typeWords(page: Page, words: readonly string[], pauseMs: number) {
  for (const word of words) {
    await page.keyboard.type(word, { delay: 25 })
    await page.waitForTimeout(pauseMs)
  }
}

/**
 * Ana and Ben on a new board, each with the plan open on one promoted issue, and one step whose
 * "What" Ana wrote as `text` and Ben already sees.
 */
async function oneStepOnBothPages(title: string, text: string) {
  const board = await createBoard(session.server, { title, template: 'blank' })
  const ana = await openBoardAs(session.browser, board.url, 'Ana')
  const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
  await promote(ana, 'shape:issueCare', 'Evening childcare', 1)
  const anaPanel = await openPlan(ana)
  const benPanel = await openPlan(ben)
  await addStep(ana, anaPanel)
  await ana.keyboard.type(text)
  await ana.keyboard.press('Escape')
  await expect.poll(() => stepField(benPanel).inputValue()).toBe(text)
  return { ana, ben, anaPanel, benPanel }
}

describe('two people typing in one plan field at once', () => {
  it('keeps both people’s words, in place, on both pages and after a reload', async () => {
    const { ana, ben, anaPanel, benPanel } = await oneStepOnBothPages(
      'Typing at once',
      'ask the school',
    )

    // Ana writes at the start, Ben at the end, word by word and at the same time: each word is
    // written while the other is typing theirs.
    const anaWords = ['Ana1 ', 'Ana2 ', 'Ana3 ', 'Ana4 ', 'Ana5 ']
    const benWords = [' ben1', ' ben2', ' ben3', ' ben4', ' ben5']
    await stepField(anaPanel).click()
    await ana.keyboard.press('Control+Home')
    await stepField(benPanel).click()
    await ben.keyboard.press('Control+End')
    await Promise.all([typeWords(ana, anaWords, 380), typeWords(ben, benWords, 330)])

    const expected = `${anaWords.join('')}ask the school${benWords.join('')}`
    // Both still in the field: each already sees the other's words around their own.
    await expect.poll(() => stepField(anaPanel).inputValue(), { timeout: 10_000 }).toBe(expected)
    await expect.poll(() => stepField(benPanel).inputValue(), { timeout: 10_000 }).toBe(expected)
    // The caret stayed where each was typing.
    expect(
      await stepField(anaPanel).evaluate((field: HTMLTextAreaElement) => field.selectionStart),
    ).toBe(anaWords.join('').length)
    expect(
      await stepField(benPanel).evaluate((field: HTMLTextAreaElement) => field.selectionStart),
    ).toBe(expected.length)

    // Both leave the field; the board holds the merged text, and a reload shows it.
    await ana.keyboard.press('Escape')
    await ben.keyboard.press('Escape')
    await ana.reload()
    await ana.waitForFunction(() => Boolean(window.commonGround?.editor))
    await expect.poll(async () => stepField(await openPlan(ana)).inputValue()).toBe(expected)
    await expect.poll(() => stepField(benPanel).inputValue()).toBe(expected)
  })

  it.each([
    ['in the field', false],
    ['after the plan was closed', true],
  ])('brings back a word someone wrote over at the same moment (%s)', async (_, close) => {
    const { ana, ben, anaPanel, benPanel } = await oneStepOnBothPages('Lost write', 'rooms')

    // Both type and leave the field while neither page receives anything: two concurrent
    // writes of one key, one of which the board drops.
    const offline = async (page: Page, on: boolean) => page.context().setOffline(on)
    await offline(ana, true)
    await offline(ben, true)
    await ana.locator('[data-status="offline"]').waitFor()
    await ben.locator('[data-status="offline"]').waitFor()
    await stepField(anaPanel).click()
    await ana.keyboard.press('Control+Home')
    await ana.keyboard.type('Book ')
    await ana.keyboard.press('Escape')
    await stepField(benPanel).click()
    await ben.keyboard.press('Control+End')
    await ben.keyboard.type(' and buses')
    await ben.keyboard.press('Escape')
    if (close) {
      // The fields are gone from both screens before either write reaches the other.
      for (const page of [ana, ben])
        await page.getByRole('button', { name: 'Hide plan', exact: true }).click()
      await expect
        .poll(() => ana.getByRole('complementary', { name: 'Partnership plan' }).count())
        .toBe(0)
    }
    await offline(ana, false)
    await offline(ben, false)

    const anaField = close ? stepField(await reopen(ana)) : stepField(anaPanel)
    const benField = close ? stepField(await reopen(ben)) : stepField(benPanel)
    await expect.poll(() => anaField.inputValue(), { timeout: 20_000 }).toBe('Book rooms and buses')
    await expect.poll(() => benField.inputValue(), { timeout: 20_000 }).toBe('Book rooms and buses')
  })
})
