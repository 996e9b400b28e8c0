/**
 * The ballot box of one room (shared vote/ballotBox.ts): dots arrive as `MESSAGE_BALLOT`
 * requests, are judged by the vote's rules, stored with the turn (the store's `board_ballots`)
 * and answered only then. The caster is told their own ballot; everyone is told what the vote
 * lets them see (`turnout`). When a facilitator reveals a vote, the outcome goes into the
 * document in one transaction, and an anonymous vote's ballots are forgotten. Ballots and the
 * participant ids they are kept under never reach another browser.
 */
import {
  CLOSE,
  isBoardClosed,
  mayChangeBoard,
  refuse,
  type Writer,
} from '@common-ground/shared/board'
import {
  type Ballot,
  BoardBallots,
  ballotValidator,
  parseVoteKey,
  readDotRequest,
  readVoteState,
  VOTES,
} from '@common-ground/shared/vote'
import type * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { BallotChange, StoredBallot } from '../store/BoardStore.ts'
import type { CommitQueue, QueuedRoom } from './CommitQueue.ts'
import type { Connection } from './Connection.ts'
import { noticeMessage, ProtocolError } from './protocol.ts'

interface DeskRoom extends QueuedRoom {
  readonly doc: Y.Doc
}

/** Who votes from a connection (the sync hooks' `voter`), if anyone. */
type VoterOf = (connection: Connection) => Writer | undefined

export class BallotDesk<R extends DeskRoom> {
  readonly ballots: BoardBallots
  #room: R
  #queue: CommitQueue<R>
  #log: Logger
  #origin: unknown
  #voterOf: VoterOf
  /** Votes whose turnout changed this turn: everyone is told once, at the end of the turn. */
  #dirty = new Set<string>()
  /** The turnout everyone was last told, per vote: an unchanged one is not sent again (in a
   * hidden vote that would tell everyone the moment someone touched their ballot). */
  #told = new Map<string, string>()
  #flushScheduled = false

  constructor(options: {
    room: R
    queue: CommitQueue<R>
    log: Logger
    /** The transaction origin of the server's own writes (outcomes, migration). */
    origin: unknown
    voterOf: VoterOf
    stored?: readonly StoredBallot[]
  }) {
    this.#voterOf = options.voterOf
    this.#room = options.room
    this.#queue = options.queue
    this.#log = options.log
    this.#origin = options.origin
    this.ballots = new BoardBallots(options.room.doc)
    for (const { sessionId, participantId, ballot } of options.stored ?? []) {
      // Marks of placement rounds share the store; RoundDesk keeps them.
      if ('dots' in ballot) this.ballots.box.keep(sessionId, participantId, ballot)
    }
  }

  /** One dot request (JSON text). Malformed requests close the connection (1007). */
  receive(connection: Connection, json: string): void {
    const request = readDotRequest(json)
    if (!request) throw new ProtocolError(CLOSE.invalidPayload, 'invalid ballot request')
    const { sessionId } = request
    const voter = this.#voterOf(connection)
    if (!voter?.participantId) {
      this.#send(connection, { kind: 'ballot', sessionId, dots: {}, refused: 'notYourBallot' })
      return
    }
    const participantId = voter.participantId
    const result = mayChangeBoard(voter.role, isBoardClosed(this.#room.doc))
      ? this.ballots.cast(participantId, request, Date.now(), request.name)
      : refuse('cannotVote', 'the board is closed to edits')
    if (!result.ok) {
      this.#log.info('dot refused', {
        board: this.#room.boardId,
        connection: connection.id,
        reason: result.reason,
      })
      // The ballot as kept, so the page puts back what it guessed.
      const { dots } = this.ballots.box.ballot(sessionId, participantId)
      this.#send(connection, { kind: 'ballot', sessionId, dots, refused: result.reason })
      return
    }
    this.#store([{ sessionId, participantId, ballot: ballotOrNull(result.ballot) }])
    // Every tab of this device shows the same ballot.
    for (const other of this.#room.connections) {
      if (other === connection || this.#voterOf(other)?.participantId === participantId) {
        this.#send(other, { kind: 'ballot', sessionId, dots: result.ballot.dots })
      }
    }
    this.#turnoutChanged(sessionId)
  }

