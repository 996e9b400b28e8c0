/**
 * Running the room on the canvas of one open board: this person in the people list (presence),
 * the guards that keep locked stages still and a hidden round's new notes private, and landing
 * on the group's stage when the board opens.
 */
import { useEffect } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { BoardModel } from '../session/BoardModel.ts'
import { publishPerson } from './personPresence.ts'
import { installRoomGuards } from './roomCanvas.ts'
import { landAndStayFitted } from './stages.ts'

/** `present`: this person has a name; only then are they in the people list. */
export function useRoomCanvas(
  model: BoardModel | null,
  editor: Editor | null,
  present: boolean,
): void {
  const identity = useValue('identity', () => model?.identity.get() ?? null, [model])
  const role = useValue('role', () => model?.role.get() ?? null, [model])
  const organization = useValue('my organization', () => model?.organization.get() ?? null, [model])
  useEffect(() => {
    if (!model || !identity || !role || !present) return
    return publishPerson(model.connection.provider.awareness, {
      personId: model.personId,
      name: identity.name,
      color: identity.color,
      role,
      organization,
    })
  }, [model, identity, role, organization, present])

  useEffect(() => {
    if (!editor || !model) return
    return installRoomGuards(editor, model.facilitation, model.privateNotes)
  }, [editor, model])

  // Opening or reloading lands on the group's stage (or the whole template), once per editor,
  // kept fitted as the canvas settles its size until the camera moves.
  useEffect(() => {
    if (editor && model) return landAndStayFitted(editor, model.facilitation.currentStage.get())
  }, [editor, model])
}
