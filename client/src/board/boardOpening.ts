/**
 * Opening a board starts before its page's code has arrived. The board page brings tldraw, a
 * 1.7 MB chunk to fetch and compile; meanwhile the link is checked and the connection opened, so
 * the first sync (the whole board, and applying it to the Y.Doc) happens alongside instead of
 * after it. The page's entry starts this (main.tsx); the board page then takes the check
 * (`useBoardLink`) and the connection (`useOpenBoard`) instead of starting its own.
 */
import { isBoardId } from '@common-ground/shared/board'
import { deviceSecret } from '../access/boardKeys.ts'
import { loadIdentity } from '../identity/identity.ts'
import { BoardConnection, type ConnectionCredentials, syncUrl } from '../sync/BoardConnection.ts'
import { type BoardLink, checkBoardLink } from './linkCheck.ts'

interface Opening {
  boardId: string
  /** The link check, until the page takes it. */
  check: Promise<BoardLink> | null
  /** Its answer, once there. */
  checked: BoardLink | null
  /** The connection opened once the link was good, until the page takes it. */
  connection: BoardConnection | null
  credentials: ConnectionCredentials | null
}

let opening: Opening | null = null

/** Checks the link of `boardId` and, if it is good, opens its connection; once per page. */
export function startOpeningBoard(boardId: string): void {
  if (opening || !isBoardId(boardId)) return
  const started: Opening = {
    boardId,
    check: null,
    checked: null,
    connection: null,
    credentials: null,
  }
  opening = started
  started.check = checkBoardLink(boardId).then((link) => {
    started.checked = link
    if (link.kind === 'ready') {
      const credentials = { token: link.token, participant: deviceSecret(), role: link.role }
      started.credentials = credentials
      started.connection = new BoardConnection(boardId, syncUrl(window.location), credentials)
      // Someone still choosing a name is not here yet: no presence, not even an empty one
      // (y-websocket announces one as soon as it connects; see useOpenBoard).
      if (!loadIdentity()) started.connection.provider.awareness.setLocalState(null)
    }
    return link
  })
}

/** The early check of `boardId`'s link, for the page to wait on; only once. */
export function takeEarlyCheck(boardId: string): Promise<BoardLink> | null {
  if (opening?.boardId !== boardId) return null
  const { check } = opening
  opening.check = null
  return check
}

/** The early check's answer, if it is already there (the page then starts with it). */
export function checkedEarly(boardId: string): BoardLink | null {
  return opening?.boardId === boardId && opening.check ? opening.checked : null
}

/**
 * The connection opened early for `boardId` with these credentials, now the caller's to destroy;
 * null if there is none (then the caller opens one). One opened with other credentials is closed.
 */
export function takeEarlyConnection(
  boardId: string,
  credentials: ConnectionCredentials,
): BoardConnection | null {
  if (opening?.boardId !== boardId || !opening.connection) return null
  const { connection, credentials: opened } = opening
  opening.connection = null
  const same =
    opened?.token === credentials.token &&
    opened.participant === credentials.participant &&
    opened.role === credentials.role
  if (same) return connection
  connection.destroy()
  return null
}
