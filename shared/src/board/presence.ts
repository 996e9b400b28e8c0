/**
 * One browser's awareness state (presence: cursors, who is here), as the app sends it and as the
 * server accepts it. It never enters the board, yet everyone receives it and every newcomer gets
 * all of it, so it is bounded (bytes, depth) and checked against this shape before the server
 * relays it; the client trims what it sends to fit (`trimPresence`).
 *
 * What the app sends (see client/src/sync/presenceBinding.ts, client/src/room/personPresence.ts):
 *
 * - `presence`: tldraw's instance presence record (cursor, camera, selection, scribbles), whose
 *   id is `instance_presence:<awareness client id>`;
 * - `user`: `{ name, color }`, plain fields for other y-websocket tools;
 * - `person`: our `PersonPresence` (person id, name, colour, role, organization, idle); the
 *   server sets its person id and role to what it checked (never the participant id that
 *   ballots are kept under), and accepts what an older app sends there (`SentPerson`).
 *
 * Other top-level fields (other y-websocket tools' `name`, …) pass when they are plain values
 * (strings up to MAX_PRESENCE_TEXT, numbers, booleans, null): nothing of ours reads them.
 */
import { InstancePresenceRecordType, type TLInstancePresence } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import {
  PERSON_FIELD,
  type PersonPresence,
  readPerson,
  type SentPerson,
  sentPersonValidator,
} from '../facilitation/people.ts'

/**
 * Largest awareness state (its JSON, in UTF-8 bytes) the server relays. A cursor with a person is
 * about 1 KB; what tldraw adds beyond that (a selection, a laser stroke) is trimmed by the client
 * (PRESENCE_TRIM) to under 10 KB, and dropped if it would still not fit (`fitPresenceState`).
 */
export const MAX_PRESENCE_BYTES = 16 * 1024

/** Deepest nesting of a state (the state object is level 1; a scribble's point is level 6). */
export const MAX_PRESENCE_DEPTH = 8

/** Longest string in `user` and in fields we do not know. */
export const MAX_PRESENCE_TEXT = 200

/**
 * What the client keeps of its tldraw presence before publishing it: others see the outline of
 * at most 100 selected shapes (3.5 KB of ids) and the tail of a laser stroke (2 × 48 points,
 * about 5 KB).
 */
export const PRESENCE_TRIM = {
  selectedShapeIds: 100,
  scribbles: 2,
  /** The newest points of each scribble (a laser's tail). */
  scribblePoints: 48,
  chatMessage: MAX_PRESENCE_TEXT,
} as const

export interface PresenceUser {
  name?: string
  color?: string
}

export interface PresenceState {
  presence?: TLInstancePresence | null
  user?: PresenceUser | null
  /** As received: a `SentPerson`; as the server relays it (and the app sends it): a `PersonPresence`. */
  [PERSON_FIELD]?: PersonPresence | SentPerson | null
  [other: string]: unknown
}

const shortText = T.string.check((value) => {
  if (value.length > MAX_PRESENCE_TEXT) {
    throw new T.ValidationError(`Expected at most ${MAX_PRESENCE_TEXT} characters`)
  }
})

const instancePresenceValidator: T.Validatable<TLInstancePresence> = {
  validate: (value) => InstancePresenceRecordType.validate(value),
}

const presenceUserValidator: T.Validator<PresenceUser> = T.object({
  name: shortText.optional(),
  color: shortText.optional(),
})

const KNOWN_FIELDS = new Set(['presence', 'user', PERSON_FIELD])

/** The shape of an awareness state (not its size or depth: `readPresenceState` checks those). */
export const presenceStateValidator: T.Validator<PresenceState> = T.object({
  presence: T.nullable(instancePresenceValidator).optional(),
  user: T.nullable(presenceUserValidator).optional(),
  [PERSON_FIELD]: T.nullable(sentPersonValidator).optional(),
})
  .allowUnknownProperties()
  .check((state) => {
    for (const [key, value] of Object.entries(state as Record<string, unknown>)) {
      if (KNOWN_FIELDS.has(key)) continue
      if (key.length > MAX_PRESENCE_TEXT) throw new T.ValidationError('Expected a short field name')
      const plain =
        value === null ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && value.length <= MAX_PRESENCE_TEXT)
      if (!plain) throw new T.ValidationError(`Expected a plain value in ${key.slice(0, 40)}`)
    }
  }) as T.Validator<PresenceState>

