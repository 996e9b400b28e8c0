/**
 * A board's ballot box next to its document: casting reads the vote's session from the document,
 * and revealed votes get their outcome written back into it. The server runs one per open board
 * (with its store behind the box); tests use it to vote the way the server does.
 */
import type * as Y from 'yjs'
import { readRecords } from '../board/boardDoc.ts'
import { type RuleRefusal, refuse } from '../board/rules.ts'
import { carryDots, mergedInto } from '../themes/merge.ts'
import type { Ballot, VoteRefusal } from './ballot.ts'
import { BallotBox, type DotRequest } from './ballotBox.ts'
import { readVoteState, recordOutcome } from './voteDoc.ts'

export class BoardBallots {
  readonly doc: Y.Doc
  readonly box: BallotBox

  constructor(doc: Y.Doc, box: BallotBox = new BallotBox()) {
    this.doc = doc
    this.box = box
  }

  /** One dot more or less from one person, by the rules of the vote as the document has it. */
  cast(
    participantId: string,
    request: DotRequest,
    now?: number,
    name?: string,
  ): { ok: true; ballot: Ballot } | RuleRefusal<VoteRefusal> {
    const session = readVoteState(this.doc).sessions.get(request.sessionId)
    if (!session) return refuse('unknownVote', `no vote "${request.sessionId}"`)
    return this.box.cast(session, participantId, request, now, name)
  }

  /**
   * Writes the outcome of every revealed vote that has none yet, each in one transaction, and
   * forgets the ballots of the anonymous ones: after that nothing ties their dots to anyone.
   * Returns the votes it wrote.
   */
  recordRevealed(origin?: unknown): string[] {
    const state = readVoteState(this.doc)
    const written: string[] = []
    for (const session of state.sessions.values()) {
      if (session.status !== 'revealed' || state.outcomes.has(session.id)) continue
      recordOutcome(this.doc, session.id, this.box.outcome(session), origin)
      if (session.anonymous) this.box.forget(session.id)
      written.push(session.id)
    }
    return written
  }

  /**
   * After notes were merged: each ballot of a vote not yet revealed has its dots on merged notes
   * carried to the kept note by `carryDots`'s rule (docs/voting.md). Returns the ballots it
   * changed, for the store and for their owners. Running it again changes nothing.
   */
  carryMerged(): { sessionId: string; participantId: string; ballot: Ballot }[] {
    const records = readRecords(this.doc)
    const shapes = [...records.values()].filter((record) => record.typeName === 'shape')
    const into = mergedInto(shapes, (id) => records.has(id as never))
    if (into.size === 0) return []
    const changed: { sessionId: string; participantId: string; ballot: Ballot }[] = []
    for (const session of readVoteState(this.doc).sessions.values()) {
      if (session.status === 'revealed') continue
      if (!session.itemIds.some((id) => into.has(id))) continue
      for (const [participantId, ballot] of this.box.entries(session.id)) {
        const carried = carryDots(session, ballot, into)
        if (!carried) continue
        this.box.keep(session.id, participantId, carried)
        changed.push({ sessionId: session.id, participantId, ballot: carried })
      }
    }
    return changed
  }
}
