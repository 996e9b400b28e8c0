/**
 * A handle for benchmarks, end-to-end tests and curious people at the devtools console:
 * `window.commonGround.editor` is the tldraw editor of the open board. It grants nothing the
 * devtools do not already give the person at this browser.
 */
import type { Editor } from 'tldraw'
import * as Y from 'yjs'
import type { BoardConnection } from '../sync/BoardConnection.ts'

export interface AutomationHandle {
  editor: Editor
  connection: BoardConnection
  /** Size of the board's whole state as one Yjs update, in bytes. */
  docBytes(): number
}

declare global {
  interface Window {
    commonGround?: AutomationHandle
  }
}

/** Marks the moment the board became interactive (`performance.getEntriesByName(...)`). */
export const BOARD_INTERACTIVE_MARK = 'common-ground:board-interactive'
/** The steps before it, for the big-board benchmark: the first sync done, the store loaded. */
export const BOARD_SYNCED_MARK = 'common-ground:board-synced'
export const BOARD_LOADED_MARK = 'common-ground:board-loaded'

/** A performance mark, set the first time only (a board reopened on this page keeps its first). */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name)
}

export function exposeBoard(editor: Editor, connection: BoardConnection): () => void {
  window.commonGround = {
    editor,
    connection,
    docBytes: () => Y.encodeStateAsUpdate(connection.doc).byteLength,
  }
  markOnce(BOARD_INTERACTIVE_MARK)
  return () => {
    if (window.commonGround?.editor === editor) delete window.commonGround
  }
}
