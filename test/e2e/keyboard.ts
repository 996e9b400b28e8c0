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
