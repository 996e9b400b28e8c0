/**
 * The board works on every screen in the room (issue 15): on a phone (390×844, touch), a laptop
 * (1280×800) and a wide screen (1440×900), with no panel and with each side panel (Plan, Vote,
 * People) open in turn, before and during a running vote with a private brainstorm on, every
 * visible control of ours (the bar, its notices, the side panel) and of tldraw's UI (toolbar,
 * menus) is measured: it must lie wholly inside the screen, be at least 24×24 CSS px and
 * overlap no other control, and none of ours may lie over the canvas. A control scrolled out of
 * view inside a panel counts as hidden; one cut off by a box that does not scroll counts as cut
 * off. axe finds no serious or critical violation on a phone with each panel open. On the
 * canvas: the vote chips leave the notes' text readable at the zoom a stage is viewed, a
 * 517-character note stays within its stage (and so does its chip), and an action card with
 * many steps cuts none of them off. Screenshots of every state:
 * test/screenshots/layout-<screen>-<state>.png.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import '../bench/pageHandle.ts'
import { createBoard } from '../support/boards.ts'
import { screenshotPath } from '../support/screenshots.ts'
import { seriousViolations } from './axe.ts'
import { VIEWPORTS } from './boardSteps.ts'
import { openBoardAs, useServerAndBrowser } from './session.ts'

const session = useServerAndBrowser()

/** A phone (390×844, touch), a laptop (1280×800) and a wide screen (1440×900). */
const SCREENS = VIEWPORTS

/** The bar's toggles and the complementary landmark each one opens. */
const PANELS = [
  { name: 'plan', button: /^Plan$/, panel: 'Partnership plan' },
  { name: 'vote', button: /^Vote$/, panel: 'Dot voting' },
  // A facilitator's button counts who is done: "People · 0/1 done".
  { name: 'people', button: /^People/, panel: 'People' },
  { name: 'sort', button: /^Sort$/, panel: 'Sort the notes' },
] as const

/** 517 characters: the long note of the trial. */
const LONG_NOTE =
  'Families tell their story again at every agency: one shared intake form, kept by the family, would save them hours and spare them the retelling. '
    .repeat(4)
    .slice(0, 517)

const NOTES = [
  ['shape:layout-hours', 'Evening hours at the library'],
  ['shape:layout-rides', 'Rides to appointments'],
  ['shape:layout-long', LONG_NOTE],
] as const

interface PageEditor {
  createShapes(shapes: object[]): void
  createShape(shape: object): void
  getShapePageBounds(id: string): { x: number; y: number; w: number; h: number } | undefined
  zoomToBounds(bounds: object, options?: object): void
  pageToViewport(point: { x: number; y: number }): { x: number; y: number }
  getZoomLevel(): number
  getCurrentPageShapes(): { id: string; type: string }[]
}

const note = (id: string, text: string, x: number, y: number) => ({
  id,
  type: 'note',
  parentId: 'shape:stage-issues',
  x,
  y,
  props: {
    richText: {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    },
  },
})

/** Three notes in the Issues stage, the long one low in it (as a person adds them). */
async function addNotes(page: Page) {
  const shapes = NOTES.map(([id, text], i) =>
    note(id, text, 80 + i * 260, id === 'shape:layout-long' ? 700 : 200),
  )
  await page.evaluate((shapes) => {
    ;(window.commonGround.editor as unknown as PageEditor).createShapes(shapes)
  }, shapes)
}

/** Looks at a stage whole, as the agenda does (about 40% on a laptop). */
function viewStage(page: Page, frame = 'shape:stage-issues') {
  return page.evaluate((frame) => {
    const editor = window.commonGround.editor as unknown as PageEditor
    const bounds = editor.getShapePageBounds(frame)
    if (bounds) editor.zoomToBounds(bounds, { inset: 16, immediate: true })
  }, frame)
}

/** Zooms in on the notes, as a person on a phone does to vote. */
function viewNotes(page: Page) {
  return page.evaluate(
    (ids) => {
      const editor = window.commonGround.editor as unknown as PageEditor
      const boxes = ids.flatMap((id) => editor.getShapePageBounds(id) ?? [])
      const x = Math.min(...boxes.map((b) => b.x))
      const y = Math.min(...boxes.map((b) => b.y))
      const w = Math.max(...boxes.map((b) => b.x + b.w)) - x
      const h = Math.max(...boxes.map((b) => b.y + b.h)) - y
      editor.zoomToBounds({ x, y, w, h }, { inset: 24, immediate: true })
    },
    NOTES.map(([id]) => id),
  )
}

