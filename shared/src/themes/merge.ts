/**
 * Merging duplicates: several notes that say the same thing become one. The kept note (the
 * target) gets the text of every merged note, one paragraph each, and `meta.cgMerged`: one part
 * per original note with its text and its author (tldraw's `textLastEditedBy`, or null), so no
 * author and no text is lost, however often notes are merged again. The other notes are deleted in
 * the same update. The server's write review holds every writer to that (`checkMergedNote`), and
 * its ballot box carries the dots placed on merged notes to the kept one (`carryDots`).
 */
import { toRichText } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { MAX_TEXT_LENGTH } from '../board/text.ts'
import { plainTextOf } from '../plan/issue.ts'
import type { Ballot } from '../vote/ballot.ts'
import type { VoteSession } from '../vote/session.ts'

export const MERGED_META_KEY = 'cgMerged'
/** Notes one merged note may stand for: a wall's worth of duplicates, and a bound on the meta. */
export const MAX_MERGED_PARTS = 50
/** tldraw user ids are short; this bounds what a forged part may carry. */
const MAX_AUTHOR_LENGTH = 128

export interface MergedPart {
  /** The original note's shape id (the kept note's own id for its own part). */
  id: string
  /** Its text, without formatting, when it was merged. */
  text: string
  /** Who last wrote its text (tldraw's `textLastEditedBy`), or null. */
  by: string | null
}

const shapeIdValidator = T.string.check((value) => {
  if (!/^shape:[A-Za-z0-9_-]{1,64}$/.test(value)) throw new T.ValidationError('Expected a shape id')
})

export const mergedPartValidator: T.Validator<MergedPart> = T.object({
  id: shapeIdValidator,
  text: T.string.check((value) => {
    if (value.length > MAX_TEXT_LENGTH)
      throw new T.ValidationError(`Expected at most ${MAX_TEXT_LENGTH} characters`)
  }),
  by: T.nullable(
    T.string.check((value) => {
      if (value.length === 0 || value.length > MAX_AUTHOR_LENGTH)
        throw new T.ValidationError('Expected an author id')
    }),
  ),
})

export const mergedPartsValidator: T.Validator<MergedPart[]> = T.arrayOf(mergedPartValidator).check(
  (parts) => {
    if (parts.length < 2) throw new T.ValidationError('Expected at least two merged notes')
    if (parts.length > MAX_MERGED_PARTS)
      throw new T.ValidationError(`Expected at most ${MAX_MERGED_PARTS} merged notes`)
    if (new Set(parts.map((part) => part.id)).size !== parts.length)
      throw new T.ValidationError('Expected each merged note once')
  },
)

export type MergeRefusal = 'tooMany' | 'tooLong' | 'notNotes'

export class MergeError extends Error {
  readonly reason: MergeRefusal
  constructor(reason: MergeRefusal, message: string) {
    super(message)
    this.reason = reason
  }
}

/** The parts of a note record as a plain value (any JSON may arrive; nothing here throws). */
interface NoteValue {
  id?: unknown
  type?: unknown
  props?: { richText?: unknown; textLastEditedBy?: unknown }
  meta?: Record<string, unknown>
}

export function noteTextOf(note: unknown): string {
  return plainTextOf((note as NoteValue | null)?.props?.richText)
}

/** The merged parts a note stores, or null when it stores none (or something invalid). */
export function storedParts(note: unknown): MergedPart[] | null {
  const meta = (note as NoteValue | null)?.meta
  if (typeof meta !== 'object' || meta === null || !Object.hasOwn(meta, MERGED_META_KEY))
    return null
  try {
    return mergedPartsValidator.validate(meta[MERGED_META_KEY])
  } catch {
    return null
  }
}

/** What a note stands for: its stored parts, or itself as one part. */
export function partsOf(note: unknown): MergedPart[] {
  const stored = storedParts(note)
  if (stored) return stored
  const value = note as NoteValue
  const by = value?.props?.textLastEditedBy
  return [
    {
      id: String(value?.id),
      text: noteTextOf(note),
      by: typeof by === 'string' && by.length > 0 && by.length <= MAX_AUTHOR_LENGTH ? by : null,
    },
  ]
}

