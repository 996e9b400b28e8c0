/**
 * What running the room adds to the server's review of tldraw records (see writeRules.ts):
 * authorship of notes (private brainstorm) and stage locks. Pure, given the board as it is.
 */
import type * as Y from 'yjs'
import { type BoardRole, canFacilitate } from '../access.ts'
import { checkAuthor } from './brainstorm.ts'
import { FACILITATION } from './facilitationKeys.ts'
import { changesRecord, lockKey, templateStageOf } from './stageLock.ts'

export interface RecordRefusal {
  code: 'facilitators-only' | 'not-yours' | 'invalid'
  message: string
}

export function reviewRoomRecord(
  write: { key: string; before: unknown; after: unknown },
  writer: { role: BoardRole; participantId: string | null },
  doc: Y.Doc,
): RecordRefusal | null {
  const stage = templateStageOf(write.key, write.before)
  if (
    stage !== null &&
    !canFacilitate(writer.role) &&
    doc.getMap(FACILITATION).get(lockKey(stage)) === true &&
    changesRecord(write.before, write.after)
  ) {
    return { code: 'facilitators-only', message: `stage "${stage}" is locked by a facilitator` }
  }
  const author = checkAuthor(write, writer.participantId)
  return author && { code: author.reason, message: author.message }
}
