import {
  atom,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  InstancePresenceRecordType,
  type TLInstancePresence,
  type TLUser,
  UserRecordType,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { bindPresence } from './presenceBinding.ts'

const newStore = () =>
  createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })

/** Relays every awareness change of `from` to `to`, as the server would. */
function relay(from: Awareness, to: Awareness) {
  from.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
    const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])]
    applyAwarenessUpdate(to, encodeAwarenessUpdate(from, changed), 'relay')
  })
}

function presenceOf(clientId: number, name: string): TLInstancePresence {
  return InstancePresenceRecordType.create({
    id: InstancePresenceRecordType.createId(String(clientId)),
    userId: createUserId(`user-${clientId}`),
    userName: name,
    color: '#1c7ed6',
    currentPageId: 'page:page' as TLInstancePresence['currentPageId'],
    cursor: { x: 10, y: 20, type: 'default', rotation: 0 },
  })
}

/** A store bound to this person's awareness, and a peer whose awareness is relayed to it. */
function boundToPeer($user = atom<TLUser | null>('nobody', null)) {
  const mine = new Awareness(new Y.Doc())
  const theirs = new Awareness(new Y.Doc())
  relay(theirs, mine)
  const store = newStore()
  const unbind = bindPresence(store, mine, $user)
  return { theirs, store, unbind }
}

describe('presence over awareness', () => {
  it('shows other people’s presence in the store and removes it when they leave', () => {
    const { theirs, store, unbind } = boundToPeer(
      atom<TLUser | null>(
        'me',
        UserRecordType.create({ id: createUserId('me'), name: 'Ana', color: '#2b8a3e' }),
      ),
    )

    const remote = presenceOf(theirs.clientID, 'Rosa')
    theirs.setLocalState({ presence: remote })
    expect(store.get(remote.id)).toMatchObject({ userName: 'Rosa', cursor: { x: 10, y: 20 } })

    theirs.setLocalState({ presence: { ...remote, cursor: { ...remote.cursor, x: 99 } } })
    expect(store.get(remote.id)).toMatchObject({ cursor: { x: 99 } })

    theirs.setLocalState(null)
    expect(store.get(remote.id)).toBeUndefined()
    unbind()
  })

  it('ignores malformed presence from a peer', () => {
    const { theirs, store, unbind } = boundToPeer()
    theirs.setLocalState({
      presence: { ...presenceOf(theirs.clientID, 'Eve'), cursor: 'nonsense' },
    })
    expect(store.allRecords().filter((r) => r.typeName === 'instance_presence')).toEqual([])
    unbind()
  })

  it('removes everyone’s presence from the store when unbound', () => {
    const { theirs, store, unbind } = boundToPeer()
    const remote = presenceOf(theirs.clientID, 'Rosa')
    theirs.setLocalState({ presence: remote })
    expect(store.get(remote.id)).toBeDefined()
    unbind()
    expect(store.get(remote.id)).toBeUndefined()
  })
})
