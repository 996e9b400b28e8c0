/**
 * Everyone lands where the group is (issue 15): the first visit to a retreat board shows the
 * whole template, fitted; once the agenda is on a stage, a late joiner and a reload land on that
 * stage's frame, fitted, on each of the three screens (`VIEWPORTS`: a 390×844 touch phone,
 * 1280×800 and 1440×900). New notes added with the button land inside the stage in view, below
 * its prompt, and never on top of each other, on each screen too. Before the agenda has a stage,
 * with the whole template in view, a note goes with the issues (and counts in the plan) and a
 * card into its own stage, not into the frame that happens to be in the middle.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { VIEWPORTS } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

type Box = { x: number; y: number; w: number; h: number }

/** The viewport and a stage frame (or all of them), in page coordinates. */
const view = (page: Page, stage: string | null) =>
  page.evaluate((wanted) => {
    const editor = window.commonGround.editor as unknown as {
      getViewportPageBounds(): Box
      getCurrentPageShapes(): Array<{ id: string; type: string; meta: Record<string, unknown> }>
      getShapePageBounds(id: string): Box | undefined
    }
    const frames = editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'frame' && typeof shape.meta.cgStage === 'string')
      .filter((shape) => wanted === null || shape.meta.cgStage === wanted)
      .map((shape) => editor.getShapePageBounds(shape.id) as Box)
    const x = Math.min(...frames.map((b) => b.x))
    const y = Math.min(...frames.map((b) => b.y))
    const right = Math.max(...frames.map((b) => b.x + b.w))
    const bottom = Math.max(...frames.map((b) => b.y + b.h))
    const { x: vx, y: vy, w, h } = editor.getViewportPageBounds()
    return { viewport: { x: vx, y: vy, w, h }, target: { x, y, w: right - x, h: bottom - y } }
  }, stage)

/** The target is all in view and fills a good part of it (fitted, not lost in a corner). */
function fitted({ viewport, target }: { viewport: Box; target: Box }): boolean {
  const inside =
    target.x >= viewport.x - 1 &&
    target.y >= viewport.y - 1 &&
    target.x + target.w <= viewport.x + viewport.w + 1 &&
    target.y + target.h <= viewport.y + viewport.h + 1
  const fill = Math.max(target.w / viewport.w, target.h / viewport.h)
  return inside && fill > 0.6
}

const setAgendaStage = (page: Page, stage: string) =>
  page.evaluate((value) => {
    ;(
      window.commonGround as unknown as {
        connection: { doc: { getMap(name: string): { set(key: string, v: string): void } } }
      }
    ).connection.doc
      .getMap('facilitation')
      .set('stage', value)
  }, stage)

