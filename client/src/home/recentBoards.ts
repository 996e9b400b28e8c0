/** Boards opened on this device, newest first, so a returning facilitator finds theirs. */
export interface RecentBoard {
  id: string
  title: string
  openedAt: number
}

const STORAGE_KEY = 'common-ground.recent-boards'
const MAX_RECENT = 12

export function loadRecentBoards(): RecentBoard[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (entry): entry is RecentBoard =>
        typeof entry?.id === 'string' &&
        typeof entry?.title === 'string' &&
        typeof entry?.openedAt === 'number',
    )
  } catch {
    return []
  }
}

export function rememberBoard(board: { id: string; title: string }): void {
  const rest = loadRecentBoards().filter((entry) => entry.id !== board.id)
  const next = [{ id: board.id, title: board.title, openedAt: Date.now() }, ...rest].slice(
    0,
    MAX_RECENT,
  )
  localStorage.setItem(STORAGE_KEY, JSON.stringify(next))
}

export function forgetRecentBoard(id: string): void {
  const rest = loadRecentBoards().filter((entry) => entry.id !== id)
  localStorage.setItem(STORAGE_KEY, JSON.stringify(rest))
}
