/** Helpers for keyboard-only runs: a pointer-event counter and Tab walking by accessible name. */
import type { Page } from 'playwright-core'

/** Counts every trusted mouse, pointer, touch and wheel event the page receives (an init script). */
export const COUNT_POINTER_EVENTS = () => {
  const seen: string[] = []
  ;(window as unknown as { pointerEventsSeen: string[] }).pointerEventsSeen = seen
  for (const type of [
    'mousedown',
    'mouseup',
    'mousemove',
    'pointerdown',
    'pointerup',
    'pointermove',
    'touchstart',
    'wheel',
    'contextmenu',
  ]) {
    window.addEventListener(type, (event) => event.isTrusted && seen.push(type), true)
  }
}

/** The pointer events a page counted with `COUNT_POINTER_EVENTS` (none, for a keyboard run). */
export function pointerEventsSeen(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { pointerEventsSeen: string[] }).pointerEventsSeen,
  )
}

/**
 * The focused element's accessible name as a person hears it: its aria-label, else its `<label>`
 * (a form field), else its text.
 */
export function focusedName(page: Page, within?: string): Promise<string | null> {
  return page.evaluate((within) => {
    const active = document.activeElement as HTMLElement | null
    if (!active || (within && !active.closest(within))) return null
    const label = (active as HTMLInputElement).labels?.[0]?.textContent?.trim()
    return active.getAttribute('aria-label') ?? label ?? active.textContent?.trim() ?? null
  }, within)
}

/** Presses Tab until the focus is on the named control (inside `within`, if given). */
export async function tabTo(page: Page, name: string, within?: string, limit = 150): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if ((await focusedName(page, within)) === name) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached “${name}”${within ? ` in ${within}` : ''}`)
}

/**
 * Selects a shape inside a frame (a stage of the board) with tldraw's keys alone: "Move focus to
 * canvas" (its skip link) puts the focus on the canvas with the first shape selected, Tab walks
 * the top-level shapes in reading order, Ctrl+Shift+↓ enters the selected frame (↑ leaves one)
 * and Tab walks its children. Reads the selection to decide the next key, never changes it.
 */
export async function selectInFrameByKeyboard(
  page: Page,
  frameId: string,
  shapeId: string,
  limit = 40,
): Promise<void> {
  const where = () =>
    page.evaluate(() => {
      const editor = window.commonGround.editor as unknown as {
        getSelectedShapeIds(): string[]
        getShape(id: string): { parentId: string } | undefined
      }
      const [selected = null, ...more] = editor.getSelectedShapeIds()
      return {
        onCanvas: document.activeElement?.classList.contains('tl-container') === true,
        selected: more.length === 0 ? selected : null,
        parent: selected ? (editor.getShape(selected)?.parentId ?? null) : null,
      }
    })
  for (let i = 0; i < limit; i++) {
    const { onCanvas, selected, parent } = await where()
    if (selected === shapeId && onCanvas) return
    if (!onCanvas || selected === null) {
      // Tab walks shapes only while one is selected on the focused canvas: start from the top.
      await tabTo(page, 'Move focus to canvas')
      await page.keyboard.press('Enter')
      // The skip link selects the first shape, then hands the focus to the canvas a moment later.
      await page.waitForFunction(() => document.activeElement?.classList.contains('tl-container'))
    } else if (selected === frameId) await page.keyboard.press('ControlOrMeta+Shift+ArrowDown')
    else if (parent !== null && parent !== frameId && parent.startsWith('shape:'))
      await page.keyboard.press('ControlOrMeta+Shift+ArrowUp')
    else await page.keyboard.press('Tab')
  }
  throw new Error(`the keyboard never reached ${shapeId} in ${frameId}`)
}
