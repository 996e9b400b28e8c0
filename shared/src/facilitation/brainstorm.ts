/**
 * Private brainstorm: while a facilitator keeps it hidden, each person sees only the notes they
 * wrote in the chosen stage (or on the whole board), so nobody anchors on the first idea; the
 * reveal shows everyone's. Who wrote a note is stamped in its `meta.cgAuthor` by the writer's
 * client, and the server refuses a note stamped with someone else's participant id.
 *
 * The hiding happens in each browser (see docs/running-the-room.md for what that means): the
 * board is one shared document, so hidden notes still travel to every copy of it.
 */
import { T } from '@tldraw/validate'
import { PARTICIPANT_ID_PATTERN } from '../board/access.ts'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import { isStageId } from '../plan/template.ts'

/** Facilitator-only key of the facilitation map. */
export const BRAINSTORM = 'brainstorm'

/** `meta` key of a shape: the participant id of whoever created it. */
export const AUTHOR_META_KEY = 'cgAuthor'

/** `Brainstorm.stage` when the whole board is private, not one stage. */
export const WHOLE_BOARD = ''

export interface Brainstorm {
  /** Others' notes are hidden until the facilitator reveals them. */
  hidden: boolean
  /** The stage whose notes are private (a `StageId`), or `WHOLE_BOARD`. */
  stage: string
  /** Counts the private rounds on this board: a new round is a new number, so clients can tell
   * "hidden again" from "still hidden" (announcements, a participant arriving mid-round). */
  serial: number
}

export const brainstormValidator: T.Validator<Brainstorm> = T.object({
  hidden: T.boolean,
  stage: T.string.check((value) => {
    if (value !== WHOLE_BOARD && !isStageId(value))
      throw new T.ValidationError('Expected a stage id, or "" for the whole board')
  }),
  serial: T.integer.check((value) => {
    if (value < 1 || value > Number.MAX_SAFE_INTEGER)
      throw new T.ValidationError('Expected a round number from 1')
  }),
})

/** The brainstorm state of a facilitation map value; null when none or malformed. */
export function readBrainstorm(value: unknown): Brainstorm | null {
  try {
    return brainstormValidator.validate(value)
  } catch {
    return null
  }
}

/** The next state when a facilitator hides the notes of `stage` (a new round). */
export function hideNotes(current: Brainstorm | null, stage: string): Brainstorm {
  return { hidden: true, stage, serial: (current?.serial ?? 0) + 1 }
}

/** The next state when a facilitator reveals (the round keeps its number). */
export function revealNotes(current: Brainstorm): Brainstorm {
  return { ...current, hidden: false }
}

/** Who wrote a shape, from its `meta`; null when unknown (older notes, seeded ones). */
export function authorOf(shape: { meta?: unknown }): string | null {
  const meta = shape.meta
  if (typeof meta !== 'object' || meta === null) return null
  const author = (meta as Record<string, unknown>)[AUTHOR_META_KEY]
  return typeof author === 'string' ? author : null
}

/**
 * Whether `viewer` must not see a shape now. Only notes are private; `inStage` says whether the
 * note lies in the brainstorm's stage frame (the caller knows the canvas). A note of unknown
 * author is someone else's.
 */
export function isHiddenFrom(
  shape: { type: string; meta?: unknown },
  viewer: string | null,
  brainstorm: Brainstorm | null,
  inStage: boolean,
): boolean {
  if (!brainstorm?.hidden || shape.type !== 'note') return false
  if (brainstorm.stage !== WHOLE_BOARD && !inStage) return false
  return viewer === null || authorOf(shape) !== viewer
}

/**
 * The server's rule on authorship (shapes only): a new shape may carry only its writer's own
 * participant id, and an existing shape's author never changes.
 */
export function checkAuthor(
  write: { before: unknown; after: unknown },
  writerId: string | null,
): RuleResult<'not-yours' | 'invalid'> {
  const { before, after } = write
  if (!isShape(after)) return ALLOWED
  const raw = (after.meta as Record<string, unknown> | undefined)?.[AUTHOR_META_KEY]
  if (raw === undefined) {
    return isShape(before) && authorOf(before) !== null
      ? refuse('not-yours', `${AUTHOR_META_KEY} of a shape cannot be removed`)
      : ALLOWED
  }
  if (typeof raw !== 'string' || !PARTICIPANT_ID_PATTERN.test(raw)) {
    return refuse('invalid', `${AUTHOR_META_KEY} must be a participant id`)
  }
  if (isShape(before) && before.id === after.id) {
    return authorOf(before) === raw
      ? ALLOWED
      : refuse('not-yours', `${AUTHOR_META_KEY} of a shape cannot change`)
  }
  // A connection without a device secret has no participant id, so it cannot author notes.
  if (raw !== writerId) {
    return refuse('not-yours', 'a new note may carry only its writer as author')
  }
  return ALLOWED
}

function isShape(value: unknown): value is { id: string; typeName: 'shape'; meta?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { typeName?: unknown }).typeName === 'shape'
  )
}