describe('landing where the group is', () => {
  it('shows the whole template first, then the agenda’s stage to late joiners and on reload', async () => {
    const { links } = await createBoard(session.server, { title: 'Landing', template: 'retreat' })
    // A first visit on each screen, before the agenda is on a stage: the whole template.
    const first: Page[] = []
    for (const screen of VIEWPORTS) {
      const page = await openBoardAs(
        session.browser,
        links.facilitate,
        `Ana ${screen.name}`,
        screen.options,
      )
      await expect
        .poll(async () => fitted(await view(page, null)), { message: screen.name })
        .toBe(true)
      first.push(page)
    }
    // Still whole once the others are here (the bar above the canvas grows a row for them).
    for (const [i, page] of first.entries()) {
      await expect
        .poll(async () => fitted(await view(page, null)), { message: VIEWPORTS[i]?.name })
        .toBe(true)
    }

    await setAgendaStage(first[0] as Page, 'issues')
    for (const [i, screen] of VIEWPORTS.entries()) {
      // A late joiner on each screen lands on the stage…
      const late = await openBoardAs(
        session.browser,
        links.edit,
        `Ben ${screen.name}`,
        screen.options,
      )
      await expect
        .poll(async () => fitted(await view(late, 'issues')), { message: screen.name })
        .toBe(true)
      await late.screenshot({ path: screenshotPath(`landing-${screen.name}.png`) })
      await late.context().close()
      // …and so does a reload of a page that first showed the whole template.
      const page = first[i] as Page
      await page.reload()
      await page.waitForFunction(() => Boolean(window.commonGround?.editor))
      await expect
        .poll(async () => fitted(await view(page, 'issues')), { message: screen.name })
        .toBe(true)
      await page.context().close()
    }
  })

  it('puts notes added with the button inside the stage in view, below its prompt, apart', async () => {
    const { links } = await createBoard(session.server, { title: 'Placing', template: 'retreat' })
    for (const { options } of VIEWPORTS) {
      const page = await openBoardAs(session.browser, links.facilitate, 'Ana', options)
      await setAgendaStage(page, 'issues')
      await page.reload()
      await page.waitForFunction(() => Boolean(window.commonGround?.editor))
      await expect.poll(async () => fitted(await view(page, 'issues'))).toBe(true)
      if ((options.viewport?.width ?? 0) > 1000) {
        // The whole template in view (the middle of it is another stage): notes still go where
        // the group works, the agenda's stage.
        await page.evaluate(() => {
          const editor = window.commonGround.editor as unknown as { zoomToFit(o: object): void }
          editor.zoomToFit({ immediate: true })
        })
      }
      const before = await notesIn(page)
      for (let i = 0; i < 5; i++) {
        await page.getByRole('button', { name: 'Add sticky note' }).click()
        await page.keyboard.press('Escape')
      }
      await expect.poll(async () => (await notesIn(page)).length).toBe(before.length + 5)
      const { notes, frame, promptBottom } = await placed(page)
      for (const note of notes) {
        expect(note.parent, 'in the Issues frame').toBe('shape:stage-issues')
        expect(note.box.y, 'below the prompt').toBeGreaterThanOrEqual(promptBottom)
        expect(note.box.x).toBeGreaterThanOrEqual(frame.x)
        expect(note.box.x + note.box.w).toBeLessThanOrEqual(frame.x + frame.w)
        expect(note.box.y + note.box.h).toBeLessThanOrEqual(frame.y + frame.h)
      }
      for (const [i, a] of notes.entries()) {
        for (const b of notes.slice(i + 1))
          expect(overlap(a.box, b.box), `${a.id} ${b.id}`).toBe(false)
      }
      await page.close()
    }
  })

  it('puts notes with the issues and cards in their stage while the whole template is in view', async () => {
    const { links } = await createBoard(session.server, { title: 'Overview', template: 'retreat' })
    let added = 0
    for (const screen of VIEWPORTS) {
      const page = await openBoardAs(session.browser, links.facilitate, 'Ana', screen.options)
      // No agenda stage yet: the whole template, its middle in the vote frame.
      await expect
        .poll(async () => fitted(await view(page, null)), { message: screen.name })
        .toBe(true)
      for (let i = 0; i < 3; i++) {
        await page.getByRole('button', { name: 'Add sticky note' }).click()
        await page.keyboard.press('Escape')
        // The next one is added from the whole template again, not from where this one zoomed.
        await page.evaluate(() => {
          const editor = window.commonGround.editor as unknown as { zoomToFit(o: object): void }
          editor.zoomToFit({ immediate: true })
        })
      }
      added += 3
      await expect.poll(async () => (await notesIn(page)).length).toBe(added)
      const { notes, frame, promptBottom } = await placed(page)
      for (const note of notes) {
        expect(note.parent, `${screen.name}: in the Issues frame`).toBe('shape:stage-issues')
        expect(note.box.y, 'below the prompt').toBeGreaterThanOrEqual(promptBottom)
        expect(note.box.x + note.box.w).toBeLessThanOrEqual(frame.x + frame.w)
      }
      await page.getByRole('button', { name: 'Add organization card' }).click()
      await page.keyboard.press('Escape')
      await expect
        .poll(() => parentsOf(page, 'cg-organization'), { message: screen.name })
        .toEqual(Array(VIEWPORTS.indexOf(screen) + 1).fill('shape:stage-organizations'))
      if (!screen.touch) {
        // The plan counts them all as issue candidates.
        await page.getByRole('button', { name: 'Plan', exact: true }).click()
        await page.getByRole('heading', { name: `Issue candidates (${added})` }).waitFor()
      }
      await page.close()
    }
  })
})

/** The parent of every shape of `type`, sorted. */
const parentsOf = (page: Page, type: string) =>
  page.evaluate((wanted) => {
    const editor = window.commonGround.editor as unknown as {
      getCurrentPageShapes(): Array<{ type: string; parentId: string }>
    }
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === wanted)
      .map((shape) => shape.parentId)
      .sort()
  }, type)

const notesIn = (page: Page) =>
  page.evaluate(() => {
    const editor = window.commonGround.editor as unknown as {
      getCurrentPageShapes(): Array<{ id: string; type: string }>
    }
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'note')
      .map((s) => s.id)
  })

/** Every note, its parent and page box; the Issues frame and the bottom of its prompt. */
const placed = (page: Page) =>
  page.evaluate(() => {
    const editor = window.commonGround.editor as unknown as {
      getCurrentPageShapes(): Array<{ id: string; type: string; parentId: string }>
      getShapePageBounds(id: string): Box
    }
    const notes = editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'note')
      .map((shape) => {
        const { x, y, w, h } = editor.getShapePageBounds(shape.id)
        return { id: shape.id, parent: shape.parentId, box: { x, y, w, h } }
      })
    const { x, y, w, h } = editor.getShapePageBounds('shape:stage-issues')
    const prompt = editor.getShapePageBounds('shape:stage-issues-prompt')
    return { notes, frame: { x, y, w, h }, promptBottom: prompt.y + prompt.h }
  })

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
