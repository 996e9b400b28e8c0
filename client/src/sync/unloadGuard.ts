/**
 * IndexedDB writes are asynchronous: a tab closed (or a laptop shut) within moments of typing
 * can abort the last ones. So the last few seconds of this person's updates are also kept in
 * memory, and written synchronously to localStorage when the page goes away; the next visit
 * applies them (applying a Yjs update twice is harmless) and clears them.
 */
import * as Y from 'yjs'

/** How long an update stays in the guard: far longer than an IndexedDB write takes. */
export const GUARD_WINDOW_MS = 3000
/** Keeps localStorage use bounded even after a burst of typing. */
export const GUARD_MAX_BYTES = 512 * 1024

export class RecentUpdates {
  private entries: Array<{ at: number; update: Uint8Array }> = []

  add(update: Uint8Array, now = Date.now()): void {
    this.entries.push({ at: now, update })
    this.prune(now)
  }

  /** The recent updates merged into one, or null when there are none. */
  merged(now = Date.now()): Uint8Array | null {
    this.prune(now)
    if (this.entries.length === 0) return null
    return Y.mergeUpdates(this.entries.map((entry) => entry.update))
  }

  private prune(now: number): void {
    let bytes = 0
    for (const entry of this.entries) bytes += entry.update.byteLength
    while (
      this.entries.length > 0 &&
      ((this.entries[0]?.at ?? now) < now - GUARD_WINDOW_MS || bytes > GUARD_MAX_BYTES)
    ) {
      bytes -= this.entries.shift()?.update.byteLength ?? 0
    }
  }
}

export function encodeUpdate(update: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < update.length; i += 0x8000) {
    binary += String.fromCharCode(...update.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

export function decodeUpdate(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
}

const storageKey = (boardId: string) => `common-ground.unsaved.${boardId}`

/**
 * Applies what an earlier page left behind, then guards this page's local updates (those whose
 * origin is not one of `ignoredOrigins`: the server's and IndexedDB's own). Returns `dispose`.
 */
export function guardRecentUpdates(
  boardId: string,
  doc: Y.Doc,
  ignoredOrigins: readonly unknown[],
): () => void {
  const key = storageKey(boardId)
  const left = localStorage.getItem(key)
  if (left) {
    try {
      Y.applyUpdate(doc, decodeUpdate(left), 'unload-guard')
    } catch (error) {
      console.warn('Could not restore the changes kept at the last page close:', error)
    }
    localStorage.removeItem(key)
  }

  const recent = new RecentUpdates()
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (!ignoredOrigins.includes(origin)) recent.add(update)
  }
  const onPageHide = () => {
    const merged = recent.merged()
    if (!merged) return
    try {
      localStorage.setItem(key, encodeUpdate(merged))
    } catch {
      // Storage full: IndexedDB most likely has these already.
    }
  }
  doc.on('update', onUpdate)
  window.addEventListener('pagehide', onPageHide)
  return () => {
    doc.off('update', onUpdate)
    window.removeEventListener('pagehide', onPageHide)
  }
}
