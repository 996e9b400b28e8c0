/**
 * Opening one board on this page: its connection and model (session/), the tldraw store loaded
 * from it and bound to it, and, once the canvas is mounted, the editor's ties to the board
 * (presence, the automation handle, the language, read-only). Everything is undone when the
 * board closes or the page leaves it.
 */
import type { BoardRole } from '@common-ground/shared/board'
import type { Locale } from '@common-ground/shared/i18n'
import { useEffect, useMemo, useState } from 'react'
import {
  atom,
  computed,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  type Editor,
  type TLStore,
  type TLUserStore,
  UserRecordType,
  useValue,
} from 'tldraw'
import { deviceSecret } from '../access/boardKeys.ts'
import type { Identity } from '../identity/identity.ts'
import { BoardModel } from '../session/BoardModel.ts'
import { cardShapeUtils } from '../shapes/index.ts'
import { BoardConnection, syncUrl } from '../sync/BoardConnection.ts'
import { bindPresence } from '../sync/presenceBinding.ts'
import { keepServerClock } from '../sync/serverClock.ts'
import { BoardSchemaError, bindStoreToBoard, loadBoardIntoStore } from '../sync/storeBinding.ts'
import { BOARD_LOADED_MARK, BOARD_SYNCED_MARK, exposeBoard, markOnce } from './automationHandle.ts'
import { takeEarlyConnection } from './boardOpening.ts'
import { zoomWhenEditing } from './editingZoom.ts'

export interface OpenBoard {
  model: BoardModel
  store: TLStore
}

export interface BoardToOpen {
  boardId: string
  title: string
  /** The key of the link this board was opened with; null on an open board. */
  token: string | null
  /** The role the server gave that key when the page loaded. */
  role: BoardRole
  identity: Identity
  /**
   * Whether this person has said who they are. Until then the board shows behind the join
   * dialog, and nothing of them (no cursor, no name, not even an empty presence) is published.
   */
  present: boolean
  locale: Locale
}

/** The board once it can be shown (null while loading), or why it cannot be. */
export function useOpenBoard(board: BoardToOpen): {
  open: OpenBoard | null
  failure: string | null
  users: TLUserStore
} {
  const [open, setOpen] = useState<OpenBoard | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const users = useTldrawUser(board.identity)

  // The model and the store live as long as this board is open here. (Identity and locale at
  // creation are only a start: effects keep them current without reopening the board.)
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const credentials = { token: board.token, participant: deviceSecret(), role: board.role }
    // Opened early, while this page's code loaded (boardOpening.ts), or now.
    const connection =
      takeEarlyConnection(board.boardId, credentials) ??
      new BoardConnection(board.boardId, syncUrl(window.location), credentials)
    // y-websocket announces an empty presence as soon as it connects: counted by others as one
    // more person here. Someone still choosing a name is not here yet (bindPresence publishes).
    if (!board.present) connection.provider.awareness.setLocalState(null)
    const model = new BoardModel(connection, {
      boardId: board.boardId,
      title: board.title,
      token: board.token,
      deviceSecret: deviceSecret(),
      identity: board.identity,
      locale: board.locale,
    })
    let cancelled = false
    let unbind = () => {}
    connection.ready.then(() => {
      if (cancelled) return
      markOnce(BOARD_SYNCED_MARK)
      const store = createTLStore({
        shapeUtils: [...defaultShapeUtils, ...cardShapeUtils],
        bindingUtils: defaultBindingUtils,
        users,
      })
      try {
        loadBoardIntoStore(store, connection.board)
      } catch (error) {
        setFailure(error instanceof BoardSchemaError ? error.message : String(error))
        return
      }
      markOnce(BOARD_LOADED_MARK)
      const detachPrivate = model.privateNotes.attach(store)
      // Read on every local change: a read-only viewer's changes stay on this screen.
      const unbindStore = bindStoreToBoard(
        store,
        connection.board,
        undefined,
        () => model.mayWrite.get(),
        model.privateNotes,
      )
      unbind = () => {
        unbindStore()
        detachPrivate()
      }
      setOpen({ model, store })
    })
    return () => {
      cancelled = true
      unbind()
      model.destroy()
      connection.destroy()
      setOpen(null)
    }
  }, [board.boardId, board.token, board.role, board.title, users])

  useEffect(() => open?.model.setIdentity(board.identity), [open, board.identity])
  useEffect(() => open?.model.setLocale(board.locale), [open, board.locale])
  // Shared countdowns run on the server's clock (see sync/serverClock.ts).
  useEffect(() => keepServerClock(), [])
  return { open, failure, users }
}

/** tldraw's current user (cursor name and colour), following this person's identity. */
function useTldrawUser(identity: Identity): TLUserStore {
  // One atom for the page's life; the identity at first render is only its start.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const $identity = useMemo(() => atom('identity', identity), [])
  useEffect(() => {
    $identity.set(identity)
  }, [$identity, identity])
  return useMemo<TLUserStore>(
    () => ({
      currentUser: computed('current user', () => {
        const me = $identity.get()
        return UserRecordType.create({ id: createUserId(me.id), name: me.name, color: me.color })
      }),
    }),
    [$identity],
  )
}

/**
 * Ties the mounted editor to the open board: presence (once `present`), the handle, language,
 * read-only, zooming in on what starts being edited on a phone.
 */
export function useEditorOnBoard(
  editor: Editor | null,
  open: OpenBoard | null,
  users: TLUserStore,
  locale: Locale,
  present: boolean,
): void {
  useEffect(() => {
    if (!editor || !open) return
    return exposeBoard(editor, open.model.connection)
  }, [editor, open])

  useEffect(() => {
    if (!editor || !open || !present) return
    return bindPresence(editor.store, open.model.connection.provider.awareness, users.currentUser)
  }, [editor, open, users, present])

  useEffect(() => (editor ? zoomWhenEditing(editor) : undefined), [editor])

  useEffect(() => {
    editor?.user.updateUserPreferences({ locale })
  }, [editor, locale])

  const readOnly = !useValue('may write', () => open?.model.mayWrite.get() ?? false, [open])
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: readOnly })
  }, [editor, readOnly])
}
