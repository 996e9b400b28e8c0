/**
 * Sorting the brainstorm, end to end (issue 21, parts 1, 4 and 5): the facilitator (Ana) groups
 * six notes into two themes and merges a duplicate from the sort panel; a vote runs over the
 * themes and Ben places his dots from his own ordering of the list; Ben parks an off-topic note
 * with the keyboard alone (Shift+P) and brings it back from the panel; Ana parks it again from the
 * note's context menu. Every change goes through
 * the server (Ben's page sees it), and axe finds nothing serious in the sort panel.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { seriousViolations } from './axe.ts'
import { addIssueNotes } from './boardSteps.ts'
import { selectInFrameByKeyboard } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const NOTES = [
  ['shape:s-jobs1', 'Summer jobs'],
  ['shape:s-jobs2', 'Apprenticeships'],
  ['shape:s-jobs3', 'Job fairs'],
  ['shape:s-home1', 'Rent help'],
  ['shape:s-home2', 'Repairs for seniors'],
  ['shape:s-home3', 'Shelter beds'],
  ['shape:s-dup', 'Summer jobs for teens'],
  ['shape:s-lunch', 'Lunch menu'],
] as const

async function select(page: Page, ids: readonly string[]) {
  await page.evaluate((ids) => {
    const editor = window.commonGround.editor as unknown as { select(...ids: string[]): void }
    editor.select(...ids)
  }, ids)
}

/** A shape as a page holds it (plain JSON: never the editor itself). */
function shapeOn(page: Page, id: string) {
  return page.evaluate((id) => {
    const editor = window.commonGround.editor as unknown as {
      getShape(id: string): { parentId: string; meta: Record<string, unknown> } | undefined
    }
    const shape = editor.getShape(id)
    return shape ? JSON.parse(JSON.stringify(shape)) : null
  }, id) as Promise<{
    parentId: string
    meta: Record<string, unknown>
    props: { richText: unknown }
  } | null>
}

type Box = { x: number; y: number; w: number; h: number }

/** Page bounds of shapes, rounded to a tenth of a unit. */
const pageBoxes = (page: Page, ids: readonly string[]) =>
  page.evaluate((ids) => {
    const editor = window.commonGround.editor as unknown as {
      getShapePageBounds(id: string): Box | undefined
    }
    const round = (value: number) => Math.round(value * 10) / 10
    return ids.map((id) => {
      const bounds = editor.getShapePageBounds(id)
      if (!bounds) throw new Error(`no shape ${id}`)
      return { x: round(bounds.x), y: round(bounds.y), w: round(bounds.w), h: round(bounds.h) }
    })
  }, ids) as Promise<Box[]>

const contains = (outer: Box | undefined, inner: Box | undefined) =>
  !!outer &&
  !!inner &&
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h

const textOf = (shape: { props: { richText: unknown } } | null) =>
  JSON.stringify(shape?.props.richText)

