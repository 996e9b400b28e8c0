/**
 * Themes: the facilitator (or anyone who may edit) gathers related notes under a title before a
 * vote. A theme is a tldraw frame marked `meta.cgTheme = true` whose children are its notes, so
 * it holds them, moves them with it and clips nothing tldraw would not; ungrouping puts the notes
 * back where the theme was and removes the frame. A vote may run over themes instead of notes
 * (its `itemIds` are then theme ids); a theme's text is its title.
 */
import { T } from '@tldraw/validate'
import { MAX_LINE_LENGTH } from '../board/text.ts'
import { plainTextOf } from '../plan/issue.ts'

export const THEME_META_KEY = 'cgTheme'
/** Room around the notes inside a theme, and above them for its title. */
export const THEME_PADDING = 24

export const themeTitleValidator = T.string.check((value) => {
  if (value.trim().length === 0) throw new T.ValidationError('Expected a theme title')
  if (value.length > MAX_LINE_LENGTH)
    throw new T.ValidationError(`Expected at most ${MAX_LINE_LENGTH} characters`)
})

/** A theme as the plan lists it (`PartnershipPlan.themes`); its notes name it as their cluster. */
export interface Theme {
  /** The theme frame's shape id. */
  id: string
  title: string
}

export const themeValidator: T.Validator<Theme> = T.object({ id: T.string, title: T.string })

/** The parts of a shape record the theme rules read (any tldraw shape fits). */
export interface ShapeLike {
  id: string
  type: string
  parentId: string
  x: number
  y: number
  props: object
  meta: Record<string, unknown>
}

export function isTheme(shape: unknown): boolean {
  if (typeof shape !== 'object' || shape === null) return false
  const { type, meta } = shape as { type?: unknown; meta?: unknown }
  return (
    type === 'frame' &&
    typeof meta === 'object' &&
    meta !== null &&
    (meta as Record<string, unknown>)[THEME_META_KEY] === true
  )
}

export function themeTitleOf(shape: unknown): string {
  const name = (shape as { props?: { name?: unknown } } | null)?.props?.name
  return typeof name === 'string' ? name : ''
}

/** What a vote list shows for one item: a note's text, a theme's title. */
export function itemTextOf(shape: unknown): string {
  if (isTheme(shape)) return themeTitleOf(shape)
  return plainTextOf((shape as { props?: { richText?: unknown } } | null)?.props?.richText)
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/**
 * The frame around notes (their boxes in the coordinates of the parent the theme will have):
 * the notes' bounding box with room around it.
 */
export function themeBoxAround(boxes: readonly Box[]): Box {
  if (boxes.length === 0) throw new Error('a theme needs at least one note')
  const minX = Math.min(...boxes.map((b) => b.x))
  const minY = Math.min(...boxes.map((b) => b.y))
  const maxX = Math.max(...boxes.map((b) => b.x + b.w))
  const maxY = Math.max(...boxes.map((b) => b.y + b.h))
  return {
    x: minX - THEME_PADDING,
    y: minY - THEME_PADDING,
    w: maxX - minX + 2 * THEME_PADDING,
    h: maxY - minY + 2 * THEME_PADDING,
  }
}

export type ThemeRefusal = 'invalid'

/**
 * The write review's rule for theme marks: `meta.cgTheme` is `true` on a frame and nothing else,
 * and a theme's title is 1–200 characters. (tldraw's own validators check the frame's props.)
 */
export function checkThemeRecord(after: unknown): { ok: true } | { ok: false; message: string } {
  if (typeof after !== 'object' || after === null) return { ok: true }
  const { typeName, meta } = after as { typeName?: unknown; meta?: unknown }
  if (typeName !== 'shape' || typeof meta !== 'object' || meta === null) return { ok: true }
  if (!Object.hasOwn(meta, THEME_META_KEY)) return { ok: true }
  if ((meta as Record<string, unknown>)[THEME_META_KEY] !== true)
    return { ok: false, message: `${THEME_META_KEY}: expected true` }
  if ((after as { type?: unknown }).type !== 'frame')
    return { ok: false, message: 'only a frame can be a theme' }
  try {
    themeTitleValidator.validate(themeTitleOf(after))
  } catch (error) {
    return { ok: false, message: `theme title: ${(error as Error).message}` }
  }
  return { ok: true }
}
