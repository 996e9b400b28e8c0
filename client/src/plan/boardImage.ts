import type { Editor } from 'tldraw'

/** Thrown when the board has nothing on it to draw. */
export class EmptyBoardError extends Error {}

/**
 * The whole current page as PNG or SVG, through tldraw's own export (fonts are ours and get
 * embedded; nothing is fetched from elsewhere). Always light, with its background: it is meant
 * for documents and slides.
 */
export async function boardImage(editor: Editor, format: 'png' | 'svg'): Promise<Blob> {
  const ids = [...editor.getCurrentPageShapeIds()]
  if (ids.length === 0) throw new EmptyBoardError('empty board')
  const { blob } = await editor.toImage(ids, {
    format,
    background: true,
    darkMode: false,
    ...(format === 'png' ? { pixelRatio: 2 } : {}),
  })
  return blob
}
