/**
 * Presence (Yjs awareness) as the server accepts it. y-protocols' `applyAwarenessUpdate` takes
 * anything: a state nested deep enough breaks the encoding of every later join, any connection
 * may overwrite or clear anyone's presence, and the role people see is whatever a client says.
 * So an incoming awareness update is read here entry by entry (varUint count, then per entry
 * varUint client id, varUint clock, varString JSON state).
 *
 * An entry the room's awareness would not apply (its clock is not newer) changes nothing and is
 * dropped unread: y-websocket's provider sends back every presence it receives, everyone's, with
 * the clock it came with, so these echoes are normal. Every other entry must pass:
 *
 * - its state is bounded and of the app's shape (`readPresenceState` in shared: bytes, depth,
 *   tldraw presence under the client's own presence id, `person`, `user`, plain extras), or the
 *   update is refused with 1007 "invalid presence";
 * - its client id is the sender's device's (ClientOwners: claimed on first use), is not held right
 *   now by a connection of another device, and is not the server's own; otherwise a state is
 *   refused with 1008 "presence of another connection". A `null` (someone leaving) under someone
 *   else's id is not applied either, but only reported (a notice): y-websocket sends one when
 *   its own timer gave up on a peer a moment before the server's did, and that is no attack;
 * - its `person` is made to say what the server checked: the role of the link and the person
 *   id of the device secret (`presenceIdentity` hooks; without one, left as sent). A
 *   `participantId` an older app put there (the id ballots are kept under) is dropped.
 *
 * The room applies and relays only what this encodes again from the checked states.
 */
import { CLOSE, type PresenceState, readPresenceState } from '@common-ground/shared/board'
import { PERSON_FIELD, type SentPerson } from '@common-ground/shared/facilitation'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { type ClientOwners, deviceOf, isConnectionDevice } from './ClientOwners.ts'
import type { Connection } from './Connection.ts'
import type { PresenceIdentity } from './hooks.ts'
import { ProtocolError } from './protocol.ts'

/** Awareness client ids one connection may speak for; a y-websocket provider uses one. */
export const MAX_PRESENCE_CLIENTS = 4

/** Entries in one update: an echo of everyone's presence on a full board is the most. */
export const MAX_PRESENCE_ENTRIES = 4096

/**
 * `deviceOf` for a connection without a device secret: a device only while that connection
 * lasts. Once it is gone nobody can tell its reconnect from anyone else, so the presence of its
 * client ids is free again for whoever is not holding another device's (structs stay its own).
 */

/** `null` as y-protocols encodes a leaving client's state. */
const NULL_STATE = new TextEncoder().encode('null')

/** A refused awareness update; `detail` (for the log) says which check failed. */
export class PresenceRefused extends ProtocolError {
  override name = 'PresenceRefused'
  readonly detail: string
  readonly client: number | undefined
  constructor(code: number, message: string, detail: string, client?: number) {
    super(code, message)
    this.detail = detail
    this.client = client
  }
}

export interface PresenceReview {
  connection: Connection
  owners: ClientOwners
  /** Every connection of the room (the sender may be among them). */
  connections: Iterable<Connection>
  /** The room's awareness: which entries would change it, and its own client id. */
  awareness: Awareness
  /** Who the server vouches the sender is; undefined when no hook checked it. */
  identity: PresenceIdentity | undefined
}

export interface ReviewedPresence {
  /** The awareness update to apply (null: nothing in it would change anything). */
  update: Uint8Array | null
  /** Client ids this update claimed for the sender's device (for the store). */
  claims: Array<[number, string]>
  /** Client ids of someone else the sender said had left: not applied. */
  ignored: number[]
}

