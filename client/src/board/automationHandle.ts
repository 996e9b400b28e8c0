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

export function exposeBoard(editor: Editor, connection: BoardConnection): () => void {
  window.commonGround = {
    editor,
    connection,
    docBytes: () => Y.encodeStateAsUpdate(connection.doc).byteLength,
  }
  if (performance.getEntriesByName(BOARD_INTERACTIVE_MARK).length === 0) {
    performance.mark(BOARD_INTERACTIVE_MARK)
  }
  return () => {
    if (window.commonGround?.editor === editor) delete window.commonGround
  }
}
