/**
 * Rebuilds a board's Y.Doc from what the store holds. A row that Yjs cannot read (a torn write,
 * a bug elsewhere) is skipped and reported instead of making the whole board unloadable; the next
 * compaction replaces it with a clean snapshot.
 */
import * as Y from 'yjs'
import type { StoredBoardState } from './BoardStore.ts'

export interface RestoredDoc {
  doc: Y.Doc
  /** The newest seq the doc reflects; compaction may drop everything up to it. */
  lastSeq: number
  /** Log rows after the snapshot: how far the board is from its next compaction. */
  tailLength: number
  failures: { seq: number | 'snapshot'; error: unknown }[]
}

export function restoreDoc(state: StoredBoardState): RestoredDoc {
  const doc = new Y.Doc()
  const failures: RestoredDoc['failures'] = []
  let lastSeq = state.snapshot?.upToSeq ?? 0
  doc.transact(() => {
    if (state.snapshot) {
      try {
        Y.applyUpdate(doc, state.snapshot.data)
      } catch (error) {
        failures.push({ seq: 'snapshot', error })
      }
    }
    for (const { seq, data } of state.updates) {
      lastSeq = Math.max(lastSeq, seq)
      try {
        Y.applyUpdate(doc, data)
      } catch (error) {
        failures.push({ seq, error })
      }
    }
  })
  return { doc, lastSeq, tailLength: state.updates.length, failures }
}
