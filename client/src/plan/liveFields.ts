/**
 * Plan fields write as people type, a moment later (DEBOUNCE_MS), like a note on the canvas. What
 * is still waiting is written at once when the field is left, when the page is hidden or closed
 * (a phone going to sleep, a reload), and before an export, so nothing typed is left out.
 */
import { mergeIntoField, type TextEntryWatch } from '@common-ground/shared/plan'

/** Long enough to write a word at a time, short enough that others see it as it is typed. */
export const DEBOUNCE_MS = 300

/** How long a field gone from the screen still brings back a write of its that lost. */
export const LOST_WRITE_WATCH_MS = 10_000

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

/**
 * A field that goes away (its panel closed) right after it wrote may see that write lose to one
 * made at the same moment by someone else, once it is no longer there to merge it back in
 * (CommitText): this keeps watching its entry a few seconds more, and writes the merge then.
 */
export function keepWatching(watch: TextEntryWatch, write: (text: string) => void): void {
  if (!watch.unconfirmed) {
    watch.destroy()
    return
  }
  watch.subscribe((change) => {
    const merged = mergeIntoField(change, change.lost)
    if (!merged?.write) return
    try {
      write(merged.text)
    } catch {
      // Refused (too long, or no longer allowed): nothing more to do from here.
    }
  })
  setTimeout(() => watch.destroy(), LOST_WRITE_WATCH_MS)
}

if (typeof window !== 'undefined') {
  // `pagehide` covers reloads, closed tabs and bfcache; `visibilitychange` a phone going to sleep.
  window.addEventListener('pagehide', flushPendingFields)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushPendingFields()
  })
}
