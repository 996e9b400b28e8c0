/**
 * A turn's ballot and private-note changes reduced to their net effect, so a networked store can
 * write them as a few set-based statements instead of one round trip per change. Applying
 * `forgotten` first and then each key's last word gives the same rows as applying every change
 * in order: a forget drops the changes before it, and whatever follows it is a key's last word.
 */

import type { NoteRecord } from '@common-ground/shared/facilitation'
import type { BallotChange, KeptBallot, PrivateNoteChange } from './BoardStore.ts'

export interface NetBallotChanges {
  /** Votes whose every ballot goes, before `ballots` is applied. */
  forgotten: Array<{ boardId: string; sessionId: string }>
  /** Each ballot's last word in the turn (null: removed). */
  ballots: Array<{
    boardId: string
    sessionId: string
    participantId: string
    ballot: KeptBallot | null
  }>
}

export interface NetPrivateNoteChanges {
  /** Boards whose every private note goes, before `notes` is applied. */
  forgotten: string[]
  /** Each note's last word in the turn (null: removed). */
  notes: Array<{
    boardId: string
    noteId: string
    participantId: string
    round: number
    record: NoteRecord | null
  }>
}

export function netBallotChanges(changes: readonly BallotChange[]): NetBallotChanges {
  const forgotten = new Map<string, { boardId: string; sessionId: string }>()
  const last = new Map<string, NetBallotChanges['ballots'][number]>()
  for (const change of changes) {
    const vote = JSON.stringify([change.boardId, change.sessionId])
    if ('forget' in change) {
      forgotten.set(vote, { boardId: change.boardId, sessionId: change.sessionId })
      for (const [key, ballot] of last) {
        if (ballot.boardId === change.boardId && ballot.sessionId === change.sessionId) {
          last.delete(key)
        }
      }
      continue
    }
    const key = JSON.stringify([change.boardId, change.sessionId, change.participantId])
    last.set(key, { ...change })
  }
  return { forgotten: [...forgotten.values()], ballots: [...last.values()] }
}

export function netPrivateNoteChanges(
  changes: readonly PrivateNoteChange[],
): NetPrivateNoteChanges {
  const forgotten = new Set<string>()
  const last = new Map<string, NetPrivateNoteChanges['notes'][number]>()
  for (const change of changes) {
    if ('forget' in change) {
      forgotten.add(change.boardId)
      for (const [key, note] of last) if (note.boardId === change.boardId) last.delete(key)
      continue
    }
    const key = JSON.stringify([change.boardId, change.noteId])
    last.set(key, { ...change })
  }
  return { forgotten: [...forgotten], notes: [...last.values()] }
}
