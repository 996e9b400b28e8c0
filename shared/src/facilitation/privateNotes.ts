/**
 * Private brainstorm notes, kept by the server until the reveal. While a round is hidden (see
 * brainstorm.ts), a note someone adds in the round's scope never enters the shared document: the
 * browser sends it over the sync socket (`MESSAGE_PRIVATE_NOTE`, a `PrivateNoteRequest`), the
 * server stores it and hands it back only to that person's own devices. Everyone else, the
 * facilitator included, learns how many notes and how many writers there are (`PrivateCount`).
 * The reveal (or the next round) writes every kept note into the document in one transaction,
 * where each was placed, with nothing that says whose it was.
 *
 * The rules here are pure, so the server's keeping can be checked against them in tests.
 */
import { T } from '@tldraw/validate'
import { isPlainJson } from '../board/json.ts'
import { withoutAuthorStamp } from './brainstorm.ts'

/** How many notes one person may keep in a round, and a whole board. */
export const MAX_PRIVATE_NOTES_PER_PERSON = 200
export const MAX_PRIVATE_NOTES_PER_BOARD = 4000
/** A note's record as JSON text; a sticky note with a long paragraph is ~2 KB. */
export const MAX_PRIVATE_NOTE_BYTES = 16 * 1024

/** tldraw shape ids as our clients make them (`createShapeId`), and tests. */
const NOTE_ID_PATTERN = /^shape:[A-Za-z0-9_-]{1,64}$/

/** A tldraw note record, as far as keeping it goes (tldraw's validators judge the rest). */
export interface NoteRecord {
  id: string
  typeName: 'shape'
  type: 'note'
  parentId: string
  [key: string]: unknown
}

/** One change a browser asks for: its own note put (as it is now) or removed (`record: null`). */
export interface PrivateNoteRequest {
  /** The round it was made in (`Brainstorm.serial`): a request for an ended round is refused. */
  round: number
  /** Grows with each change this browser makes to the note; the answer carries it back. */
  rev: number
  id: string
  record: NoteRecord | null
}

/** Why a request was not kept. */
export type PrivateNoteRefusal =
  /** No round is hidden now, or another one is: the note belongs on the board. */
  | 'roundOver'
  /** A view link, a closed board, or no device secret. */
  | 'cannotWrite'
  /** The id is someone else's note, or a note already on the board. */
  | 'notYours'
  | 'tooMany'
  | 'invalid'

/** What everyone may know of a hidden round. */
export interface PrivateCount {
  round: number
  notes: number
  /** How many people keep at least one note. */
  people: number
}

const requestValidator = T.object({
  round: T.integer.check(positiveSafe),
  rev: T.integer.check(positiveSafe),
  id: T.string.check((value) => {
    if (!NOTE_ID_PATTERN.test(value)) throw new T.ValidationError('Expected a note id')
  }),
  record: T.unknown,
})

/** A request as received (JSON text), or null when it is not a well-formed one. */
export function readPrivateNoteRequest(json: string): PrivateNoteRequest | null {
  if (json.length > MAX_PRIVATE_NOTE_BYTES + 256) return null
  let value: unknown
  try {
    value = requestValidator.validate(JSON.parse(json))
  } catch {
    return null
  }
  const request = value as Omit<PrivateNoteRequest, 'record'> & { record: unknown }
  if (request.record === null) return { ...request, record: null }
  return isNoteRecord(request.record, request.id) ? (request as PrivateNoteRequest) : null
}

/** Whether `value` is plain JSON shaped as the note `id` (tldraw's validators come after). */
export function isNoteRecord(value: unknown, id: string): value is NoteRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  return (
    record.id === id &&
    record.typeName === 'shape' &&
    record.type === 'note' &&
    typeof record.parentId === 'string' &&
    isPlainJson(record)
  )
}

/**
 * The note as the reveal writes it: without anything that names its writer. tldraw notes keep who
 * last edited their text (`props.textLastEditedBy`, the user id every presence shows, and the
 * first name it draws on the note); old boards stamped their writer in `meta` too.
 */
export function anonymousNote(record: NoteRecord): NoteRecord {
  const props = record.props
  const unsigned =
    typeof props === 'object' && props !== null && 'textLastEditedBy' in props
      ? { ...record, props: { ...props, textLastEditedBy: null } }
      : record
  return withoutAuthorStamp(unsigned)
}

interface KeptNote {
  author: string
  record: NoteRecord
}

/**
 * The notes of the hidden round, by id, with who keeps each. Authors are whatever the server
 * keeps people under; they never leave it.
 */
export class PrivateNoteBox {
  #notes = new Map<string, KeptNote>()
  #perAuthor = new Map<string, number>()

  /** Keeps `record` for `author` (new, or a change to their own note), or says why not. */
  put(author: string, record: NoteRecord): PrivateNoteRefusal | null {
    const kept = this.#notes.get(record.id)
    if (kept && kept.author !== author) return 'notYours'
    if (!kept) {
      if ((this.#perAuthor.get(author) ?? 0) >= MAX_PRIVATE_NOTES_PER_PERSON) return 'tooMany'
      if (this.#notes.size >= MAX_PRIVATE_NOTES_PER_BOARD) return 'tooMany'
      this.#perAuthor.set(author, (this.#perAuthor.get(author) ?? 0) + 1)
    }
    this.#notes.set(record.id, { author, record })
    return null
  }

  /** Drops one of `author`'s notes; false when they keep no note of that id. */
  remove(author: string, id: string): boolean {
    const kept = this.#notes.get(id)
    if (!kept || kept.author !== author) return false
    this.#notes.delete(id)
    const left = (this.#perAuthor.get(author) ?? 1) - 1
    if (left > 0) this.#perAuthor.set(author, left)
    else this.#perAuthor.delete(author)
    return true
  }

  /** The note `id` if `author` keeps it. */
  noteOf(author: string, id: string): NoteRecord | undefined {
    const kept = this.#notes.get(id)
    return kept?.author === author ? kept.record : undefined
  }

  /** Whether anyone keeps a note of this id. */
  has(id: string): boolean {
    return this.#notes.has(id)
  }

  notesOf(author: string): NoteRecord[] {
    return [...this.#notes.values()].filter((kept) => kept.author === author).map((k) => k.record)
  }

  /** Every kept note, without who keeps it (what the reveal writes). */
  records(): NoteRecord[] {
    return [...this.#notes.values()].map((kept) => kept.record)
  }

  /** Every kept note with its author (for the store and migrations, never for a browser). */
  entries(): Array<{ author: string; record: NoteRecord }> {
    return [...this.#notes.values()]
  }

  get size(): number {
    return this.#notes.size
  }

  count(round: number): PrivateCount {
    return { round, notes: this.#notes.size, people: this.#perAuthor.size }
  }

  clear(): void {
    this.#notes.clear()
    this.#perAuthor.clear()
  }
}

function positiveSafe(value: number): void {
  if (value < 1 || value > Number.MAX_SAFE_INTEGER) {
    throw new T.ValidationError('Expected a whole number from 1')
  }
}