interface Measured {
  problems: string[]
  controls: number
}

/**
 * Every visible control of ours and of tldraw's UI, measured in the page. Returns what is wrong
 * (empty when the layout holds) and how many controls were checked. An open room panel (Agenda,
 * Timer, Follow) is a pop-up: it must stay whole on screen and clear of the bar, and may cover
 * the canvas and tldraw's UI under it while it is open.
 */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const POPUP = '.cg-room-panel'
    const CONTROLS =
      'button, select, input:not([type="hidden"]), textarea, a[href], [role="button"], [role="slider"], [role="tab"], [role="checkbox"]'
    /** Boxes that are no controls but must not overlap one: the open panel, notices, toolbars. */
    const AREAS =
      '.cg-room-panel, .cg-side, aside, .cg-vote-bar, .cg-brainstorm-notice p:not(.cg-visually-hidden), .cg-vote-notice:not(:empty), .cg-refused p, .tlui-main-toolbar__inner, .tlui-navigation-panel, .tlui-style-panel'
    /**
     * tldraw's own zones. Inside one, tldraw lays its buttons out on a grid whose hit boxes
     * overlap by a few pixels by design (the drawn buttons do not): those pairs are tldraw's,
     * not ours. Everything else is checked, zones against zones and against ours.
     */
    const TLDRAW_ZONES =
      '.tlui-main-toolbar, .tlui-navigation-panel, .tlui-style-panel, .tlui-layout__top__left, .tlui-layout__top__right'
    const ROOTS = '.cg-appbar, .cg-bar, .cg-top-panel, .cg-side, aside, .tlui-layout'
    /** Ours, wherever they are drawn (not tldraw's own menus and toolbar). */
    const ours = (el: Element) =>
      el.closest(
        '.cg-appbar, .cg-bar, .cg-side, aside, .cg-add-panel, .cg-room-panel, .cg-room-strip, .cg-top-panel, .cg-vote-bar, .cg-brainstorm-notice, .cg-vote-notice, .cg-refused',
      ) !== null
    const width = document.documentElement.clientWidth
    const height = document.documentElement.clientHeight
    const problems: string[] = []
    type Rect = { left: number; top: number; right: number; bottom: number }
    const nameOf = (el: Element) => {
      const label =
        el.getAttribute('aria-label') ||
        el.textContent?.trim() ||
        el.getAttribute('title') ||
        el.getAttribute('data-testid') ||
        (el as HTMLInputElement).value ||
        ''
      const classes = [...el.classList].slice(0, 2).join('.')
      return `${el.tagName.toLowerCase()}${classes ? `.${classes}` : ''} "${label.replace(/\s+/g, ' ').slice(0, 40)}"`
    }
    const fmt = (r: Rect) =>
      `[${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}]`
    const intersect = (a: Rect, b: Rect): Rect => ({
      left: Math.max(a.left, b.left),
      top: Math.max(a.top, b.top),
      right: Math.min(a.right, b.right),
      bottom: Math.min(a.bottom, b.bottom),
    })
    const empty = (r: Rect) => r.right - r.left <= 0.5 || r.bottom - r.top <= 0.5

    /** The part of `el` not clipped away by its ancestors, and whether a box that does not scroll cut it. */
    const visiblePart = (el: Element) => {
      const rect = el.getBoundingClientRect()
      let visible: Rect = rect
      let cutBy: Element | null = null
      for (let box = el.parentElement; box; box = box.parentElement) {
        const style = getComputedStyle(box)
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue
        const clip = intersect(visible, box.getBoundingClientRect())
        const scrolls = /auto|scroll/.test(style.overflowX + style.overflowY)
        if (
          !scrolls &&
          !cutBy &&
          (clip.left > visible.left + 0.5 ||
            clip.right < visible.right - 0.5 ||
            clip.top > visible.top + 0.5 ||
            clip.bottom < visible.bottom - 0.5)
        ) {
          cutBy = box
        }
        visible = clip
      }
      return { rect, visible, cutBy }
    }

    const shown = (el: Element) =>
      el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
      !el.closest('.cg-visually-hidden, [aria-hidden="true"], [inert]')

    const items: { el: Element; name: string; box: Rect; control: boolean }[] = []
    const seen = new Set<Element>()
    for (const root of document.querySelectorAll(ROOTS)) {
      if (!shown(root)) continue
      for (const el of root.querySelectorAll(CONTROLS)) {
        if (seen.has(el) || !shown(el)) continue
        seen.add(el)
        const { rect, visible, cutBy } = visiblePart(el)
        if (rect.width === 0 || rect.height === 0) continue
        // Scrolled out of view inside a panel: not on screen now, reachable by scrolling.
        if (empty(visible)) continue
        const name = nameOf(el)
        if (cutBy)
          problems.push(
            `${name} is cut off by ${nameOf(cutBy)}: ${fmt(rect)} shows ${fmt(visible)}`,
          )
        if (
          visible.left < -0.5 ||
          visible.top < -0.5 ||
          visible.right > width + 0.5 ||
          visible.bottom > height + 0.5
        ) {
          problems.push(`${name} runs off the ${width}×${height} screen: ${fmt(visible)}`)
        }
        if (rect.width < 24 - 0.01 || rect.height < 24 - 0.01) {
          problems.push(
            `${name} is smaller than 24×24: ${rect.width.toFixed(1)}×${rect.height.toFixed(1)}`,
          )
        }
        items.push({ el, name, box: visible, control: true })
      }
    }
    for (const el of document.querySelectorAll(AREAS)) {
      if (!shown(el)) continue
      const { visible } = visiblePart(el)
      if (empty(visible)) continue
      const name = nameOf(el)
      if (
        visible.left < -0.5 ||
        visible.top < -0.5 ||
        visible.right > width + 0.5 ||
        visible.bottom > height + 0.5
      ) {
        problems.push(`${name} runs off the ${width}×${height} screen: ${fmt(visible)}`)
      }
      items.push({ el, name, box: visible, control: false })
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i] as (typeof items)[number]
        const b = items[j] as (typeof items)[number]
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue
        const zone = a.el.closest(TLDRAW_ZONES)
        const tldraws = !ours(a.el) && !ours(b.el) && a.control && b.control
        if (tldraws && zone && zone === b.el.closest(TLDRAW_ZONES)) continue
        const popup = a.el.closest(POPUP) ?? b.el.closest(POPUP)
        if (popup && (!ours(a.el) || !ours(b.el))) continue
        const both = intersect(a.box, b.box)
        if (both.right - both.left > 1 && both.bottom - both.top > 1) {
          problems.push(`${a.name} ${fmt(a.box)} overlaps ${b.name} ${fmt(b.box)}`)
        }
      }
    }
    // Ours take their own room: none lies over the canvas (tldraw's UI zones do, by design).
    const canvas = document.querySelector('.tl-canvas')
    if (canvas && shown(canvas)) {
      const drawing = canvas.getBoundingClientRect()
      for (const item of items) {
        if (!ours(item.el) || item.el.closest(POPUP)) continue
        const both = intersect(item.box, drawing)
        if (both.right - both.left > 1 && both.bottom - both.top > 1) {
          problems.push(`${item.name} ${fmt(item.box)} lies over the canvas ${fmt(drawing)}`)
        }
      }
    }
    return { problems, controls: items.filter((item) => item.control).length }
  })
}