/** Everyone who wrote a note's text, merged notes included, each once, in merge order. */
export function authorsOf(note: unknown): string[] {
  return [...new Set(partsOf(note).flatMap((part) => (part.by ? [part.by] : [])))]
}

/**
 * The kept note's new text and parts when `sources` are merged into `target`: its own text
 * first, then each source's, one paragraph each; parts in the same order, each original once.
 * Throws `MergeError` when the result could not be kept whole.
 */
export function mergeNotes(
  target: unknown,
  sources: readonly unknown[],
): { richText: ReturnType<typeof toRichText>; parts: MergedPart[] } {
  const notes = [target, ...sources]
  if (notes.some((note) => (note as NoteValue | null)?.type !== 'note'))
    throw new MergeError('notNotes', 'only notes can be merged')
  const parts: MergedPart[] = []
  const seen = new Set<string>()
  for (const note of notes) {
    for (const part of partsOf(note)) {
      if (seen.has(part.id)) continue
      seen.add(part.id)
      parts.push(part)
    }
  }
  if (parts.length > MAX_MERGED_PARTS)
    throw new MergeError('tooMany', `at most ${MAX_MERGED_PARTS} notes can become one`)
  const text = notes
    .map(noteTextOf)
    .filter((line) => line.length > 0)
    .join('\n')
  if (text.length > MAX_TEXT_LENGTH || parts.some((part) => part.text.length > MAX_TEXT_LENGTH))
    throw new MergeError('tooLong', `a merged note holds at most ${MAX_TEXT_LENGTH} characters`)
  return { richText: toRichText(text), parts }
}

export interface MergeContext {
  /** Records the same update deletes, as they were before it, by id. */
  deleted: ReadonlyMap<string, unknown>
  /** Whether a record exists once the update is applied. */
  existsAfter(id: string): boolean
  /** The board's votes before the update (only those not yet revealed matter). */
  sessions: readonly Pick<VoteSession, 'id' | 'itemIds' | 'status'>[]
}

/**
 * Whether notes may be merged into `keptId` while votes run: a note that is an item of a vote
 * not yet revealed merges only into another item of that vote, and only while it is open, so
 * its dots have somewhere to go and anyone whose dots come back can place them again. Null when
 * allowed, else the vote that stops it.
 */
export function voteStoppingMerge(
  keptId: string,
  absorbedIds: Iterable<string>,
  sessions: readonly Pick<VoteSession, 'id' | 'itemIds' | 'status'>[],
): string | null {
  const absorbed = [...absorbedIds]
  for (const session of sessions) {
    if (session.status === 'revealed') continue
    if (!absorbed.some((id) => session.itemIds.includes(id))) continue
    if (session.status !== 'open' || !session.itemIds.includes(keptId)) return session.id
  }
  return null
}

type Check = { ok: true } | { ok: false; message: string }
const OK: Check = { ok: true }
const no = (message: string): Check => ({ ok: false, message })

function samePart(a: MergedPart, b: MergedPart): boolean {
  return a.id === b.id && a.text === b.text && a.by === b.by
}

/**
 * The write review's rule for `meta.cgMerged` (one record write; `before`/`after` plain JSON):
 * - only a note carries it, and it validates (2–50 distinct parts, bounded text);
 * - once merged, a note keeps every part (no author or text dropped), unless the note a dropped
 *   part stands for is on the board again after the update (undoing a merge brings it back);
 * - a new note carries none (a copy or an undone deletion starts unmerged);
 * - a merge adds the kept note's own part first (as it was) and every part of each note it
 *   absorbs, each of which the same update deletes; the new text contains the old text of the
 *   kept note and of each absorbed note;
 * - a note of a vote not yet revealed merges only into another note of that vote, while it is
 *   open (`voteStoppingMerge`): its dots are carried, never stranded.
 * Editing a merged note's text afterwards is an ordinary edit.
 */
