/**
 * The private notes of one room's hidden brainstorm round (shared facilitation/privateNotes.ts).
 * A note arrives as a `MESSAGE_PRIVATE_NOTE` request, is judged by the same review as any record
 * write, stored with the turn (the store's `board_private_notes`) and answered only then: the tab
 * that sent it gets its `rev` back, the person's other tabs get the note, everyone gets the new
 * count. When the round ends (the reveal, a new round, a restored version), every kept note is
 * written into the document in one server transaction, where its writer put it, and forgotten.
 */
import {
  type BoardDoc,
  type BoardWrite,
  CLOSE,
  FIRST_PAGE_ID,
  RECORDS,
  type Writer,
} from '@common-ground/shared/board'
import {
  anonymousNote,
  BRAINSTORM,
  type Brainstorm,
  FACILITATION,
  isInRound,
  legacyAuthorOf,
  type NoteRecord,
  type PlacedShape,
  PrivateNoteBox,
  type PrivateNoteRefusal,
  type PrivateNoteRequest,
  readBrainstorm,
  readPrivateNoteRequest,
  withoutAuthorStamp,
} from '@common-ground/shared/facilitation'
import type * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { PrivateNoteChange, StoredPrivateNote } from '../store/BoardStore.ts'
import type { CommitQueue, QueuedRoom } from './CommitQueue.ts'
import type { Connection } from './Connection.ts'
import { noticeMessage, ProtocolError } from './protocol.ts'

interface DeskRoom extends QueuedRoom {
  readonly doc: Y.Doc
}

/** Whose private notes a connection keeps (the sync hooks' `voter`), if anyone's. */
type KeeperOf = (connection: Connection) => Writer | undefined
/** The write review of the room's hooks, asked about one record as if it were written. */
type ReviewRecord = (connection: Connection, write: BoardWrite) => string | undefined

export class PrivateNoteDesk<R extends DeskRoom> {
  #room: R
  #board: BoardDoc
  #queue: CommitQueue<R>
  #log: Logger
  #origin: unknown
  #keeperOf: KeeperOf
  #review: ReviewRecord
  #box = new PrivateNoteBox()
  /** The hidden round the kept notes belong to; null when none is hidden. */
  #round: number | null
  /** The count everyone was last told: an unchanged one is not sent again. */
  #told = ''
  #flushScheduled = false

  constructor(options: {
    room: R
    board: BoardDoc
    queue: CommitQueue<R>
    log: Logger
    /** The transaction origin of the server's own writes (the reveal, migration). */
    origin: unknown
    keeperOf: KeeperOf
    review: ReviewRecord
    stored?: readonly StoredPrivateNote[]
  }) {
    this.#room = options.room
    this.#board = options.board
    this.#queue = options.queue
    this.#log = options.log
    this.#origin = options.origin
    this.#keeperOf = options.keeperOf
    this.#review = options.review
    this.#round = hiddenRound(this.#brainstorm())
    for (const { participantId, record } of options.stored ?? []) {
      this.#box.put(participantId, record)
    }
    // Every way the round can end passes here: a facilitator's write, a restore, a migration.
    options.room.doc.getMap(FACILITATION).observe(() => this.roundMayHaveEnded())
  }

