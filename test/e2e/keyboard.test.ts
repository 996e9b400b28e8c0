/**
 * Keyboard only, on the canvas and in the plan (issue 10): with not one mouse, pointer, touch or
 * wheel event, a participant moves between notes and edits one, fills an organization card, adds
 * an intersection card and links the two from the plan panel's matrix. Results are checked in
 * another person's doc and in the server's plan.json.
 */
import { ORGANIZATION_KINDS } from '@common-ground/shared/plan'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard, withToken } from '../support/boards.ts'
import { COUNT_POINTER_EVENTS, focusedName, pointerEventsSeen, tabTo } from './keyboard.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

/** What this test reads from a page's tldraw editor (its state, never to act). */
interface ReadEditor {
  getSelectedShapeIds(): string[]
  getEditingShapeId(): string | null
  getCurrentPageShapes(): { id: string; type: string }[]
  getShapeUtil(shape: object): { getText(shape: object): string | undefined }
}

const selected = (page: Page) =>
  page.evaluate(() => (window.commonGround.editor as unknown as ReadEditor).getSelectedShapeIds())

const editing = (page: Page) =>
  page.evaluate(() => (window.commonGround.editor as unknown as ReadEditor).getEditingShapeId())

/** The id and text of every note on a page. */
const noteTexts = (page: Page) =>
  page.evaluate(() => {
    const editor = window.commonGround.editor as unknown as ReadEditor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'note')
      .map((shape) => ({ id: shape.id, text: editor.getShapeUtil(shape).getText(shape) }))
  })

const focusIsEditable = (page: Page) =>
  page.waitForFunction(
    () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
  )

