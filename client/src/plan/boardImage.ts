import type { Editor } from 'tldraw'

/** Thrown when the board has nothing on it to draw. */
export class EmptyBoardError extends Error {}

/**
 * The longest side of a board PNG, in pixels: about 250 dpi across A3 and 370 dpi across US
 * letter, so notes print sharp, while a whole retreat board stays under a megabyte or so and
 * is drawn in a second or two (at tldraw's default of 2 pixels per unit it was 12,814 px wide,
 * 4 MB, and took 10 s and more).
 */
export const MAX_IMAGE_SIDE = 4096
/** Pixels per page unit for small boards (a few cards): as sharp as tldraw's own default. */
const MAX_PIXEL_RATIO = 2
/** The margin around the board, in page units (tldraw's default export padding). */
const PADDING = 32

/** Pixels per page unit so that a board of `width` × `height` units fits `MAX_IMAGE_SIDE`. */
export function imagePixelRatio(width: number, height: number): number {
  const longest = Math.max(width, height)
  return longest > 0 ? Math.min(MAX_PIXEL_RATIO, MAX_IMAGE_SIDE / longest) : MAX_PIXEL_RATIO
}

/**
 * The whole current page as PNG or SVG, through tldraw's own export (fonts are ours and get
 * embedded; nothing is fetched from elsewhere). Always light, with its background: it is meant
 * for documents and slides. A PNG's longest side is at most `MAX_IMAGE_SIDE` pixels.
 */
export async function boardImage(editor: Editor, format: 'png' | 'svg'): Promise<Blob> {
  const ids = [...editor.getCurrentPageShapeIds()]
  const bounds = editor.getCurrentPageBounds()
  if (ids.length === 0 || !bounds) throw new EmptyBoardError('empty board')
  const { blob } = await editor.toImage(ids, {
    format,
    background: true,
    darkMode: false,
    ...(format === 'png'
      ? {
          // A fixed margin around known bounds: the size is known before drawing, and no pass
          // over every pixel is needed to trim the margin afterwards.
          bounds,
          padding: PADDING,
          pixelRatio: imagePixelRatio(bounds.w + 2 * PADDING, bounds.h + 2 * PADDING),
        }
      : {}),
  })
  return blob
}