/** The tldraw presence id a client id must use (anything else would draw over someone's cursor). */
export function presenceIdOf(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(String(clientId))
}

/** Why an awareness state's JSON text cannot be accepted for `clientId`, or its value. */
export type PresenceReading =
  | { ok: true; state: PresenceState | null }
  | { ok: false; reason: string }

const utf8 = new TextEncoder()

/**
 * Reads one awareness state as sent (its JSON text) for `clientId`: at most MAX_PRESENCE_BYTES,
 * at most MAX_PRESENCE_DEPTH deep (checked on the text, before anything is built from it), of
 * the shape above, and with tldraw's presence under the client's own presence id. `null` is a
 * client leaving.
 */
export function readPresenceState(json: string, clientId: number): PresenceReading {
  if (json.length > MAX_PRESENCE_BYTES || utf8.encode(json).byteLength > MAX_PRESENCE_BYTES) {
    return { ok: false, reason: `more than ${MAX_PRESENCE_BYTES} bytes` }
  }
  if (jsonDepthExceeds(json, MAX_PRESENCE_DEPTH)) {
    return { ok: false, reason: `nested deeper than ${MAX_PRESENCE_DEPTH} levels` }
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  if (value === null) return { ok: true, state: null }
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'not an object' }
  let state: PresenceState
  try {
    state = presenceStateValidator.validate(value)
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'invalid' }
  }
  if (state.presence && state.presence.id !== presenceIdOf(clientId)) {
    return { ok: false, reason: 'presence id of another client' }
  }
  return { ok: true, state }
}

/**
 * Whether JSON text nests arrays and objects more than `maxDepth` deep. A scan of the text,
 * so a hostile nesting costs one pass and no allocation; strings (and escapes in them) are
 * skipped.
 */
export function jsonDepthExceeds(json: string, maxDepth: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > maxDepth) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

/**
 * tldraw's presence as the app publishes it: a selection, scribbles and a chat message cut to
 * PRESENCE_TRIM, so a select-all on a big board or a long laser stroke stays a few KB.
 */
export function trimPresence(presence: TLInstancePresence): TLInstancePresence {
  const { selectedShapeIds, scribbles, chatMessage } = presence
  if (
    selectedShapeIds.length <= PRESENCE_TRIM.selectedShapeIds &&
    scribbles.length <= PRESENCE_TRIM.scribbles &&
    scribbles.every((scribble) => scribble.points.length <= PRESENCE_TRIM.scribblePoints) &&
    chatMessage.length <= PRESENCE_TRIM.chatMessage
  ) {
    return presence
  }
  return {
    ...presence,
    selectedShapeIds: selectedShapeIds.slice(0, PRESENCE_TRIM.selectedShapeIds),
    scribbles: scribbles
      .slice(-PRESENCE_TRIM.scribbles)
      .map((scribble) =>
        scribble.points.length <= PRESENCE_TRIM.scribblePoints
          ? scribble
          : { ...scribble, points: scribble.points.slice(-PRESENCE_TRIM.scribblePoints) },
      ),
    chatMessage: chatMessage.slice(0, PRESENCE_TRIM.chatMessage),
  }
}

/** UTF-8 bytes of a state's JSON, as `readPresenceState` counts them. */
export function presenceBytes(state: unknown): number {
  return utf8.encode(JSON.stringify(state)).byteLength
}

/**
 * An awareness state the server will take for `clientId`, made from the app's own: as it is,
 * or with tldraw's selection and scribbles dropped, or without tldraw's presence at all (the
 * person and their name still show). Publishing a state the server refuses would close the
 * connection, and the same state would be sent again on every reconnect.
 */
export function fitPresenceState(state: PresenceState, clientId: number): PresenceState {
  if (readPresenceState(JSON.stringify(state), clientId).ok) return state
  const presence = state.presence
  if (presence) {
    const lighter = { ...state, presence: { ...presence, selectedShapeIds: [], scribbles: [] } }
    if (readPresenceState(JSON.stringify(lighter), clientId).ok) return lighter
  }
  const bare = { ...state, presence: null }
  if (readPresenceState(JSON.stringify(bare), clientId).ok) return bare
  return { presence: null, user: null, [PERSON_FIELD]: readPerson(state[PERSON_FIELD]) }
}