describe('keyboard only on the canvas', () => {
  it('moves between notes, edits one, fills an organization card and links it to an intersection, with no mouse event', async () => {
    const board = await createBoard(session.server, { title: 'Keys retreat', template: 'blank' })
    const ana = await openBoardAs(session.browser, board.url, 'Ana')

    const ben = await openBoardAs(
      session.browser,
      board.links.edit,
      'Ben',
      {},
      COUNT_POINTER_EVENTS,
    )

    // Two notes from the toolbar; Escape twice leaves the note and the selection.
    for (const text of ['Rides', 'Evening hours']) {
      await tabTo(ben, 'Add sticky note')
      await ben.keyboard.press('Enter')
      await focusIsEditable(ben)
      await ben.keyboard.type(text)
      await ben.keyboard.press('Escape')
      if (text === 'Rides') await ben.keyboard.press('Escape')
    }
    await expect.poll(async () => (await noteTexts(ana)).length).toBe(2)
    const notes = await noteTexts(ben)
    const rides = notes.find((note) => note.text === 'Rides')?.id
    const hours = notes.find((note) => note.text === 'Evening hours')?.id
    expect(rides && hours).toBeTruthy()

    // Move between notes: the last one is still selected; Shift+Tab and Tab walk reading order.
    expect(await selected(ben)).toEqual([hours])
    await ben.keyboard.press('Shift+Tab')
    await expect.poll(() => selected(ben)).toEqual([rides])
    await ben.keyboard.press('Tab')
    await expect.poll(() => selected(ben)).toEqual([hours])
    await ben.keyboard.press('Shift+Tab')
    await expect.poll(() => selected(ben)).toEqual([rides])

    // Edit the selected note's text: Enter opens it, the text is written over.
    await ben.keyboard.press('Enter')
    await expect.poll(() => editing(ben)).toBe(rides)
    await focusIsEditable(ben)
    // tldraw selects the text a moment after the editor mounts: typing before that, on a busy
    // machine, had its first letters selected and typed over.
    await ben.waitForFunction(() => window.getSelection()?.toString() === 'Rides')
    await ben.keyboard.press('ControlOrMeta+a')
    await ben.keyboard.type('Rides to appointments')
    await ben.keyboard.press('Escape')
    await expect
      .poll(async () => (await noteTexts(ana)).find((note) => note.id === rides)?.text)
      .toBe('Rides to appointments')
    await ben.keyboard.press('Escape')

    // Fill an organization card: it opens with the keyboard in its first field.
    await tabTo(ben, 'Add organization card')
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Organization name')
    await ben.keyboard.type('Eastside Housing Authority')
    await ben.keyboard.press('Tab')
    expect(await focusedName(ben, '.cg-plan-card')).toBe('Kind')
    await ben.keyboard.press('ArrowDown')
    await tabTo(ben, 'Add an activity', '.cg-plan-card', 10)
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Activity 1')
    await ben.keyboard.type('Housing counselling')
    // A second row, taken back: the keyboard lands on the row that is left, not on the page.
    await tabTo(ben, 'Add an activity', '.cg-plan-card', 10)
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Activity 2')
    await tabTo(ben, 'Remove activity 2', '.cg-plan-card', 10)
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Activity 1')
    await tabTo(ben, 'What we offer', '.cg-plan-card', 10)
    const outline = await ben.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    )
    expect(outline).not.toBe('none')
    await ben.keyboard.type('Rent help')
    await ben.keyboard.press('Tab')
    expect(await focusedName(ben, '.cg-plan-card')).toBe('What we need')
    await ben.keyboard.type('Spanish-speaking staff')
    await ben.keyboard.press('Escape')
    await expect.poll(() => editing(ben)).toBe(null)
    const card = (await selected(ben))[0]
    expect(card).toMatch(/^shape:/)

    // The card is reached again like any shape: Tab walks to it, Enter opens it.
    await ben.keyboard.press('Tab')
    for (let i = 0; i < 5 && (await selected(ben))[0] !== card; i++) await ben.keyboard.press('Tab')
    expect(await selected(ben)).toEqual([card])
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Organization name')
    await ben.keyboard.press('Escape')
    await ben.keyboard.press('Escape')

    // An intersection card, then the link from the plan panel's matrix.
    await tabTo(ben, 'Add intersection card')
    await ben.keyboard.press('Enter')
    await expect.poll(() => focusedName(ben, '.cg-plan-card')).toBe('Where we meet')
    await ben.keyboard.type('Safe homes for families')
    await ben.keyboard.press('Escape')
    await ben.keyboard.press('Escape')

    await tabTo(ben, 'Plan')
    await ben.keyboard.press('Enter')
    await ben.locator('#cg-plan-panel').waitFor()
    // The panel takes the keyboard as it opens: its controls are the next Tabs.
    await expect
      .poll(() =>
        ben.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="side-panel"]'))),
      )
      .toBe(true)
    const link = 'Link Eastside Housing Authority and Safe homes for families'
    await tabTo(ben, link, '#cg-plan-panel', 60)
    await ben.keyboard.press('Space')
    const toggle = ben.locator('#cg-plan-panel').getByRole('button', { name: link })
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true')
    // Escape in the panel closes it and gives the keyboard back to the bar's "Plan".
    await ben.keyboard.press('Escape')
    await expect.poll(() => ben.locator('#cg-plan-panel').count()).toBe(0)
    expect(await focusedName(ben)).toBe('Plan')

    // The server's plan has all of it.
    const plan = async () =>
      (await (
        await fetch(withToken(`${session.server.url}/api/boards/${board.id}/plan.json`, board.id))
      ).json()) as {
        organizations: { id: string; name: string; kind: string | null; activities: unknown[] }[]
        intersections: { id: string; title: string }[]
        links: { organization: string; intersection: string }[]
        issues?: unknown
      }
    await expect.poll(async () => (await plan()).links.length).toBe(1)
    const { organizations, intersections, links } = await plan()
    expect(organizations).toEqual([
      expect.objectContaining({
        id: card,
        name: 'Eastside Housing Authority',
        kind: ORGANIZATION_KINDS[0],
        activities: [{ activity: 'Housing counselling', measure: '' }],
        offers: 'Rent help',
        needs: 'Spanish-speaking staff',
      }),
    ])
    expect(intersections).toEqual([expect.objectContaining({ title: 'Safe homes for families' })])
    expect(links).toEqual([{ organization: card, intersection: intersections[0]?.id }])

    expect(await pointerEventsSeen(ben)).toEqual([])
    await ben.context().close()
    await ana.context().close()
  })
})
