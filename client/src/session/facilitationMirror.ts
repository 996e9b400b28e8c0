/**
 * The facilitation map as signals: the one mirror of it on a page (agenda stage, timer, gather,
 * private brainstorm, stage locks, done marks). The Y map is the truth; these are read-only
 * copies, re-read through the shared validators so a malformed value reads as "none".
 */
import {
  BRAINSTORM,
  type Brainstorm,
  type DoneMark,
  doneMarksFrom,
  FACILITATION,
  GATHER,
  type Gather,
  LOCK_PREFIX,
  type RoomTimer,
  readBrainstorm,
  readGather,
  readStage,
  readTimer,
  STAGE,
  TIMER,
} from '@common-ground/shared/facilitation'
import { STAGE_IDS, type StageId } from '@common-ground/shared/plan'
import { atom, type Signal } from '@tldraw/state'
import type * as Y from 'yjs'

/** A "bring everyone here", and whether it was sent from this page. */
export interface GatherEvent {
  gather: Gather
  fromHere: boolean
}

export interface FacilitationMirror {
  brainstorm: Signal<Brainstorm | null>
  /** Stages whose frame and prompt are locked. */
  locked: Signal<ReadonlySet<StageId>>
  doneMarks: Signal<ReadonlyMap<string, DoneMark>>
  /** The agenda's current stage, or null while the facilitator keeps none. */
  currentStage: Signal<StageId | null>
  timer: Signal<RoomTimer | null>
  /** The latest "bring everyone here"; null until one is sent while this page is open. */
  gather: Signal<GatherEvent | null>
  /** Mirrors a board's facilitation map until the returned function is called. */
  attach(doc: Y.Doc): () => void
}

/** Compared by value: every facilitation change re-reads each key. */
const byValue = { isEqual: (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b) }

/** Starts empty (nothing hidden, nothing locked) until attached to a board. */
export function createFacilitationMirror(): FacilitationMirror {
  const brainstorm = atom<Brainstorm | null>('brainstorm', null, byValue)
  const locked = atom<ReadonlySet<StageId>>('locked stages', new Set(), {
    isEqual: sameSet,
  })
  const doneMarks = atom<ReadonlyMap<string, DoneMark>>('done marks', new Map())
  const currentStage = atom<StageId | null>('current stage', null)
  const timer = atom<RoomTimer | null>('room timer', null, byValue)
  const gather = atom<GatherEvent | null>('gather', null)
  const attach = (doc: Y.Doc) => {
    const map = doc.getMap<unknown>(FACILITATION)
    // A gather already on the board when the page opens is history: only new ones move people.
    let lastGather = readGather(map.get(GATHER))?.serial ?? 0
    const read = (local: boolean) => {
      brainstorm.set(readBrainstorm(map.get(BRAINSTORM)))
      locked.set(new Set(STAGE_IDS.filter((stage) => map.get(LOCK_PREFIX + stage) === true)))
      doneMarks.set(doneMarksFrom(map.entries()))
      currentStage.set(readStage(map.get(STAGE)))
      timer.set(readTimer(map.get(TIMER)))
      const nextGather = readGather(map.get(GATHER))
      if (nextGather && nextGather.serial > lastGather) {
        lastGather = nextGather.serial
        gather.set({ gather: nextGather, fromHere: local })
      }
    }
    const onChange = (event: Y.YMapEvent<unknown>) => read(event.transaction.local)
    read(true)
    map.observe(onChange)
    return () => map.unobserve(onChange)
  }
  return { brainstorm, locked, doneMarks, currentStage, timer, gather, attach }
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value))
}
