/**
 * Every write to the facilitation map, one named command each, so panels never touch the map
 * themselves. Values go through the same validators the server's review uses: a command that
 * would be refused throws here, before anything is sent.
 */
import type * as Y from 'yjs'
import type { StageId } from '../plan/template.ts'
import { GATHER, type Gather, nextGather, type PageBounds, readGather, STAGE } from './agenda.ts'
import { BRAINSTORM, type Brainstorm } from './brainstorm.ts'
import {
  type DoneMark,
  doneKey,
  doneMarkValidator,
  FACILITATION,
  FACILITATION_FIELDS,
} from './facilitationKeys.ts'
import { lockKey } from './stageLock.ts'
import { type RoomTimer, TIMER } from './timer.ts'

function facilitationMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(FACILITATION)
}

/** Sets a facilitator key after checking its value (or removes it, with `undefined`). */
function setField(doc: Y.Doc, key: string, value: unknown, origin: unknown): void {
  const map = facilitationMap(doc)
  if (value === undefined) {
    doc.transact(() => map.delete(key), origin)
    return
  }
  const validator = FACILITATION_FIELDS.get(key)
  if (!validator) throw new Error(`"${key}" is not a facilitation field`)
  const checked = validator.validate(value)
  doc.transact(() => map.set(key, checked), origin)
}

/** Moves the agenda to a stage: everyone's agenda follows, late joiners land there. */
export function setStage(doc: Y.Doc, stage: StageId, origin: unknown = null): void {
  setField(doc, STAGE, stage, origin)
}

/** "Bring everyone here": every other screen moves to this view (a new serial each time). */
export function gatherEveryone(
  doc: Y.Doc,
  bounds: PageBounds,
  pageId: string,
  origin: unknown = null,
): Gather {
  const gather = nextGather(readGather(facilitationMap(doc).get(GATHER)), bounds, pageId)
  setField(doc, GATHER, gather, origin)
  return gather
}

/** Sets the room's shared countdown, or removes it with null. */
export function setRoomTimer(doc: Y.Doc, timer: RoomTimer | null, origin: unknown = null): void {
  setField(doc, TIMER, timer ?? undefined, origin)
}

/** Starts, changes or ends a private brainstorm (see brainstorm.ts). */
export function setBrainstorm(doc: Y.Doc, brainstorm: Brainstorm, origin: unknown = null): void {
  setField(doc, BRAINSTORM, brainstorm, origin)
}

/** Locks or unlocks stages' frames and prompts, in one change. */
export function setStageLocks(
  doc: Y.Doc,
  stages: readonly StageId[],
  locked: boolean,
  origin: unknown = null,
): void {
  const map = facilitationMap(doc)
  doc.transact(() => {
    // An unlocked stage has no key at all: the map only holds what is in force.
    for (const stage of stages) {
      if (locked) map.set(lockKey(stage), true)
      else map.delete(lockKey(stage))
    }
  }, origin)
}

/**
 * "I'm done with this step" for one person (the only key a participant writes), under the
 * person id everyone sees in presence (access.ts `personIdFor`).
 */
export function markDone(
  doc: Y.Doc,
  personId: string,
  mark: DoneMark | null,
  origin: unknown = null,
): void {
  const map = facilitationMap(doc)
  const key = doneKey(personId)
  if (mark === null) doc.transact(() => map.delete(key), origin)
  else {
    const checked = doneMarkValidator.validate(mark)
    doc.transact(() => map.set(key, checked), origin)
  }
}