interface Entry {
  client: number
  clock: number
  state: PresenceState | null
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Checks an awareness update from `review.connection`; throws PresenceRefused when it fails. */
export function reviewPresence(update: Uint8Array, review: PresenceReview): ReviewedPresence {
  const device = deviceOf(review.connection)
  const held = new Set(review.connection.awarenessIds)
  const kept: Entry[] = []
  const ignored: number[] = []
  for (const entry of readEntries(update, review.awareness)) {
    if (mayUse(entry.client, device, review)) {
      kept.push(entry)
      if (entry.state !== null) held.add(entry.client)
    } else if (entry.state === null) {
      ignored.push(entry.client)
    } else {
      throw new PresenceRefused(
        CLOSE.policyViolation,
        'presence of another connection',
        'client id owned or held by another device',
        entry.client,
      )
    }
  }
  if (held.size > MAX_PRESENCE_CLIENTS) {
    throw new PresenceRefused(
      CLOSE.policyViolation,
      'too many presence ids',
      `more than ${MAX_PRESENCE_CLIENTS} client ids on one connection`,
    )
  }
  if (kept.length === 0) return { update: null, claims: [], ignored }

  const claims: Array<[number, string]> = []
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, kept.length)
  for (const { client, clock, state } of kept) {
    // A leaving entry for an id nobody owns removes nothing and claims nothing; nor does a
    // connection without a device secret claim anything (its claim would outlive it, and its
    // "device" name is reused after a restart): while it holds an id, nobody else may use it.
    const fresh = state !== null && review.owners.ownerOf(client) === undefined
    if (fresh && !isConnectionDevice(device) && review.owners.claim(client, device)) {
      claims.push([client, device])
    }
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify(vouched(state, review.identity)))
  }
  return { update: encoding.toUint8Array(encoder), claims, ignored }
}

/** The entries that would change `awareness` (as y-protocols decides), read and checked. */
function readEntries(update: Uint8Array, awareness: Awareness): Entry[] {
  const decoder = decoding.createDecoder(update)
  const entries: Entry[] = []
  try {
    const count = decoding.readVarUint(decoder)
    if (count > MAX_PRESENCE_ENTRIES) {
      throw new PresenceRefused(
        CLOSE.invalidPayload,
        'invalid presence',
        `${count} entries in one update`,
      )
    }
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      // A varString is a varUint length and UTF-8 bytes: nothing is decoded unless needed.
      const bytes = decoding.readVarUint8Array(decoder)
      const current = awareness.meta.get(client)?.clock ?? 0
      const leaving = sameBytes(bytes, NULL_STATE)
      const changes =
        current < clock || (current === clock && leaving && awareness.states.has(client))
      if (!changes) continue
      const reading = readPresenceState(utf8.decode(bytes), client)
      if (!reading.ok) {
        throw new PresenceRefused(CLOSE.invalidPayload, 'invalid presence', reading.reason, client)
      }
      entries.push({ client, clock, state: reading.state })
    }
  } catch (error) {
    if (error instanceof PresenceRefused) throw error
    throw new PresenceRefused(CLOSE.invalidPayload, 'invalid presence', 'malformed update')
  }
  return entries
}

/** Whether `device` (the sender's) may set or clear the presence of `client`. */
function mayUse(client: number, device: string, review: PresenceReview): boolean {
  if (client === review.awareness.clientID) return false
  const connections = [...review.connections]
  for (const other of connections) {
    if (other === review.connection || !other.awarenessIds.has(client)) continue
    // Held by another connection: only a tab of the same device may take it over (a reconnect
    // arriving before the server noticed the old connection drop).
    if (deviceOf(other) !== device) return false
  }
  const owner = review.owners.ownerOf(client)
  if (owner === undefined || owner === device) return true
  return (
    isConnectionDevice(owner) &&
    !connections.some((other) => other !== review.connection && deviceOf(other) === owner)
  )
}

/** The state with its `person` saying what the server checked. */
function vouched(
  state: PresenceState | null,
  identity: PresenceIdentity | undefined,
): PresenceState | null {
  const person = state?.[PERSON_FIELD]
  if (!state || !person || !identity) return state
  if (identity.personId === null) return { ...state, [PERSON_FIELD]: null }
  const { participantId: _older, ...sent } = person as SentPerson
  return {
    ...state,
    [PERSON_FIELD]: { ...sent, role: identity.role, personId: identity.personId },
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}
