/**
 * What running the room adds to the server's review of tldraw records (see writeRules.ts):
 * stage locks, and no author stamp on notes (see brainstorm.ts). Pure, given the board as it is.
 */
import type * as Y from 'yjs'
import { type BoardRole, canFacilitate } from '../board/access.ts'
import { type RuleResult, refuse } from '../board/rules.ts'
import { checkNoAuthorStamp } from './brainstorm.ts'
import { FACILITATION } from './facilitationKeys.ts'
import type { RoomRefusal } from './facilitationRules.ts'
import { changesRecord, lockKey, templateStageOf } from './stageLock.ts'

export function reviewRoomRecord(
  write: { key: string; before: unknown; after: unknown },
  writer: { role: BoardRole },
  doc: Y.Doc,
): RuleResult<RoomRefusal> {
  const stage = templateStageOf(write.key, write.before)
  if (
    stage !== null &&
    !canFacilitate(writer.role) &&
    doc.getMap(FACILITATION).get(lockKey(stage)) === true &&
    changesRecord(write.before, write.after)
  ) {
    return refuse('facilitators-only', `stage "${stage}" is locked by a facilitator`)
  }
  return checkNoAuthorStamp(write)
}
