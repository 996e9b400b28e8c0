/**
 * The facilitation map as signals, for the canvas (visibility, locks) and the people panel.
 * One per open board; the Y map is the truth, these are read-only mirrors of it.
 */
import {
  BRAINSTORM,
  type Brainstorm,
  type DoneMark,
  doneMarksFrom,
  FACILITATION,
  LOCK_PREFIX,
  readBrainstorm,
  readStage,
  STAGE,
  STAGE_IDS,
  type StageId,
} from '@common-ground/shared'
import { atom, type Signal } from 'tldraw'
import type * as Y from 'yjs'

export interface RoomState {
  brainstorm: Signal<Brainstorm | null>
  /** Stages whose frame and prompt are locked. */
  locked: Signal<ReadonlySet<StageId>>
  doneMarks: Signal<ReadonlyMap<string, DoneMark>>
  /** The agenda's current stage, or null while the facilitator keeps none. */
  currentStage: Signal<string | null>
  /** Mirrors a board's facilitation map until the returned function is called. */
  attach(doc: Y.Doc): () => void
}

/** Starts empty (nothing hidden, nothing locked) until attached to a board. */
export function createRoomState(): RoomState {
  // Compared by value: every facilitation change re-reads it, and hidden notes depend on it.
  const brainstorm = atom<Brainstorm | null>('brainstorm', null, {
    isEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  })
  const locked = atom<ReadonlySet<StageId>>('locked stages', new Set())
  const doneMarks = atom<ReadonlyMap<string, DoneMark>>('done marks', new Map())
  const currentStage = atom<string | null>('current stage', null)
  const attach = (doc: Y.Doc) => {
    const map = doc.getMap<unknown>(FACILITATION)
    const read = () => {
      brainstorm.set(readBrainstorm(map.get(BRAINSTORM)))
      const nextLocked = new Set(STAGE_IDS.filter((stage) => map.get(LOCK_PREFIX + stage) === true))
      if (!sameSet(nextLocked, locked.get())) locked.set(nextLocked)
      doneMarks.set(doneMarksFrom(map.entries()))
      currentStage.set(readStage(map.get(STAGE)))
    }
    read()
    map.observe(read)
    return () => map.unobserve(read)
  }
  return { brainstorm, locked, doneMarks, currentStage, attach }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value))
}
