/**
 * What the last sorting action did (or why it could not), said to screen readers and shown in
 * the sort panel: the Shift+P shortcut and the context menu act while the panel may be closed.
 */
import { atom } from '@tldraw/state'

export interface SortNotice {
  text: string
  /** Increases with each notice, so the same message twice is announced twice. */
  serial: number
}

export const sortNotice = atom<SortNotice | null>('sort notice', null)
let serial = 0

export function showSortNotice(text: string): void {
  sortNotice.set({ text, serial: ++serial })
}
