/**
 * Plan fields write as people type, a moment later (DEBOUNCE_MS), like a note on the canvas. What
 * is still waiting is written at once when the field is left, when the page is hidden or closed
 * (a phone going to sleep, a reload), and before an export, so nothing typed is left out.
 */

/** Long enough to write a word at a time, short enough that others see it as it is typed. */
export const DEBOUNCE_MS = 300

const waiting = new Set<() => void>()

/** Registers a field's pending write; returns what removes it. */
export function holdPending(flush: () => void): () => void {
  waiting.add(flush)
  return () => waiting.delete(flush)
}

/** Writes every field's pending text now (exports call this first). */
export function flushPendingFields(): void {
  for (const flush of [...waiting]) flush()
}

if (typeof window !== 'undefined') {
  // `pagehide` covers reloads, closed tabs and bfcache; `visibilitychange` a phone going to sleep.
  window.addEventListener('pagehide', flushPendingFields)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushPendingFields()
  })
}