export function checkMergedNote(
  write: { key: string; before: unknown; after: unknown },
  context: MergeContext,
): Check {
  const { key, before, after } = write
  if (after === undefined) return OK
  const meta = (after as NoteValue | null)?.meta
  const hasParts = typeof meta === 'object' && meta !== null && Object.hasOwn(meta, MERGED_META_KEY)
  const beforeParts = before === undefined ? null : storedParts(before)
  if (!hasParts) {
    if (!beforeParts) return OK
    return beforeParts.every((part) => part.id === key || context.existsAfter(part.id))
      ? OK
      : no('a merged note keeps every author and text')
  }
  if ((after as NoteValue).type !== 'note') return no('only a note can be merged')
  // Merging changes a note on the board; a new note (a copy, an undone deletion) starts unmerged.
  if (before === undefined) return no('a new note carries no merged notes')
  let afterParts: MergedPart[]
  try {
    afterParts = mergedPartsValidator.validate((meta as Record<string, unknown>)[MERGED_META_KEY])
  } catch (error) {
    return no(`merged notes: ${(error as Error).message}`)
  }
  if (beforeParts && JSON.stringify(beforeParts) === JSON.stringify(afterParts)) return OK
  if (afterParts[0]?.id !== key) return no('a merged note lists itself first')
  // What it stood for before must all still be there (or back on the board).
  const kept = partsOf(before)
  for (const part of kept) {
    const still = afterParts.find((other) => other.id === part.id)
    if (still ? !samePart(still, part) : part.id === key || !context.existsAfter(part.id))
      return no('a merged note keeps every author and text')
  }
  // Every new part comes from a note this update deletes, with all that note stood for.
  const keptIds = new Set(kept.map((part) => part.id))
  // Which deleted note stands for each part (read once: an update may delete many records).
  let ownerOf: Map<string, string> | null = null
  const absorbed = new Set<string>()
  for (const part of afterParts) {
    if (keptIds.has(part.id) || part.id === key) continue
    if (!ownerOf) {
      ownerOf = new Map()
      for (const [id, value] of context.deleted)
        if (id !== key) for (const p of partsOf(value)) ownerOf.set(p.id, id)
    }
    const source = ownerOf.get(part.id)
    if (source === undefined) return no(`merged note ${part.id} is not one this change merges`)
    absorbed.add(source)
  }
  const text = noteTextOf(after)
  for (const id of absorbed) {
    const source = context.deleted.get(id)
    if ((source as NoteValue | null)?.type !== 'note') return no('only notes can be merged')
    for (const part of partsOf(source)) {
      const listed = afterParts.find((other) => other.id === part.id)
      if (!listed || !samePart(listed, part)) return no('a merge keeps every author and text')
    }
    if (!text.includes(noteTextOf(source))) return no('a merge keeps the text of every note')
  }
  if (!text.includes(noteTextOf(before))) return no('a merge keeps the text of every note')
  const vote = voteStoppingMerge(key, absorbed, context.sessions)
  if (vote !== null)
    return no(`vote "${vote}": a note of a running vote merges only into another of its notes`)
  return OK
}

/**
 * Which notes were merged into which: every part of a merged note on the board whose own note is
 * no longer on the board, mapped to the note that took it in.
 */
export function mergedInto(
  shapes: Iterable<unknown>,
  onBoard: (id: string) => boolean,
): Map<string, string> {
  const into = new Map<string, string>()
  for (const shape of shapes) {
    const parts = storedParts(shape)
    if (!parts) continue
    const target = String((shape as NoteValue).id)
    for (const part of parts) if (part.id !== target && !onBoard(part.id)) into.set(part.id, target)
  }
  return into
}

/**
 * The rule for dots on merged notes (docs/voting.md): each person's dots on a merged note move to
 * the note that took it in, when that note is in the vote, up to the vote's per-note cap; what
 * would pass the cap, and dots on a merged note whose kept note is not in the vote, go back to
 * the person (they are free to place again). Returns the new ballot, or null when nothing moves.
 * A ballot never gains dots in total, so it stays within the budget.
 */
export function carryDots(
  session: Pick<VoteSession, 'itemIds' | 'maxDotsPerItem'>,
  ballot: Ballot,
  into: ReadonlyMap<string, string>,
): Ballot | null {
  const items = new Set(session.itemIds)
  let dots: Record<string, number> | null = null
  for (const source of session.itemIds) {
    const placed = ballot.dots[source]
    const target = into.get(source)
    if (!placed || target === undefined) continue
    dots ??= { ...ballot.dots }
    delete dots[source]
    if (!items.has(target)) continue
    const total = Math.min(session.maxDotsPerItem, (dots[target] ?? 0) + placed)
    if (total > 0) dots[target] = total
  }
  if (!dots) return null
  return { ...ballot, dots }
}
