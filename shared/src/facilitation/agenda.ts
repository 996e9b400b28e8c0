/**
 * The agenda: which stage the group is on (`stage`), and "bring everyone here" (`gather`), both
 * facilitator-only keys of the facilitation map. Stages are the template's frames
 * (`shape:stage-<id>`, `meta.cgStage`); the agenda runs through those on the board, in template
 * order.
 */
import { T } from '@tldraw/validate'
import { isStageId, STAGE_IDS, type StageId } from '../plan/template.ts'

/** Facilitator-only key: the id of the stage the group is on. */
export const STAGE = 'stage'
/** Facilitator-only key: the view every client moves to when `serial` changes. */
export const GATHER = 'gather'

export const stageValidator: T.Validator<StageId> = T.literalEnum(...STAGE_IDS)

/** A rectangle in page coordinates. */
export interface PageBounds {
  x: number
  y: number
  w: number
  h: number
}

export interface Gather {
  /** Grows with each "bring everyone here"; a client moves when it sees a new one. */
  serial: number
  /** What the facilitator was looking at, in page coordinates. */
  bounds: PageBounds
  /** The tldraw page it is on. */
  pageId: string
}

/** Far beyond any board, small enough that the numbers stay exact. */
const MAX_COORDINATE = 1e7

const coordinate = T.number.check((value) => {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_COORDINATE)
    throw new T.ValidationError('Expected a coordinate on the page')
})
const extent = T.number.check((value) => {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_COORDINATE)
    throw new T.ValidationError('Expected a positive size')
})

export const gatherValidator: T.Validator<Gather> = T.object({
  serial: T.integer.check((value) => {
    if (value < 1 || value > Number.MAX_SAFE_INTEGER)
      throw new T.ValidationError('Expected a number from 1')
  }),
  bounds: T.object({ x: coordinate, y: coordinate, w: extent, h: extent }),
  pageId: T.string.check((value) => {
    if (!/^page:[A-Za-z0-9_-]{1,64}$/.test(value)) throw new T.ValidationError('Expected a page id')
  }),
})

export function readStage(value: unknown): StageId | null {
  return isStageId(value) ? value : null
}

export function readGather(value: unknown): Gather | null {
  try {
    return gatherValidator.validate(value)
  } catch {
    return null
  }
}

/** The next "bring everyone here". */
export function nextGather(current: Gather | null, bounds: PageBounds, pageId: string): Gather {
  const { x, y, w, h } = bounds
  return { serial: (current?.serial ?? 0) + 1, bounds: { x, y, w, h }, pageId }
}

/** The stages present on a board (from its frames' `meta.cgStage`), in agenda order. */
export function agendaStages(stageMetas: Iterable<unknown>): StageId[] {
  const present = new Set<unknown>(stageMetas)
  return STAGE_IDS.filter((id) => present.has(id))
}

/**
 * The stage one step before (-1) or after (+1) `current` in `agenda`; null at either end. With no
 * current stage (or one no longer on the board), the first step forward is the first stage.
 */
export function stepStage(
  agenda: readonly StageId[],
  current: StageId | null,
  step: 1 | -1,
): StageId | null {
  const at = current === null ? -1 : agenda.indexOf(current)
  if (at === -1) return step === 1 ? (agenda[0] ?? null) : null
  return agenda[at + step] ?? null
}
