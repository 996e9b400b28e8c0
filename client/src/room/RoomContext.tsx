/**
 * Running the room on one open board: the facilitation map as signals, this person's
 * organization, their presence in the people list and the canvas guards. Set up once by the
 * board canvas; panels read it with `useRoom()`.
 */
import type { BoardRole } from '@common-ground/shared'
import { createContext, useContext, useEffect, useLayoutEffect, useMemo } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { Identity } from '../identity/identity.ts'
import type { BoardConnection } from '../sync/BoardConnection.ts'
import { type MyOrganization, myOrganization, publishPerson } from './personPresence.ts'
import { installRoomGuards, shapeVisibility } from './roomCanvas.ts'
import { createRoomState, type RoomState } from './roomState.ts'
import { landOnOpen } from './stages.ts'

export interface Room {
  state: RoomState
  organization: MyOrganization
}

export const RoomContext = createContext<Room | null>(null)

export function useRoom(): Room {
  const room = useContext(RoomContext)
  if (!room) throw new Error('useRoom must be used inside a board page')
  return room
}

export function useRoomSetup(options: {
  connection: BoardConnection | null
  editor: Editor | null
  boardId: string
  participantId: string
  identity: Identity
  role: BoardRole
}) {
  const { connection, editor, boardId, participantId, identity, role } = options
  // Signals exist from the first render, so <Tldraw> gets its visibility rule at mount.
  const room = useMemo<Room>(
    () => ({ state: createRoomState(), organization: myOrganization(boardId) }),
    [boardId],
  )
  // Before the first paint, so a person arriving mid-brainstorm never glimpses hidden notes.
  useLayoutEffect(
    () => (connection ? room.state.attach(connection.doc) : undefined),
    [connection, room],
  )

  useEffect(() => room.organization.listen(), [room])
  const organization = useValue('my organization', () => room.organization.value.get(), [room])
  useEffect(() => {
    if (!connection) return
    return publishPerson(connection.provider.awareness, {
      participantId,
      name: identity.name,
      color: identity.color,
      role,
      organization,
    })
  }, [connection, participantId, identity.name, identity.color, role, organization])

  useEffect(() => {
    if (!editor) return
    return installRoomGuards(editor, room.state, participantId)
  }, [editor, room, participantId])

  // Opening or reloading lands on the group's stage (or the whole template), once per editor.
  useEffect(() => {
    if (editor && connection) landOnOpen(editor, room.state.currentStage.get())
  }, [editor, connection, room])

  const getShapeVisibility = useMemo(
    () => shapeVisibility(room.state, participantId),
    [room, participantId],
  )
  return { room, getShapeVisibility }
}
