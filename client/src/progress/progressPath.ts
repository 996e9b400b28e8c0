/** The Progress view of a board (`/b/<id>/progress`); `mine` opens it on this person's steps. */
export function progressPath(boardId: string, options: { mine?: boolean } = {}): string {
  return `/b/${encodeURIComponent(boardId)}/progress${options.mine ? '?mine' : ''}`
}
