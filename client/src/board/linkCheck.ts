/**
 * Checking a board's link with the server, before anything is drawn (`useBoardLink`, and early,
 * `boardOpening.ts`): the key, the server's answer, or offline, what this browser knew.
 */
import type { BoardRole } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import {
  loadBoardKey,
  saveBoardKey,
  takeKeyFromAddress,
  updateBoardKey,
} from '../access/boardKeys.ts'
import { type BoardSummary, getBoard } from '../api.ts'
import { loadRecentBoards, rememberBoard } from '../home/recentBoards.ts'

export type BoardLink =
  | { kind: 'checking' }
  | { kind: 'error'; message: MessageKey; detail?: string }
  | { kind: 'ready'; board: BoardSummary; token: string | null; role: BoardRole }

/**
 * Checks the link of `boardId` with the server: the key (from the address, or this browser's),
 * remembered with the role the server gave it; offline, what this browser knew of the board.
 */
export async function checkBoardLink(boardId: string): Promise<BoardLink> {
  const token = takeKeyFromAddress(boardId) ?? loadBoardKey(boardId)?.token ?? null
  const result = await getBoard(boardId, token)
  if (result.ok) {
    const { role, links } = result.value
    rememberBoard(result.value)
    if (token) {
      const held = loadBoardKey(boardId)
      saveBoardKey(boardId, {
        token,
        role,
        ...(links ? { links } : held?.links ? { links: held.links } : {}),
      })
    }
    document.title = `${result.value.title} · Common Ground`
    return { kind: 'ready', board: result.value, token, role }
  }
  if (result.kind === 'not-found') return { kind: 'error', message: 'board.notFound' }
  if (result.kind === 'no-key') return { kind: 'error', message: 'board.needsKey' }
  if (result.kind === 'bad-key') {
    updateBoardKey(boardId, { role: null })
    return { kind: 'error', message: 'board.badKey' }
  }
  if (result.kind === 'network') {
    // The server is out of reach: a board opened here before opens from this browser's copy.
    const known = loadRecentBoards().find((entry) => entry.id === boardId)
    if (!known) return { kind: 'error', message: 'error.network' }
    return {
      kind: 'ready',
      board: { id: boardId, title: known.title, template: 'blank', createdAt: 0 },
      token,
      // Offline, the role last confirmed here; the server checks it again on reconnect.
      role: loadBoardKey(boardId)?.role ?? (token ? 'observer' : 'facilitator'),
    }
  }
  return {
    kind: 'error',
    message: 'error.server',
    detail: result.kind === 'server' ? String(result.status) : '',
  }
}
