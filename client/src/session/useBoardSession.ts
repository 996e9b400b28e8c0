/**
 * A board's connection and model without a canvas (the Progress view): the same `BoardConnection`
 * (Y.Doc, this browser's IndexedDB copy, the sync socket) and `BoardModel` (role, plan, commands)
 * as the board page, and no tldraw store. It publishes no presence: following the plan is not
 * being in the room, so nobody's people list counts this page.
 */
import type { BoardRole } from '@common-ground/shared/board'
import type { Locale } from '@common-ground/shared/i18n'
import { useEffect, useState } from 'react'
import { deviceSecret } from '../access/boardKeys.ts'
import type { Identity } from '../identity/identity.ts'
import { BoardConnection, syncUrl } from '../sync/BoardConnection.ts'
import { keepServerClock } from '../sync/serverClock.ts'
import { BoardModel } from './BoardModel.ts'

export interface SessionToOpen {
  boardId: string
  title: string
  token: string | null
  role: BoardRole
  identity: Identity
  locale: Locale
}

/** The board's model once it can be shown (synced, or this browser's copy offline), else null. */
export function useBoardSession(board: SessionToOpen): BoardModel | null {
  const [model, setModel] = useState<BoardModel | null>(null)

  // Identity and locale at creation are only a start: the effects below keep them current.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const connection = new BoardConnection(board.boardId, syncUrl(window.location), {
      token: board.token,
      participant: deviceSecret(),
      role: board.role,
    })
    connection.provider.awareness.setLocalState(null)
    const opened = new BoardModel(connection, {
      boardId: board.boardId,
      title: board.title,
      token: board.token,
      deviceSecret: deviceSecret(),
      identity: board.identity,
      locale: board.locale,
    })
    let cancelled = false
    connection.ready.then(() => {
      if (!cancelled) setModel(opened)
    })
    return () => {
      cancelled = true
      opened.destroy()
      connection.destroy()
      setModel(null)
    }
  }, [board.boardId, board.token, board.role, board.title])

  useEffect(() => model?.setIdentity(board.identity), [model, board.identity])
  useEffect(() => model?.setLocale(board.locale), [model, board.locale])
  // Updates are stamped with the server's time (the server refuses one far from its clock).
  useEffect(() => keepServerClock(), [])
  return model
}
