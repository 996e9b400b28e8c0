/**
 * Running the room in three browsers: the facilitator (A) and two participants (B, C).
 * Private brainstorm: A makes the Issues stage private, B and C add notes; each note reaches only
 * its writer (A, whose screen may be projected, gets neither; no page's copy of the board holds
 * them), survives a reload and a dropped connection, and A reveals them all in place. People: B picks an
 * organization card and A sees it beside B's name; B says
 * "I'm done" and A's count goes up. Lock: B drags the Issues frame by its heading and it moves;
 * A locks the stage; the same drag moves nothing, and a write forced past the page is refused by
 * the server.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { seriousViolations } from './axe.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

const person = (url: string, name: string) => openBoardAs(session.browser, url, name)

type Editor = {
  createShape(shape: object): void
  getShape(id: string): { x: number; meta: Record<string, unknown> } | undefined
  zoomToBounds(bounds: object, options?: object): void
  getShapePageBounds(id: string): object | undefined
  updateShape(shape: object): void
}

/** A note in the Issues frame, made by the page's editor as the Add button would. */
const addNote = (page: Page, id: string, x: number) =>
  page.evaluate(
    ({ id, x }) => {
      const editor = window.commonGround.editor as unknown as Editor
      editor.createShape({ id, type: 'note', parentId: 'shape:stage-issues', x, y: 300 })
    },
    { id, x },
  )

const showIssues = (page: Page) =>
  page.evaluate(() => {
    const editor = window.commonGround.editor as unknown as Editor
    const bounds = editor.getShapePageBounds('shape:stage-issues')
    editor.zoomToBounds(bounds as object, { inset: 40 })
  })

const has = (page: Page, id: string) =>
  page.evaluate((shapeId) => Boolean(window.commonGround.editor.getShape(shapeId as never)), id)

/** What the person sees: the note in tldraw's store, and its element on the canvas. */
const sees = async (page: Page, id: string) =>
  (await has(page, id)) && (await page.locator(`.tl-shape[data-shape-id="${id}"]`).count()) === 1

/** Whether the page's copy of the shared board holds the record (what every copy holds). */
const inBoard = (page: Page, id: string) =>
  page.evaluate(
    (recordId) =>
      (
        window.commonGround.connection as unknown as {
          board: { records: { has(id: string): boolean } }
        }
      ).board.records.has(recordId),
    id,
  )

const frameX = (page: Page) =>
  page.evaluate(
    () => (window.commonGround.editor as unknown as Editor).getShape('shape:stage-issues')?.x,
  )

