/**
 * Private brainstorm: while a facilitator keeps a round hidden, each person's new notes in the
 * chosen stage (or anywhere on the board) reach nobody else, so nobody anchors on the first
 * idea; the reveal puts everyone's on the board at once. The notes themselves are kept by the
 * server until then, never in the shared document (see privateNotes.ts); this module is the
 * round's state in the facilitation map and which notes belong to it.
 */
import { T } from '@tldraw/validate'
import { ALLOWED, type RuleResult, refuse } from '../board/rules.ts'
import { isStageId, STAGE_META_KEY, type StageId, stageFrameId } from '../plan/template.ts'

/** Facilitator-only key of the facilitation map. */
export const BRAINSTORM = 'brainstorm'

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

/** The parts of a tldraw shape record the round's scope is judged by. */
export interface PlacedShape {
  id: string
  type: string
  parentId: string
  x: number
  y: number
  props?: unknown
  meta?: unknown
}

/** A note's default side in tldraw (before `props.scale` and `props.growY`). */
const NOTE_SIDE = 200

/**
 * Whether a note lies in the round's scope: anywhere on a whole-board round, otherwise inside
 * the stage's frame, as its descendant (dropped in) or, on the page, with its centre inside the
 * frame (the frame and the note both page-level, as the template draws them). `shapeOf` reads
 * the board (the client's store, the server's document).
 */
export function isInRound(
  note: PlacedShape,
  brainstorm: Brainstorm,
  shapeOf: (id: string) => PlacedShape | undefined,
): boolean {
  if (brainstorm.stage === WHOLE_BOARD) return true
  const frameId = stageFrameId(brainstorm.stage as StageId)
  const seen = new Set<string>()
  for (let parent = shapeOf(note.parentId); parent && !seen.has(parent.id); ) {
    if (parent.id === frameId || metaOf(parent)[STAGE_META_KEY] === brainstorm.stage) return true
    seen.add(parent.id)
    parent = shapeOf(parent.parentId)
  }
  const frame = shapeOf(frameId)
  if (!frame || note.parentId !== frame.parentId) return false
  const { w, h } = sizeOf(frame.props)
  const scale = numberOr(propOf(note.props, 'scale'), 1)
  const centreX = note.x + (NOTE_SIDE * scale) / 2
  const centreY = note.y + ((NOTE_SIDE + numberOr(propOf(note.props, 'growY'), 0)) * scale) / 2
  return (
    centreX >= frame.x && centreX <= frame.x + w && centreY >= frame.y && centreY <= frame.y + h
  )
}

/**
 * `meta` key that boards from before the server kept private notes stamped on every note: its
 * writer's participant id. Nothing writes it now (it tied a note to the person in presence);
 * the server takes it off old boards when they load and refuses it in any write.
 */
export const LEGACY_AUTHOR_META_KEY = 'cgAuthor'

/** The legacy author stamp of a shape, if it has one (see LEGACY_AUTHOR_META_KEY). */
export function legacyAuthorOf(shape: object): string | null {
  const author = metaOf(shape)[LEGACY_AUTHOR_META_KEY]
  return typeof author === 'string' ? author : null
}

/** The shape without its legacy author stamp (the same shape when it has none). */
export function withoutAuthorStamp<S extends object>(shape: S): S {
  if (legacyAuthorOf(shape) === null) return shape
  const { [LEGACY_AUTHOR_META_KEY]: _stamp, ...meta } = metaOf(shape)
  return { ...shape, meta }
}

/** The server's rule: no write puts an author stamp on a shape (see LEGACY_AUTHOR_META_KEY). */
export function checkNoAuthorStamp(write: { after: unknown }): RuleResult<'invalid'> {
  const { after } = write
  if (typeof after !== 'object' || after === null) return ALLOWED
  if ((after as { typeName?: unknown }).typeName !== 'shape') return ALLOWED
  return LEGACY_AUTHOR_META_KEY in metaOf(after)
    ? refuse('invalid', `${LEGACY_AUTHOR_META_KEY}: notes do not carry their writer`)
    : ALLOWED
}

function metaOf(shape: object): Record<string, unknown> {
  const { meta } = shape as { meta?: unknown }
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {}
}

function propOf(props: unknown, key: string): unknown {
  return typeof props === 'object' && props !== null
    ? (props as Record<string, unknown>)[key]
    : undefined
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function sizeOf(props: unknown): { w: number; h: number } {
  return { w: numberOr(propOf(props, 'w'), 0), h: numberOr(propOf(props, 'h'), 0) }
}