async function checkLayout(page: Page, screen: string, state: string) {
  await page.waitForTimeout(150) // a frame or two for tldraw to lay out its UI after a resize
  await page.screenshot({ path: screenshotPath(`layout-${screen}-${state}.png`) })
  const { problems, controls } = await measure(page)
  expect(problems, `${screen}, ${state}`).toEqual([])
  // The bar itself was measured: its three panel buttons, sharing, my name and the language.
  expect(controls).toBeGreaterThanOrEqual(6)
}

async function toggle(page: Page, button: RegExp, touch: boolean) {
  const control = page.locator('.cg-bar').getByRole('button', { name: button })
  if (touch) await control.tap()
  else await control.click()
}

/** Opens a panel with its bar button; returns the panel. */
async function openPanel(page: Page, which: (typeof PANELS)[number], touch: boolean) {
  await toggle(page, which.button, touch)
  const panel = page.getByRole('complementary', { name: which.panel, exact: true })
  await panel.waitFor()
  return panel
}

/** Closes the open panel with its own close button (the one a phone shows at the top). */
async function closePanel(page: Page, touch: boolean) {
  const close = page.getByRole('button', { name: 'Close panel', exact: true })
  if (touch) await close.tap()
  else await close.click()
  await page.locator('.cg-side').waitFor({ state: 'detached' })
}

