import {
  type BoardRole,
  canEdit,
  isBoardClosed,
  mayChangeBoard,
  participantIdFor,
} from '@common-ground/shared'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useState } from 'react'
import {
  atom,
  computed,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  type Editor,
  type TLComponents,
  type TLStore,
  type TLUserStore,
  Tldraw,
  UserRecordType,
  useValue,
} from 'tldraw'
import { ChangeAnnouncer } from '../a11y/ChangeAnnouncer.tsx'
import { deviceSecret } from '../access/boardKeys.ts'
import { WriteRefusedAlert } from '../access/WriteRefusedAlert.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { Identity } from '../identity/identity.ts'
import { ActionCards } from '../plan/ActionCards.tsx'
import { PlanPanel } from '../plan/PlanPanel.tsx'
import { BrainstormNotice } from '../room/BrainstormNotice.tsx'
import { PeoplePanel } from '../room/PeoplePanel.tsx'
import { RoomContext, useRoomSetup } from '../room/RoomContext.tsx'
import { RoomStrip } from '../room/RoomStrip.tsx'
import { StageHighlight } from '../room/StageHighlight.tsx'
import { keepServerClock } from '../room/serverClock.ts'
import { cardShapeUtils } from '../shapes/index.ts'
import { BoardConnection, syncUrl } from '../sync/BoardConnection.ts'
import { bindPresence } from '../sync/presenceBinding.ts'
import { BoardSchemaError, bindStoreToBoard, loadBoardIntoStore } from '../sync/storeBinding.ts'
import { VoteOverlay } from '../vote/VoteOverlay.tsx'
import { VotePanel } from '../vote/VotePanel.tsx'
import { AddPanel } from './AddPanel.tsx'
import { exposeBoard } from './automationHandle.ts'
import { BoardBar } from './BoardBar.tsx'
import { BoardSessionContext } from './BoardSessionContext.tsx'

// Fonts, icons and translations are bundled and served by our own server: venues are offline.
const assetUrls = getAssetUrlsByImport()
const components: TLComponents = {
  SharePanel: BoardBar,
  TopPanel,
  InFrontOfTheCanvas: VoteOverlay,
  OnTheCanvas: StageHighlight,
}

/** tldraw's top-centre slot: adding things, then running the room (agenda, timer, follow). */
function TopPanel() {
  return (
    <div className="cg-top-panel">
      <AddPanel />
      <RoomStrip />
    </div>
  )
}
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY || undefined

interface Live {
  connection: BoardConnection
  store: TLStore
}

