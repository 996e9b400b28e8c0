/**
 * Rebuilds a board's Y.Doc from what the store holds: the one way the server loads a stored
 * board (a room, a version, an export). A row that Yjs cannot read (a torn write, a bug
 * elsewhere) is skipped and logged instead of making the whole board unloadable; the next
 * compaction replaces it with a clean snapshot.
 */
import type * as Y from 'yjs'
import type { Logger } from '../log.ts'
import { newDoc } from '../yDoc.ts'
import type { BoardStore, StoredBoardState } from './BoardStore.ts'
import { applyStoredUpdate } from './storedUpdate.ts'

export interface RestoredDoc {
  doc: Y.Doc
  /** The newest seq the doc reflects; compaction may drop everything up to it. */
  lastSeq: number
  /** Log rows after the snapshot: how far the board is from its next compaction. */
  tailLength: number
  failures: { seq: number | 'snapshot'; error: unknown }[]
  /**
   * The one stored row the doc was built from, when there was one and it read: the whole
   * document as an update, already encoded (a compacted board's snapshot, a new board's seed).
   */
  wholeState: Uint8Array | null
}

export function restoreDoc(state: StoredBoardState): RestoredDoc {
  const doc = newDoc()
  const failures: RestoredDoc['failures'] = []
  let lastSeq = state.snapshot?.upToSeq ?? 0
  doc.transact(() => {
    if (state.snapshot) {
      try {
        applyStoredUpdate(doc, state.snapshot.data)
      } catch (error) {
        failures.push({ seq: 'snapshot', error })
      }
    }
    for (const { seq, data } of state.updates) {
      lastSeq = Math.max(lastSeq, seq)
      try {
        applyStoredUpdate(doc, data)
      } catch (error) {
        failures.push({ seq, error })
      }
    }
  })
  const rows = [
    ...(state.snapshot ? [state.snapshot.data] : []),
    ...state.updates.map((u) => u.data),
  ]
  const wholeState = rows.length === 1 && failures.length === 0 ? (rows[0] as Uint8Array) : null
  return { doc, lastSeq, tailLength: state.updates.length, failures, wholeState }
}

export interface LoadedBoardDoc extends RestoredDoc {
  /** Bytes the board takes in the store (snapshot + log rows). */
  storedBytes: number
  /** Whether the store held a snapshot (besides `tailLength` log rows). */
  snapshot: boolean
}

/**
 * The board's document as the store holds it (everything anyone has been sent: updates are
 * committed before they are broadcast); each unreadable row is logged once. The caller owns
 * (and destroys) the doc. `steps` times the store read and the decoding apart (see LoadSteps).
 */
export async function loadBoardDoc(
  store: Pick<BoardStore, 'loadUpdates'>,
  boardId: string,
  log: Logger,
  steps?: { mark(name: string): void },
): Promise<LoadedBoardDoc> {
  const stored = await store.loadUpdates(boardId)
  steps?.mark('read')
  const restored = restoreDoc(stored)
  steps?.mark('decode')
  for (const failure of restored.failures) {
    log.error('stored update unreadable, skipped', {
      board: boardId,
      seq: failure.seq,
      error: failure.error,
    })
  }
  let storedBytes = stored.snapshot?.data.byteLength ?? 0
  for (const update of stored.updates) storedBytes += update.data.byteLength
  return { ...restored, storedBytes, snapshot: stored.snapshot !== null }
}
