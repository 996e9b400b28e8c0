/**
 * The keys this browser holds: for each board, the secret of the link it was opened with (and,
 * for facilitators, all its links, the calendar's too), plus one device secret that the participant id of every
 * board derives from. Links carry the key in the fragment (`/b/<id>#key=…`); the page moves it
 * here at once and out of the address bar, which may be on a projector.
 */
import {
  type BoardRole,
  isBoardRole,
  isLinkToken,
  type LinkKind,
  newParticipantSecret,
  PARTICIPANT_SECRET_PATTERN,
} from '@common-ground/shared/board'

/**
 * A board's links as a facilitator's browser holds them: the three, and the calendar link once
 * the server has given one (links held from before calendar links have none until the board is
 * opened again).
 */
export type HeldLinks = Record<LinkKind, string> & { calendar?: string }

export interface BoardKey {
  token: string
  /** The role the server last said this key has; null until it has said. */
  role: BoardRole | null
  /** The links, when this browser facilitates the board. */
  links?: HeldLinks
}

const KEYS_STORAGE = 'common-ground.board-keys'
const DEVICE_SECRET_STORAGE = 'common-ground.device-secret'

function readAll(): Record<string, BoardKey> {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEYS_STORAGE) ?? '{}') as unknown
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, BoardKey>) : {}
  } catch {
    return {}
  }
}

export function loadBoardKey(boardId: string): BoardKey | null {
  const key = readAll()[boardId]
  if (!key || !isLinkToken(key.token)) return null
  return { ...key, role: isBoardRole(key.role) ? key.role : null }
}

export function saveBoardKey(boardId: string, key: BoardKey): void {
  localStorage.setItem(KEYS_STORAGE, JSON.stringify({ ...readAll(), [boardId]: key }))
}

export function updateBoardKey(boardId: string, patch: Partial<BoardKey>): void {
  const current = loadBoardKey(boardId)
  if (current) saveBoardKey(boardId, { ...current, ...patch })
}

export function forgetBoardKey(boardId: string): void {
  const all = readAll()
  delete all[boardId]
  localStorage.setItem(KEYS_STORAGE, JSON.stringify(all))
}

/**
 * Takes a `#key=` off the address, keeps it for the board and returns it. A new key replaces
 * the one held before: the last link opened here is the one that counts.
 */
export function takeKeyFromAddress(boardId: string): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('key')
  if (token === null) return null
  history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}`)
  if (!isLinkToken(token)) return null
  const held = loadBoardKey(boardId)
  if (held?.token !== token) saveBoardKey(boardId, { token, role: null })
  return token
}

/** The link that opens `boardId` with `token`, as people share it. */
export function linkFor(boardId: string, token: string): string {
  return `${window.location.origin}/b/${encodeURIComponent(boardId)}#key=${token}`
}

/** This browser's secret (never shown, never in the doc); made once. */
export function deviceSecret(): string {
  const held = localStorage.getItem(DEVICE_SECRET_STORAGE)
  if (held && PARTICIPANT_SECRET_PATTERN.test(held)) return held
  const secret = newParticipantSecret()
  localStorage.setItem(DEVICE_SECRET_STORAGE, secret)
  return secret
}