export function BoardCanvas(props: {
  boardId: string
  title: string
  /** The key of the link this board was opened with; null on an open board. */
  token: string | null
  /** The role the server gave that key when the page loaded. */
  role: BoardRole
  identity: Identity
  requestRename(): void
}) {
  const { t, locale } = useI18n()
  const [live, setLive] = useState<Live | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [planOpen, setPlanOpen] = useState(false)
  const [voteOpen, setVoteOpen] = useState(false)
  const [peopleOpen, setPeopleOpen] = useState(false)
  // One side panel at a time: opening one closes the other.
  const togglePlan = useCallback(() => {
    setVoteOpen(false)
    setPeopleOpen(false)
    setPlanOpen((open) => !open)
  }, [])
  const toggleVote = useCallback(() => {
    setPlanOpen(false)
    setPeopleOpen(false)
    setVoteOpen((open) => !open)
  }, [])

  const $identity = useMemo(() => atom('identity', props.identity), [props.identity])
  useEffect(() => {
    $identity.set(props.identity)
  }, [$identity, props.identity])
  const users = useMemo<TLUserStore>(
    () => ({
      currentUser: computed('current user', () => {
        const me = $identity.get()
        return UserRecordType.create({ id: createUserId(me.id), name: me.name, color: me.color })
      }),
    }),
    [$identity],
  )

  // Read by the store binding on every local change: read-only viewers keep theirs local.
  const mayWrite = useMemo(() => atom('may write', canEdit(props.role)), [props.role])

  useEffect(() => {
    const connection = new BoardConnection(props.boardId, syncUrl(window.location), {
      token: props.token,
      participant: deviceSecret(),
      role: props.role,
    })
    let cancelled = false
    let unbind = () => {}
    connection.ready.then(() => {
      if (cancelled) return
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
      mayWrite.set(mayChangeBoard(connection.role.get(), isBoardClosed(connection.doc)))
      unbind = bindStoreToBoard(store, connection.board, undefined, () => mayWrite.get())
      setLive({ connection, store })
    })
    return () => {
      cancelled = true
      unbind()
      connection.destroy()
      setLive(null)
    }
  }, [props.boardId, props.token, props.role, users, mayWrite])

  useEffect(() => {
    if (!editor || !live) return
    const unbindPresence = bindPresence(
      editor.store,
      live.connection.provider.awareness,
      users.currentUser,
    )
    const unexpose = exposeBoard(editor, live.connection)
    return () => {
      unbindPresence()
      unexpose()
    }
  }, [editor, live, users])

  useEffect(() => {
    editor?.user.updateUserPreferences({ locale })
  }, [editor, locale])

  // Shared countdowns run on the server's clock (see room/serverClock.ts).
  useEffect(() => keepServerClock(), [])

  const role = useValue('role', () => live?.connection.role.get() ?? props.role, [live, props.role])
  const closed = useBoardClosed(live?.connection ?? null)
  const readOnly = !mayChangeBoard(role, closed)
  useEffect(() => {
    mayWrite.set(!readOnly)
    editor?.updateInstanceState({ isReadonly: readOnly })
  }, [editor, readOnly, mayWrite])
  const participantId = useMemo(
    () => participantIdFor(deviceSecret(), props.boardId),
    [props.boardId],
  )
  const togglePeople = useCallback(() => {
    setPlanOpen(false)
    setVoteOpen(false)
    setPeopleOpen((open) => !open)
  }, [])
  // People list, private brainstorm and stage locks (running the room).
  const { room, getShapeVisibility } = useRoomSetup({
    connection: live?.connection ?? null,
    editor,
    boardId: props.boardId,
    participantId,
    identity: props.identity,
    role,
  })

  const session = useMemo(
    () =>
      live && {
        boardId: props.boardId,
        title: props.title,
        connection: live.connection,
        identity: props.identity,
        token: props.token,
        role,
        participantId,
        closed,
        readOnly,
        requestRename: props.requestRename,
        planOpen,
        togglePlan,
        voteOpen,
        toggleVote,
        peopleOpen,
        togglePeople,
        editor,
      },
    [
      live,
      props.boardId,
      props.title,
      props.identity,
      props.token,
      role,
      participantId,
      closed,
      readOnly,
      props.requestRename,
      planOpen,
      togglePlan,
      voteOpen,
      toggleVote,
      peopleOpen,
      togglePeople,
      editor,
    ],
  )

  if (failure) {
    return (
      <main className="cg-page">
        <p role="alert" className="cg-error">
          {failure}
        </p>
      </main>
    )
  }
  if (!live || !session) {
    return (
      <main className="cg-page cg-loading" aria-busy="true">
        <p role="status">{t('board.loading')}</p>
      </main>
    )
  }
  return (
    <BoardSessionContext.Provider value={session}>
      <RoomContext.Provider value={room}>
        <div className="cg-canvas" data-plan-open={planOpen || voteOpen || peopleOpen}>
          <Tldraw
            store={live.store}
            shapeUtils={cardShapeUtils}
            assetUrls={assetUrls}
            components={components}
            licenseKey={licenseKey}
            // Follow the device's light/dark setting until the person picks one in tldraw's menu.
            colorScheme="system"
            getShapeVisibility={getShapeVisibility}
            onMount={(mounted) => {
              setEditor(mounted)
              mounted.user.updateUserPreferences({ locale })
              return () => setEditor(null)
            }}
          />
        </div>
        {planOpen && <PlanPanel />}
        {voteOpen && <VotePanel />}
        {peopleOpen && <PeoplePanel />}
        <BrainstormNotice />
        <WriteRefusedAlert />
        <ChangeAnnouncer />
        <ActionCards />
      </RoomContext.Provider>
    </BoardSessionContext.Provider>
  )
}

/** Whether a facilitator has closed the board to edits (the `meta` flag, live). */
function useBoardClosed(connection: BoardConnection | null): boolean {
  const [closed, setClosed] = useState(false)
  useEffect(() => {
    if (!connection) return
    const meta = connection.board.meta
    const read = () => setClosed(isBoardClosed(connection.doc))
    read()
    meta.observe(read)
    return () => meta.unobserve(read)
  }, [connection])
  return closed
}
