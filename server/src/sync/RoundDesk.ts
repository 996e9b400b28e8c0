/**
 * The marks of one room's placement rounds and consensus checks (shared vote/roundBox.ts): a
 * mark arrives as a `MESSAGE_ROUND` request, is judged by the round's rules, stored with the turn
 * (the store's `board_ballots`, under the session id `round:<roundId>`) and answered only then.
 * The sender is told their own marks; everyone is told only how many have taken part. When a
 * facilitator reveals a round, its aggregate goes into the document in one transaction and its
 * marks are forgotten (here and in the store): from then on nothing ties a mark to anyone.
 */
import {
  CLOSE,
  canEdit,
  isBoardClosed,
  mayChangeBoard,
  refuse,
  type Writer,
} from '@common-ground/shared/board'
import {
  RoundBox,
  readRoundRequest,
  readRoundState,
  roundBallotValidator,
} from '@common-ground/shared/vote'
import type * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { StoredBallot } from '../store/BoardStore.ts'
import type { CommitQueue, QueuedRoom } from './CommitQueue.ts'
import type { Connection } from './Connection.ts'
import { noticeMessage, ProtocolError } from './protocol.ts'

interface DeskRoom extends QueuedRoom {
  readonly doc: Y.Doc
}

/** Where a round's marks sit in the ballot store (vote ids never hold a colon). */
const STORE_PREFIX = 'round:'

export class RoundDesk<R extends DeskRoom> {
  readonly box: RoundBox
  #room: R
  #queue: CommitQueue<R>
  #log: Logger
  #origin: unknown
  #voterOf: (connection: Connection) => Writer | undefined
  #dirty = new Set<string>()
  /** The turnout everyone was last told, per round: an unchanged one is not sent again. */
  #told = new Map<string, number>()
  #flushScheduled = false

  constructor(options: {
    room: R
    queue: CommitQueue<R>
    log: Logger
    origin: unknown
    voterOf: (connection: Connection) => Writer | undefined
    stored?: readonly StoredBallot[]
  }) {
    this.#room = options.room
    this.#queue = options.queue
    this.#log = options.log
    this.#origin = options.origin
    this.#voterOf = options.voterOf
    this.box = new RoundBox(options.room.doc)
    for (const { sessionId, participantId, ballot } of options.stored ?? []) {
      if (!sessionId.startsWith(STORE_PREFIX) || !roundBallotValidator.isValid(ballot)) continue
      this.box.keep(sessionId.slice(STORE_PREFIX.length), participantId, ballot)
    }
  }

  /** One mark request (JSON text). Requests that are not one close the connection (1007). */
  receive(connection: Connection, json: string): void {
    const read = readRoundRequest(json)
    if (!read) throw new ProtocolError(CLOSE.invalidPayload, 'invalid round request')
    const voter = this.#voterOf(connection)
    const roundId = read.ok ? read.request.roundId : read.roundId
    const participantId = voter?.participantId ?? null
    let result: ReturnType<RoundBox['cast']>
    if (!read.ok) result = read
    else if (!voter || !canEdit(voter.role))
      result = refuse('cannotVote', 'this link can only view the board')
    else if (!participantId) result = refuse('notYourBallot', 'marks are kept per device')
    else if (!mayChangeBoard(voter.role, isBoardClosed(this.#room.doc)))
      result = refuse('cannotVote', 'the board is closed to edits')
    else result = this.box.cast(participantId, read.request)
    if (!result.ok) {
      this.#log.info('round mark refused', {
        board: this.#room.boardId,
        connection: connection.id,
        reason: result.reason,
      })
      const marks = participantId ? this.box.ballot(roundId, participantId).marks : {}
      this.#send(connection, { kind: 'round-ballot', roundId, marks, refused: result.reason })
      return
    }
    const ballot = result.ballot
    this.#queue.addBallots(this.#room, [
      {
        boardId: this.#room.boardId,
        sessionId: STORE_PREFIX + roundId,
        participantId: participantId as string,
        ballot: Object.keys(ballot.marks).length > 0 ? ballot : null,
      },
    ])
    // Every tab of this device shows the same marks.
    for (const other of this.#room.connections) {
      if (other === connection || this.#voterOf(other)?.participantId === participantId)
        this.#send(other, { kind: 'round-ballot', roundId, marks: ballot.marks })
    }
    this.#turnoutChanged(roundId)
  }

  /** A new connection: the turnout of every round not yet revealed, and its own marks in each. */
  greet(connection: Connection): void {
    const participantId = this.#voterOf(connection)?.participantId
    for (const round of readRoundState(this.#room.doc).rounds.values()) {
      if (round.status === 'revealed') continue
      this.#send(connection, {
        kind: 'round-turnout',
        roundId: round.id,
        voters: this.box.turnout(round.id),
      })
      if (!participantId) continue
      const { marks } = this.box.ballot(round.id, participantId)
      this.#send(connection, { kind: 'round-ballot', roundId: round.id, marks })
    }
  }

  /** After a change to the document: a round just revealed gets its result; its marks go. */
  recordRevealed(): void {
    const written = this.box.recordRevealed(this.#origin)
    this.#queue.addBallots(
      this.#room,
      written.map((roundId) => ({
        boardId: this.#room.boardId,
        sessionId: STORE_PREFIX + roundId,
        forget: true as const,
      })),
    )
  }

  #turnoutChanged(roundId: string): void {
    this.#dirty.add(roundId)
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    // Once per turn: a burst of marks costs one turnout message per person, not one per mark.
    setImmediate(() => {
      this.#flushScheduled = false
      for (const id of this.#dirty) {
        const voters = this.box.turnout(id)
        if (this.#told.get(id) === voters) continue
        this.#told.set(id, voters)
        const message = noticeMessage({ kind: 'round-turnout', roundId: id, voters })
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