describe('the board on every screen', () => {
  for (const screen of SCREENS) {
    it(`keeps every control inside a ${screen.name} screen, full size and clear of the others`, async () => {
      const touch = screen.options.hasTouch === true
      const board = await createBoard(session.server, {
        title: 'Layout retreat',
        template: 'retreat',
      })
      const ana = await openBoardAs(session.browser, board.url, 'Ana', screen.options)
      await addNotes(ana)
      // A second person, so Follow and the head count show too.
      const ben = await openBoardAs(session.browser, board.links.edit, 'Ben')
      await expect.poll(() => ana.getByTestId('peer-count').textContent()).toBe('2 people here')
      await viewStage(ana)

      await checkLayout(ana, screen.name, 'board')
      // The room controls' panels open whole on screen, under the bar.
      for (const room of [/^Agenda/, /^Follow/]) {
        await toggle(ana, room, touch)
        await ana.locator('.cg-room-panel').waitFor()
        await checkLayout(ana, screen.name, `board-${room.source.slice(1).toLowerCase()}`)
        await ana.keyboard.press('Escape')
        await ana.locator('.cg-room-panel').waitFor({ state: 'detached' })
      }
      for (const which of PANELS) {
        await openPanel(ana, which, touch)
        await checkLayout(ana, screen.name, which.name)
        // The canvas gives the panel its width beside it, or (phone) the whole screen.
        const canvas = await ana.locator('.cg-canvas').boundingBox()
        const side = await ana
          .getByRole('complementary', { name: which.panel, exact: true })
          .boundingBox()
        expect(canvas && side).toBeTruthy()
        if (canvas && side) {
          if (touch) expect(await ana.locator('.tl-container').isVisible()).toBe(false)
          else expect(canvas.x + canvas.width).toBeLessThanOrEqual(side.x + 0.5)
        }
        await closePanel(ana, touch)
        await expect
          .poll(() =>
            ana.evaluate(() => document.activeElement?.getAttribute('aria-expanded') ?? null),
          )
          .toBe('false')
      }

      // A running vote and a private brainstorm (on another stage): their notices join the bar.
      const people = await openPanel(ana, PANELS[2], touch)
      await people
        .getByLabel('Keep private the notes in')
        .selectOption({ label: '6 · Community and capacity' })
      await people.getByRole('button', { name: 'Make notes private' }).click()
      await ana.getByTestId('brainstorm-notice').getByText('Private brainstorm:').waitFor()
      const vote = await openPanel(ana, PANELS[1], touch)
      await vote.getByRole('button', { name: 'Start the vote' }).click()
      await ana.getByTestId('vote-bar').waitFor()
      await closePanel(ana, touch)
      // A stage whole on a laptop; a phone zooms in on the notes (whole, they are too small to vote on).
      if (touch) await viewNotes(ana)
      else await viewStage(ana)
      await expect.poll(() => ana.locator('.cg-vote-chip').count()).toBeGreaterThan(0)

      await checkLayout(ana, screen.name, 'voting')
      for (const which of PANELS) {
        await openPanel(ana, which, touch)
        await checkLayout(ana, screen.name, `voting-${which.name}`)
        if (touch) {
          // On a phone a panel has the screen: no serious or critical axe finding with it open.
          expect(await seriousViolations(ana)).toEqual([])
        }
        await closePanel(ana, touch)
      }
      await ana.context().close()
      await ben.context().close()
    })
  }

  it('finds no serious or critical axe violation on a phone with each panel open', async () => {
    const board = await createBoard(session.server, { title: 'Phone axe', template: 'retreat' })
    const page = await openBoardAs(session.browser, board.url, 'Lupe', SCREENS[0]?.options)
    await addNotes(page)
    for (const which of PANELS) {
      await openPanel(page, which, true)
      expect(await seriousViolations(page), which.panel).toEqual([])
      await closePanel(page, true)
    }
    await page.context().close()
  })
})