  /** One request (JSON text). Malformed requests close the connection (1007). */
  receive(connection: Connection, json: string): void {
    const request = readPrivateNoteRequest(json)
    if (!request) throw new ProtocolError(CLOSE.invalidPayload, 'invalid private note request')
    const refusal = this.#keep(connection, request)
    if (refusal) {
      this.#log.info('private note refused', {
        board: this.#room.boardId,
        connection: connection.id,
        reason: refusal,
      })
    }
    const { round, id, rev } = request
    this.#send(connection, {
      kind: 'private-note',
      round,
      id,
      rev,
      ...(refusal ? { refused: refusal } : {}),
    })
  }

  #keep(connection: Connection, request: PrivateNoteRequest): PrivateNoteRefusal | null {
    const keeper = this.#keeperOf(connection)?.participantId
    if (!keeper) return 'cannotWrite'
    if (request.round !== this.#round) return 'roundOver'
    const { id, record } = request
    const before = this.#box.noteOf(keeper, id)
    if (!before && (this.#box.has(id) || this.#board.records.has(id))) return 'notYours'
    if (record === null) {
      if (!before) return null // already gone: answering keeps the browser's queue moving
      this.#box.remove(keeper, id)
    } else {
      // The same review as a note written to the board: role, closed board, tldraw's validators.
      const refused = this.#review(connection, { root: RECORDS, key: id, before, after: record })
      if (refused === 'read-only' || refused === 'board-closed') return 'cannotWrite'
      if (refused) return 'invalid'
      const full = this.#box.put(keeper, record)
      if (full) return full
    }
    this.#store([
      {
        boardId: this.#room.boardId,
        participantId: keeper,
        round: this.#round,
        noteId: id,
        record,
      },
    ])
    for (const other of this.#room.connections) {
      if (other !== connection && this.#keeperOf(other)?.participantId === keeper) {
        this.#send(other, {
          kind: 'private-note',
          round: this.#round,
          id,
          rev: request.rev,
          record,
        })
      }
    }
    this.#countChanged()
    return null
  }

  /** A new connection during a hidden round: the count, and its own notes (an empty list too). */
  greet(connection: Connection): void {
    if (this.#round === null) return
    this.#send(connection, { kind: 'private-count', ...this.#box.count(this.#round) })
    const keeper = this.#keeperOf(connection)?.participantId
    if (!keeper) return
    this.#send(connection, {
      kind: 'private-notes',
      round: this.#round,
      notes: this.#box.notesOf(keeper),
    })
  }

  /**
   * After any change to the facilitation map: when the kept notes' round is no longer the hidden
   * one (revealed, replaced by a new round, or a version restored), they go onto the board.
   */
  roundMayHaveEnded(): void {
    const round = hiddenRound(this.#brainstorm())
    if (round === this.#round) return
    this.#round = round
    this.#told = ''
    if (this.#box.size > 0) this.#reveal()
    if (round !== null) this.#countChanged()
  }

  /**
   * Boards from before the server kept private notes: during a hidden round, the notes in its
   * scope that carry their writer's stamp move into the server's keeping (they were hidden from
   * everyone else); every other note loses the stamp. One server transaction.
   */
  migrate(): number {
    const records = this.#board.records
    const brainstorm = this.#brainstorm()
    const moved: Array<{ author: string; record: NoteRecord }> = []
    const unstamped: NoteRecord[] = []
    // The YKeyValue's own map, not a copy of it: a board of thousands of notes loads here.
    for (const [id, { val: value }] of records.map) {
      const author = legacyAuthorOf(value as object)
      if (author === null) continue
      const record = withoutAuthorStamp(value as unknown as NoteRecord)
      const shapeOf = (key: string) => records.get(key) as unknown as PlacedShape | undefined
      if (
        this.#round !== null &&
        brainstorm &&
        record.type === 'note' &&
        record.id === id &&
        isInRound(record as unknown as PlacedShape, brainstorm, shapeOf) &&
        this.#box.put(author, record) === null
      ) {
        moved.push({ author, record })
      } else {
        unstamped.push(record)
      }
    }
    if (moved.length + unstamped.length === 0) return 0
    this.#room.doc.transact(() => {
      for (const { record } of moved) records.delete(record.id)
      for (const record of unstamped) records.set(record.id, record as never)
    }, this.#origin)
    const round = this.#round
    if (round !== null) {
      this.#store(
        moved.map(({ author, record }) => ({
          boardId: this.#room.boardId,
          participantId: author,
          round,
          noteId: record.id,
          record,
        })),
      )
    }
    this.#log.warn('note authors taken out of the document', {
      board: this.#room.boardId,
      kept: moved.length,
      unstamped: unstamped.length,
    })
    return moved.length + unstamped.length
  }

  #reveal(): void {
    const records = this.#board.records
    const notes = this.#box.records()
    this.#room.doc.transact(() => {
      for (const kept of notes) {
        // Where its writer put it (on the page when what it lay in is gone), signed by nobody.
        const note = anonymousNote(kept)
        const placed = records.has(note.parentId) ? note : { ...note, parentId: FIRST_PAGE_ID }
        records.set(note.id, placed as never)
      }
    }, this.#origin)
    this.#box.clear()
    this.#store([{ boardId: this.#room.boardId, forget: true }])
    this.#log.info('private notes revealed', { board: this.#room.boardId, notes: notes.length })
  }

  #brainstorm(): Brainstorm | null {
    return readBrainstorm(this.#room.doc.getMap(FACILITATION).get(BRAINSTORM))
  }

  #store(changes: PrivateNoteChange[]): void {
    this.#queue.addPrivateNotes(this.#room, changes)
  }

  #countChanged(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    // Once per turn, and only when it changed: a burst of typing costs nobody anything.
    setImmediate(() => {
      this.#flushScheduled = false
      if (this.#round === null) return
      const count = this.#box.count(this.#round)
      const text = JSON.stringify(count)
      if (this.#told === text) return
      this.#told = text
      const message = noticeMessage({ kind: 'private-count', ...count })
      for (const connection of this.#room.connections) {
        this.#queue.send(this.#room, connection, message)
      }
    })
  }

  #send(connection: Connection, notice: Parameters<typeof noticeMessage>[0]): void {
    this.#queue.send(this.#room, connection, noticeMessage(notice))
  }
}

function hiddenRound(brainstorm: Brainstorm | null): number | null {
  return brainstorm?.hidden ? brainstorm.serial : null
}