describe('sorting the notes', () => {
  it('groups six notes into two themes, merges a duplicate, votes over themes, parks by keyboard', async () => {
    const { url, links } = await createBoard(session.server, {
      title: 'Sorting check',
      template: 'retreat',
    })
    const ana = await openBoardAs(session.browser, url, 'Ana')
    await addIssueNotes(ana, NOTES)
    const ben = await openBoardAs(session.browser, links.edit, 'Ben')
    await ben.waitForFunction(() =>
      Boolean(window.commonGround.editor.getShape('shape:s-lunch' as never)),
    )

    // Two themes, from the sort panel.
    const allNotes = NOTES.map(([id]) => id)
    const before = await pageBoxes(ana, allNotes)
    await ana.getByRole('button', { name: 'Sort', exact: true }).click()
    const panel = ana.getByRole('complementary', { name: 'Sort the notes' })
    for (const [title, ids] of [
      ['Jobs', ['shape:s-jobs1', 'shape:s-jobs2', 'shape:s-jobs3']],
      ['Housing', ['shape:s-home1', 'shape:s-home2', 'shape:s-home3']],
    ] as const) {
      await select(ana, ids)
      await expect
        .poll(() => panel.getByTestId('sort-selected').textContent())
        .toBe('3 notes selected')
      await panel.getByLabel('Theme title').fill(title)
      await panel.getByRole('button', { name: 'Group into a theme' }).click()
      await expect.poll(() => panel.getByRole('button', { name: `Show ${title}` }).count()).toBe(1)
    }
    const themes = panel.getByTestId('theme-list').locator('li')
    await expect.poll(() => themes.count()).toBe(2)
    expect(await themes.allTextContents()).toEqual([
      expect.stringContaining('Jobs (3 notes)'),
      expect.stringContaining('Housing (3 notes)'),
    ])
    const jobsTheme = (await shapeOn(ana, 'shape:s-jobs1'))?.parentId as string
    expect(jobsTheme).toMatch(/^shape:/)
    // Every note stays where it was, inside its theme, inside the Issues frame (a theme drawn
    // elsewhere would hide its notes: a frame clips what it holds).
    expect(await pageBoxes(ana, allNotes)).toEqual(before)
    const homeTheme = (await shapeOn(ana, 'shape:s-home1'))?.parentId as string
    const [jobsBox, homeBox, issuesBox] = await pageBoxes(ana, [
      jobsTheme,
      homeTheme,
      'shape:stage-issues',
    ])
    for (const [theme, ids] of [
      [jobsBox, ['shape:s-jobs1', 'shape:s-jobs2', 'shape:s-jobs3']],
      [homeBox, ['shape:s-home1', 'shape:s-home2', 'shape:s-home3']],
    ] as const) {
      expect(contains(issuesBox, theme), 'theme in the Issues frame').toBe(true)
      for (const box of await pageBoxes(ana, ids)) expect(contains(theme, box)).toBe(true)
    }
    // Ben's page got the themes from the server: his notes sit in them.
    await expect.poll(async () => (await shapeOn(ben, 'shape:s-jobs3'))?.parentId).toBe(jobsTheme)
    expect((await shapeOn(ben, 'shape:s-home1'))?.parentId).not.toBe('shape:stage-issues')

    // Merge the duplicate into the first summer-jobs note: one note, both texts, both parts.
    await select(ana, ['shape:s-jobs1', 'shape:s-dup'])
    await panel.getByRole('button', { name: 'Merge into one note' }).click()
    await expect.poll(async () => await shapeOn(ben, 'shape:s-dup')).toBeNull()
    const merged = await shapeOn(ben, 'shape:s-jobs1')
    expect(textOf(merged)).toContain('Summer jobs')
    expect(textOf(merged)).toContain('Summer jobs for teens')
    const parts = (merged?.meta.cgMerged ?? []) as { id: string }[]
    expect(parts.map((part) => part.id)).toEqual(['shape:s-jobs1', 'shape:s-dup'])
    expect(
      await ana.getByRole('status').filter({ hasText: 'Merged 2 notes into one.' }).count(),
    ).toBe(1)

    // Undo brings the duplicate back (the server takes it: the note is on the board again), redo
    // merges again; nobody's page is refused anything.
    const history = (action: 'undo' | 'redo') =>
      ana.evaluate((action) => {
        const editor = window.commonGround.editor as unknown as { undo(): void; redo(): void }
        editor[action]()
      }, action)
    await history('undo')
    await expect
      .poll(async () => (await shapeOn(ben, 'shape:s-dup'))?.parentId)
      .toBe('shape:stage-issues')
    expect((await shapeOn(ben, 'shape:s-jobs1'))?.meta.cgMerged).toBeUndefined()
    await history('redo')
    await expect.poll(async () => await shapeOn(ben, 'shape:s-dup')).toBeNull()
    expect(session.server.logs.filter((line) => line.msg === 'update refused')).toEqual([])
    expect(await ana.getByTestId('write-refused').textContent()).toBe('')

    // axe: the sort panel with its themes.
    expect(await seriousViolations(ana, '#cg-sort-panel')).toEqual([])

    // A vote over the themes.
    await ana.getByRole('button', { name: 'Vote', exact: true }).click()
    const votePanel = ana.getByRole('complementary', { name: 'Dot voting' })
    await votePanel.getByLabel('The themes in the Issues stage (2 themes)').check()
    await votePanel.getByRole('button', { name: 'Start the vote' }).click()
    await ben.getByRole('button', { name: 'Vote', exact: true }).click()
    const benVote = ben.getByRole('complementary', { name: 'Dot voting' })
    const ballot = benVote.getByTestId('ballot').locator('li')
    await expect.poll(() => ballot.count()).toBe(2)
    // Ben's list is his own order for this round; it holds the two themes by their titles.
    const order = await ballot.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-item')),
    )
    expect(new Set(order)).toEqual(
      new Set([jobsTheme, (await shapeOn(ana, 'shape:s-home1'))?.parentId]),
    )
    await benVote.getByRole('button', { name: 'Add a dot to “Housing”' }).click()
    await benVote.getByRole('button', { name: 'Add a dot to “Housing”' }).click()
    await benVote.getByRole('button', { name: 'Add a dot to “Jobs”' }).click()
    await expect.poll(() => votePanel.getByTestId('voters').getAttribute('data-count')).toBe('1')
    await votePanel.getByRole('button', { name: 'Reveal the results' }).click()
    const ranked = benVote.getByTestId('ranked-item')
    await expect.poll(() => ranked.count()).toBe(2)
    expect(await ranked.allTextContents()).toEqual([
      expect.stringContaining('Housing'),
      expect.stringContaining('Jobs'),
    ])

    // Ben parks the lunch note with the keyboard alone, and brings it back from the panel.
    await selectInFrameByKeyboard(ben, 'shape:stage-issues', 'shape:s-lunch')
    await ben.keyboard.press('Shift+P')
    await expect
      .poll(async () => (await shapeOn(ana, 'shape:s-lunch'))?.parentId)
      .toBe('shape:stage-parkingLot')
    expect((await shapeOn(ana, 'shape:s-lunch'))?.meta.cgParkedFrom).toMatchObject({
      parentId: 'shape:stage-issues',
    })
    await ben.getByRole('button', { name: 'Sort', exact: true }).focus()
    await ben.keyboard.press('Enter')
    const benSort = ben.getByRole('complementary', { name: 'Sort the notes' })
    const bringBack = benSort.getByRole('button', { name: 'Bring back “Lunch menu”' })
    await expect.poll(() => bringBack.count()).toBe(1)
    await bringBack.focus()
    await ben.keyboard.press('Enter')
    await expect
      .poll(async () => (await shapeOn(ana, 'shape:s-lunch'))?.parentId)
      .toBe('shape:stage-issues')
    expect((await shapeOn(ana, 'shape:s-lunch'))?.meta.cgParkedFrom).toBeUndefined()

    // The note's context menu offers the same: Ana parks it again from there.
    await ana.evaluate(() => {
      const editor = window.commonGround.editor as unknown as {
        select(...ids: string[]): void
        zoomToSelection(): void
      }
      editor.select('shape:s-lunch')
      editor.zoomToSelection()
    })
    await ana.locator('[data-shape-id="shape:s-lunch"]').click({ button: 'right' })
    await ana.getByRole('menuitem', { name: 'Send to the parking lot' }).click()
    await expect
      .poll(async () => (await shapeOn(ben, 'shape:s-lunch'))?.parentId)
      .toBe('shape:stage-parkingLot')
    expect(await seriousViolations(ben)).toEqual([])
  })
})