  /**
   * A new connection: the turnout of every vote not yet revealed, and its own ballot in each
   * (empty ones too: what another tab showed before is no longer true).
   */
  greet(connection: Connection): void {
    const voter = this.#voterOf(connection)
    for (const session of readVoteState(this.#room.doc).sessions.values()) {
      if (session.status === 'revealed') continue
      this.#send(connection, { kind: 'turnout', ...this.ballots.box.turnout(session) })
      if (!voter?.participantId) continue
      const { dots } = this.ballots.box.ballot(session.id, voter.participantId)
      this.#send(connection, { kind: 'ballot', sessionId: session.id, dots })
    }
  }

  /**
   * After a change to the document: a vote just revealed gets its outcome, and an anonymous
   * one's ballots are forgotten (stored with the turn).
   */
  recordRevealed(): void {
    const anonymous = new Set(
      [...readVoteState(this.#room.doc).sessions.values()]
        .filter((session) => session.anonymous)
        .map((session) => session.id),
    )
    const written = this.ballots.recordRevealed(this.#origin)
    const forgotten = written.filter((sessionId) => anonymous.has(sessionId))
    this.#queue.addBallots(
      this.#room,
      forgotten.map((sessionId) => ({ boardId: this.#room.boardId, sessionId, forget: true })),
    )
  }

  /**
   * After notes were merged (themes/merge.ts): dots on them move to the kept note by the rule
   * of docs/voting.md, stored with the turn; each owner's tabs get their ballot again.
   */
  carryMerged(): void {
    const changed = this.ballots.carryMerged()
    if (changed.length === 0) return
    this.#store(changed.map((entry) => ({ ...entry, ballot: ballotOrNull(entry.ballot) })))
    for (const { sessionId, participantId, ballot } of changed) {
      for (const connection of this.#room.connections) {
        if (this.#voterOf(connection)?.participantId === participantId)
          this.#send(connection, { kind: 'ballot', sessionId, dots: ballot.dots })
      }
      this.#turnoutChanged(sessionId)
    }
    this.#log.info('dots carried to merged notes', {
      board: this.#room.boardId,
      ballots: changed.length,
    })
  }

  /**
   * A board from before the ballot box keeps ballots in its document: they move into the box
   * (and the store), and out of the document, in one server transaction.
   */
  migrate(): number {
    const doc = this.#room.doc
    const votes = doc.getMap<unknown>(VOTES)
    const moved: { sessionId: string; participantId: string; ballot: Ballot }[] = []
    const legacy: string[] = []
    for (const [key, value] of votes.entries()) {
      const parsed = parseVoteKey(key)
      if (parsed?.kind !== 'ballot') continue
      legacy.push(key)
      try {
        const ballot = ballotValidator.validate(value)
        moved.push({ sessionId: parsed.sessionId, participantId: parsed.participantId, ballot })
      } catch {
        // A ballot that does not validate counted nothing before (tally's rule); it goes.
      }
    }
    if (legacy.length === 0) return 0
    for (const { sessionId, participantId, ballot } of moved) {
      this.ballots.box.keep(sessionId, participantId, ballot)
    }
    this.#store(moved.map((entry) => ({ ...entry, ballot: ballotOrNull(entry.ballot) })))
    this.recordRevealed()
    doc.transact(() => {
      for (const key of legacy) votes.delete(key)
    }, this.#origin)
    this.#log.warn('ballots moved out of the document', {
      board: this.#room.boardId,
      ballots: legacy.length,
    })
    return legacy.length
  }

  #store(changes: { sessionId: string; participantId: string; ballot: Ballot | null }[]): void {
    const boardId = this.#room.boardId
    this.#queue.addBallots(
      this.#room,
      changes.map((change): BallotChange => ({ boardId, ...change })),
    )
  }

  #turnoutChanged(sessionId: string): void {
    this.#dirty.add(sessionId)
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    // Once per turn: a burst of dots costs one turnout message per person, not one per dot.
    setImmediate(() => {
      this.#flushScheduled = false
      const sessions = readVoteState(this.#room.doc).sessions
      for (const sessionId of this.#dirty) {
        const session = sessions.get(sessionId)
        if (!session) continue
        const turnout = this.ballots.box.turnout(session)
        const text = JSON.stringify(turnout)
        if (this.#told.get(sessionId) === text) continue
        this.#told.set(sessionId, text)
        const message = noticeMessage({ kind: 'turnout', ...turnout })
        for (const connection of this.#room.connections) {
          this.#queue.send(this.#room, connection, message)
        }
      }
      this.#dirty.clear()
    })
  }

  #send(connection: Connection, notice: Parameters<typeof noticeMessage>[0]): void {
    this.#queue.send(this.#room, connection, noticeMessage(notice))
  }
}

/** An empty ballot is no ballot (the store keeps none for it). */
function ballotOrNull(ballot: Ballot): Ballot | null {
  return Object.keys(ballot.dots).length > 0 ? ballot : null
}
