/**
 * Presence (cursor, name, colour, selection) travels in Yjs awareness only, never in the doc.
 * Our own presence is derived by tldraw from the store and the current user; other people's
 * presence records are put into the store as remote changes so tldraw draws their cursors.
 */

import { fitPresenceState, MAX_PRESENCE_TEXT, trimPresence } from '@common-ground/shared/board'
import {
  createPresenceStateDerivation,
  InstancePresenceRecordType,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'

/** Cursor updates are sent at most this often; enough for a smooth cursor, kind to weak wifi. */
export const PRESENCE_INTERVAL_MS = 50

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

function isPresence(value: unknown): value is TLInstancePresence {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { typeName?: unknown }).typeName === 'instance_presence'
  )
}

export function bindPresence(store: TLStore, awareness: Awareness, $user: Signal<TLUser | null>) {
  const ownId = InstancePresenceRecordType.createId(String(awareness.clientID))
  const $presence = createPresenceStateDerivation($user, { instanceId: ownId })(store)

  let timer: ReturnType<typeof setTimeout> | null = null
  let lastSent = 0
  const stopReacting = react(
    'publish presence',
    () => {
      const presence = $presence.get()
      const user = $user.get()
      // Within what the server relays (shared/src/presence.ts): a select-all or a long laser
      // stroke is cut short for the others, never refused.
      awareness.setLocalState(
        fitPresenceState(
          {
            ...awareness.getLocalState(),
            presence: presence ? trimPresence(presence) : null,
            // Plain fields so other y-websocket tools can show who is here.
            user: user
              ? {
                  name: user.name.slice(0, MAX_PRESENCE_TEXT),
                  color: user.color.slice(0, MAX_PRESENCE_TEXT),
                }
              : null,
          },
          awareness.clientID,
        ),
      )
    },
    {
      scheduleEffect: (publish) => {
        if (timer) return
        const wait = Math.max(0, lastSent + PRESENCE_INTERVAL_MS - Date.now())
        timer = setTimeout(() => {
          timer = null
          lastSent = Date.now()
          publish()
        }, wait)
      },
    },
  )

  const remoteIds = new Map<number, TLInstancePresence['id']>()
  const applyAwareness = ({ added, updated, removed }: AwarenessChange) => {
    const states = awareness.getStates()
    const toPut: TLInstancePresence[] = []
    const toRemove: TLInstancePresence['id'][] = []
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const presence = states.get(clientId)?.presence
      if (isPresence(presence)) {
        toPut.push(presence)
        remoteIds.set(clientId, presence.id)
      }
    }
    for (const clientId of removed) {
      const id = remoteIds.get(clientId)
      if (id) toRemove.push(id)
      remoteIds.delete(clientId)
    }
    store.mergeRemoteChanges(() => {
      const present = toRemove.filter((id) => store.has(id))
      if (present.length > 0) store.remove(present)
      for (const presence of toPut) {
        try {
          store.put([presence])
        } catch {
          // Someone else's malformed presence is ignored rather than breaking our canvas.
        }
      }
    })
  }
  awareness.on('change', applyAwareness)
  applyAwareness({ added: [...awareness.getStates().keys()], updated: [], removed: [] })

  return () => {
    stopReacting()
    if (timer) clearTimeout(timer)
    awareness.off('change', applyAwareness)
    store.mergeRemoteChanges(() => {
      const ids = [...remoteIds.values()].filter((id) => store.has(id))
      if (ids.length > 0) store.remove(ids)
    })
    remoteIds.clear()
  }
}