describe('what the canvas shows', () => {
  it('keeps vote chips small and under the notes’ text, and a long note within its stage', async () => {
    const board = await createBoard(session.server, { title: 'Chips', template: 'retreat' })
    const page = await openBoardAs(session.browser, board.url, 'Ana', {
      viewport: { width: 1280, height: 800 },
    })
    await addNotes(page)
    await openPanel(page, PANELS[1], false)
    await page.getByRole('button', { name: 'Start the vote' }).click()
    await closePanel(page, false)
    await viewStage(page)
    const zoom = await page.evaluate(() =>
      (window.commonGround.editor as unknown as PageEditor).getZoomLevel(),
    )
    // The whole Issues stage in view: the zoom a facilitator shows it at.
    expect(zoom).toBeGreaterThan(0.3)
    expect(zoom).toBeLessThan(0.6)
    await expect.poll(() => page.locator('.cg-vote-chip').count()).toBe(NOTES.length)

    const area = (r: { left: number; top: number; right: number; bottom: number }) =>
      Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top)
    const overlap = (
      a: { left: number; top: number; right: number; bottom: number },
      b: { left: number; top: number; right: number; bottom: number },
    ) =>
      area({
        left: Math.max(a.left, b.left),
        top: Math.max(a.top, b.top),
        right: Math.min(a.right, b.right),
        bottom: Math.min(a.bottom, b.bottom),
      })
    const measure = () =>
      page.evaluate(
        (ids) => {
          const editor = window.commonGround.editor as unknown as PageEditor
          const box = (el: Element | null) => {
            const r = el?.getBoundingClientRect()
            return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null
          }
          const frame = editor.getShapePageBounds('shape:stage-issues')
          const screenOf = (b: { x: number; y: number; w: number; h: number }) => {
            const a = editor.pageToViewport({ x: b.x, y: b.y })
            const z = editor.getZoomLevel()
            const canvas = document.querySelector('.tl-container')?.getBoundingClientRect()
            const left = (canvas?.left ?? 0) + a.x
            const top = (canvas?.top ?? 0) + a.y
            return { left, top, right: left + b.w * z, bottom: top + b.h * z }
          }
          return {
            frame: frame ? screenOf(frame) : null,
            notes: ids.map((id) => {
              const bounds = editor.getShapePageBounds(id)
              const shape = document.querySelector(`.tl-shape[data-shape-id="${id}"]`)
              return {
                id,
                page: bounds,
                note: bounds ? screenOf(bounds) : null,
                text: box(shape?.querySelector('.tl-rich-text') ?? null),
                chip: box(document.querySelector(`.cg-vote-chip[data-item="${id}"]`)),
                buttons: [
                  ...document.querySelectorAll(`.cg-vote-chip[data-item="${id}"] button`),
                ].map((b) => box(b)),
              }
            }),
          }
        },
        NOTES.map(([id]) => id),
      )

    // The chips follow the notes' final size a moment after they appear (the long note grows to
    // its text, and the plan that places the chips is derived at most every 250 ms): judge the
    // layout once it holds still for half a second, so a chip really over the text fails below,
    // saying which.
    let measured = await measure()
    await expect
      .poll(
        async () => {
          const before = JSON.stringify(measured)
          await page.waitForTimeout(500)
          measured = await measure()
          return JSON.stringify(measured) === before
        },
        { timeout: 10_000 },
      )
      .toBe(true)

    const frame = measured.frame
    expect(frame).not.toBeNull()
    for (const item of measured.notes) {
      const { note, text, chip, page: bounds } = item
      expect(note && text && chip && bounds, item.id).toBeTruthy()
      if (!note || !text || !chip || !bounds || !frame) continue
      // Compact: no taller than a 24 px button and its border, no wider than the note.
      expect(chip.bottom - chip.top, item.id).toBeLessThanOrEqual(30)
      expect(chip.right - chip.left, item.id).toBeLessThanOrEqual(note.right - note.left + 0.5)
      for (const button of item.buttons) {
        expect(button && button.right - button.left >= 24 && button.bottom - button.top >= 24).toBe(
          true,
        )
      }
      // It covers none of the note's text, and at most a sliver of the note.
      expect(overlap(chip, text), `${item.id}: chip over the text`).toBeLessThanOrEqual(1)
      expect(overlap(chip, note) / area(note), item.id).toBeLessThan(0.12)
      // The note (however long) and its chip stay inside the Issues stage.
      expect(note.bottom, `${item.id}: note inside the stage`).toBeLessThanOrEqual(frame.bottom)
      expect(chip.bottom, `${item.id}: chip inside the stage`).toBeLessThanOrEqual(frame.bottom)
    }
    // The long note grew within reason (at most about twice its width) instead of running on.
    const long = measured.notes.find((n) => n.id === 'shape:layout-long')?.page
    expect(long && long.h <= 2.1 * long.w).toBe(true)
    await page.context().close()
  })

  it('shows whole steps on an action card, counting the ones that do not fit', async () => {
    const board = await createBoard(session.server, { title: 'Cards', template: 'retreat' })
    const page = await openBoardAs(session.browser, board.url, 'Ana', {
      viewport: { width: 1440, height: 900 },
    })
    await addNotes(page)
    await page.evaluate(() => {
      const editor = window.commonGround.editor as unknown as PageEditor
      const { doc } = window.commonGround.connection as unknown as {
        doc: {
          getMap(name: string): { set(key: string, value: unknown): void }
          transact(run: () => void): void
        }
      }
      const plan = doc.getMap('plan')
      const issue = 'shape:layout-hours'
      const orgs = ['Eastside Housing Authority', 'Northside Library', 'Family Resource Centre']
      orgs.forEach((name, i) => {
        editor.createShape({
          id: `shape:layout-org${i}`,
          type: 'cg-organization',
          parentId: 'shape:stage-organizations',
          x: 60 + i * 420,
          y: 160,
          props: { name },
        })
      })
      doc.transact(() => {
        plan.set(`action/issues/${issue}`, { title: 'Evening hours', rank: 1, sessionId: null })
        orgs.forEach((_, i) => {
          const row = `action/commitments/${issue}/shape:layout-org${i}`
          plan.set(`${row}/takesOn`, 'Keeps the doors open two evenings a week with paid staff')
          plan.set(`${row}/fromPartners`, 'Rides home after 8 pm and a shared sign-up sheet')
        })
        for (let i = 0; i < 6; i++) {
          const step = `action/steps/${issue}/step${i}`
          plan.set(
            `${step}/what`,
            `Step ${i + 1}: ask the board to approve the evening schedule and the money for staff`,
          )
          plan.set(`${step}/person`, 'Rosa Martínez')
          plan.set(`${step}/organization`, 'shape:layout-org1')
          plan.set(`${step}/due`, `2026-03-0${i + 1}`)
          plan.set(`${step}/status`, ['not-started', 'in-progress', 'done', 'blocked'][i % 4])
          plan.set(`${step}/order`, `a${i + 1}`)
        }
      })
    })
    const card = page.locator('[data-testid="action-card"][data-issue="shape:layout-hours"]')
    await card.waitFor()
    await expect.poll(() => card.locator('.cg-action-card__step').count()).toBeGreaterThan(0)
    await viewStage(page, 'shape:stage-actionPlan')
    await page.waitForTimeout(300)
    await card.screenshot({ path: screenshotPath('layout-action-card.png') })
    const fit = await card.evaluate((el) => {
      const body = el.querySelector('.cg-plan-card__body')?.getBoundingClientRect()
      const rows = [
        ...el.querySelectorAll('.cg-action-card__step, .cg-action-card__commitments li'),
      ]
      return {
        bodyBottom: body?.bottom ?? 0,
        rowBottoms: rows.map((row) => row.getBoundingClientRect().bottom),
        steps: el.querySelectorAll('.cg-action-card__step').length,
        more: [...el.querySelectorAll('.cg-action-card__more')].map((more) => more.textContent),
      }
    })
    for (const bottom of fit.rowBottoms) expect(bottom).toBeLessThanOrEqual(fit.bodyBottom + 0.5)
    expect(fit.steps).toBeGreaterThanOrEqual(2)
    expect(fit.more).toContain(`+ ${6 - fit.steps} more steps`)
    await page.context().close()
  })
})