describe('running the room: people, private brainstorm, locks', () => {
  it('keeps notes private until the reveal and counts who is done', async () => {
    const { links } = await createBoard(session.server, {
      title: 'Brainstorm',
      template: 'retreat',
    })
    const ana = await person(links.facilitate, 'Ana')
    const ben = await person(links.edit, 'Ben')
    const cy = await person(links.edit, 'Cy')

    // The agenda is on the organizations stage: the private round offers that stage first (the
    // group's stage, not whichever stage this screen shows). Then the agenda is put away again.
    const setAgendaStage = (stage: string | null) =>
      ana.evaluate((value) => {
        const facilitation = (
          window.commonGround as unknown as {
            connection: {
              doc: {
                getMap(name: string): {
                  set(key: string, v: string): void
                  delete(key: string): void
                }
              }
            }
          }
        ).connection.doc.getMap('facilitation')
        if (value === null) facilitation.delete('stage')
        else facilitation.set('stage', value)
      }, stage)
    await setAgendaStage('organizations')
    await ana.getByRole('button', { name: 'People' }).click()
    const panel = ana.getByRole('complementary', { name: 'People' })
    await expect
      .poll(() => panel.getByLabel('Keep private the notes in').inputValue())
      .toBe('organizations')
    await panel.getByLabel('Keep private the notes in').selectOption('issues')
    await setAgendaStage(null)
    await panel.getByRole('button', { name: 'Make notes private' }).click()
    await expect
      .poll(() => ben.getByTestId('brainstorm-notice').textContent())
      .toContain('your new notes in 3 · Issues we could take on reach nobody else')

    await addNote(ben, 'shape:ben-idea', 100)
    await addNote(cy, 'shape:cy-idea', 400)
    for (const page of [ana, ben, cy]) await showIssues(page)
    await expect
      .poll(() => ana.getByTestId('brainstorm-notice').textContent())
      .toContain('So far 2 private notes, from 2 people.')
    expect(await sees(ben, 'shape:ben-idea')).toBe(true)
    expect(await sees(cy, 'shape:cy-idea')).toBe(true)
    // Nobody else's page has them at all: not drawn, not in tldraw's store, not in the board.
    for (const [page, id] of [
      [ben, 'shape:cy-idea'],
      [cy, 'shape:ben-idea'],
      [ana, 'shape:ben-idea'],
      [ana, 'shape:cy-idea'],
      [ben, 'shape:ben-idea'],
    ] as const) {
      if (!(page === ben && id === 'shape:ben-idea')) expect(await has(page, id)).toBe(false)
      expect(await inBoard(page, id)).toBe(false)
    }

    // The plan lists notes on the board; Ben's is not there yet, and the panel says so.
    await ben.getByRole('button', { name: 'Plan', exact: true }).click()
    await ben.getByRole('heading', { name: 'Issue candidates (0)' }).waitFor()
    await ben
      .getByText('Your 1 private note joins this list when the notes are revealed.')
      .waitFor()

    // A dropped connection loses nothing: Ben's next note goes once he is back, and a reload
    // brings both back from the server.
    await ben.context().setOffline(true)
    await ben.locator('[data-status="offline"]').waitFor()
    await addNote(ben, 'shape:ben-offline', 250)
    await expect
      .poll(() => ben.getByTestId('waiting-count').textContent())
      .toBe('1 item waiting to be sent')
    await ben.context().setOffline(false)
    await expect
      .poll(() => ana.getByTestId('brainstorm-notice').textContent(), { timeout: 20_000 })
      .toContain('So far 3 private notes, from 2 people.')
    await ben.reload()
    await ben.waitForFunction(() =>
      ['shape:ben-idea', 'shape:ben-offline'].every((id) =>
        window.commonGround?.editor?.getShape(id as never),
      ),
    )
    await showIssues(ben)
    expect(await has(ben, 'shape:cy-idea')).toBe(false)

    // People: everyone is listed; B is done and A's count says so.
    await expect.poll(() => panel.getByTestId('people-list').locator('li').count()).toBe(3)
    expect(await panel.getByTestId('done-count').textContent()).toBe('0 of 2 done with this step')
    await ben.getByRole('button', { name: 'People' }).click()
    // B picks an organization from the board's cards; A's list shows it beside B's name.
    await ben.evaluate(() => {
      const editor = window.commonGround.editor as unknown as Editor
      editor.createShape({
        id: 'shape:org-trust',
        type: 'cg-organization',
        x: 1700,
        y: 100,
        props: { name: 'Housing Trust' },
      })
    })
    await ben.getByLabel('Your organization').selectOption('shape:org-trust')
    await expect
      .poll(() => panel.getByTestId('people-list').locator('li', { hasText: 'Ben' }).textContent())
      .toContain('Housing Trust')

    const done = ben.getByRole('button', { name: 'I’m done' })
    await done.focus()
    await ben.keyboard.press('Enter')
    await expect.poll(() => done.getAttribute('aria-pressed')).toBe('true')
    await expect
      .poll(() => panel.getByTestId('done-count').textContent())
      .toBe('1 of 2 done with this step')
    expect(await ana.getByTestId('people-toggle').textContent()).toBe('People · 1/2 done')
    expect(await seriousViolations(ana)).toEqual([])

    const placed = await ben.evaluate(() => {
      const note = (window.commonGround.editor as unknown as Editor).getShape('shape:ben-idea')
      return note && { x: note.x, parentId: (note as unknown as { parentId: string }).parentId }
    })
    await panel.getByRole('button', { name: 'Reveal everyone’s notes' }).click()
    for (const page of [ana, ben, cy]) {
      await showIssues(page)
      for (const id of ['shape:ben-idea', 'shape:ben-offline', 'shape:cy-idea']) {
        await expect.poll(() => sees(page, id), { message: id }).toBe(true)
        expect(await inBoard(page, id)).toBe(true)
      }
      // Where Ben put it, and with nothing that says it was his.
      expect(
        await page.evaluate(() => {
          const note = (window.commonGround.editor as unknown as Editor).getShape('shape:ben-idea')
          return (
            note && {
              x: note.x,
              parentId: (note as unknown as { parentId: string }).parentId,
              meta: note.meta,
            }
          )
        }),
      ).toEqual({ ...placed, meta: {} })
    }
    await expect
      .poll(() => ben.getByTestId('brainstorm-notice').textContent())
      .not.toContain('Private brainstorm')
    for (const page of [ana, ben, cy]) await page.context().close()
  })

  it('keeps a locked stage frame where it is for a participant', async () => {
    const { links } = await createBoard(session.server, { title: 'Locks', template: 'retreat' })
    const ana = await person(links.facilitate, 'Ana')
    const ben = await person(links.edit, 'Ben')
    await showIssues(ben)

    const heading = ben.locator('.tl-frame-heading', { hasText: 'Issues we could take on' })
    const dragHeading = async () => {
      const box = await heading.boundingBox()
      if (!box) throw new Error('the Issues frame heading is not on screen')
      await ben.mouse.move(box.x + 20, box.y + box.height / 2)
      await ben.mouse.down()
      await ben.mouse.move(box.x + 80, box.y + box.height / 2, { steps: 5 })
      await ben.mouse.move(box.x + 140, box.y + box.height / 2, { steps: 5 })
      await ben.mouse.up()
    }

    // Unlocked, the drag moves the frame (so the locked drag below is a real attempt).
    const start = (await frameX(ben)) as number
    await dragHeading()
    await expect.poll(() => frameX(ana)).toBeGreaterThan(start + 50)
    const moved = (await frameX(ben)) as number
    await ben.keyboard.press('Escape')

    await ana.getByRole('button', { name: 'People' }).click()
    await ana.getByLabel('Lock 3 · Issues we could take on').check()
    await ben.waitForFunction(
      () =>
        (
          window.commonGround.connection as unknown as {
            doc: { getMap(name: string): { get(key: string): unknown } }
          }
        ).doc
          .getMap('facilitation')
          .get('locked/issues') === true,
    )
    await dragHeading()
    await ben.waitForTimeout(300)
    expect(await frameX(ben)).toBe(moved)
    expect(await frameX(ana)).toBe(moved)
    // The page itself kept the frame still: nothing was sent for the server to refuse.
    expect(await ben.getByTestId('write-refused').textContent()).toBe('')

    // A write forced past the page's guard: the server takes it back and says why.
    await ben.evaluate(() => {
      const { connection } = window.commonGround as unknown as {
        connection: {
          board: { records: { get(id: string): object; set(id: string, v: object): void } }
        }
      }
      const frame = connection.board.records.get('shape:stage-issues') as { x: number }
      connection.board.records.set('shape:stage-issues', { ...frame, x: frame.x + 999 })
    })
    await expect.poll(() => ben.getByTestId('write-refused').textContent()).toContain('facilitator')
    await expect.poll(() => frameX(ben)).toBe(moved)
    expect(await frameX(ana)).toBe(moved)
    expect(await has(ana, 'shape:stage-issues')).toBe(true)
    for (const page of [ana, ben]) await page.context().close()
  })
})
