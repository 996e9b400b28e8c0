/**
 * Who may do what on a board. A board has three links, one per role; each carries a secret
 * token (and a fourth, the calendar link, opens only its calendar feed). The server resolves the token when a connection opens and checks the role on every
 * write (see `writeRules.ts`); the client uses the same role to hide what it may not do.
 */

import { T } from '@tldraw/validate'
import { toBase64 } from 'lib0/buffer'
import { digest } from 'lib0/hash/sha256'

export const BOARD_ROLES = ['facilitator', 'participant', 'observer'] as const
export type BoardRole = (typeof BOARD_ROLES)[number]

/** The links a board's creator receives, named by what they let people do. */
export const LINK_KINDS = ['facilitate', 'edit', 'view'] as const
export type LinkKind = (typeof LINK_KINDS)[number]

export const ROLE_OF_LINK: Readonly<Record<LinkKind, BoardRole>> = {
  facilitate: 'facilitator',
  edit: 'participant',
  view: 'observer',
}

/**
 * The calendar link: its key opens the board's calendar feed (`GET /api/boards/:id/calendar.ics`)
 * and nothing else. It gives no role, so the sync socket and every other route refuse it like a
 * wrong key. A calendar app stores the whole address and fetches it for months, so it gets a key
 * of its own that a facilitator can replace without replacing anyone's way into the board.
 */
export const CALENDAR_LINK = 'calendar'
export type CalendarLink = typeof CALENDAR_LINK

/** Every link a facilitator shares and can replace: one per role, and the calendar's. */
export const SHARE_LINK_KINDS = [...LINK_KINDS, CALENDAR_LINK] as const
export type ShareLinkKind = (typeof SHARE_LINK_KINDS)[number]

export function isShareLinkKind(value: unknown): value is ShareLinkKind {
  return (SHARE_LINK_KINDS as readonly unknown[]).includes(value)
}

export function isBoardRole(value: unknown): value is BoardRole {
  return (BOARD_ROLES as readonly unknown[]).includes(value)
}

export function isLinkKind(value: unknown): value is LinkKind {
  return (LINK_KINDS as readonly unknown[]).includes(value)
}

/** Whether the role may change the board at all (notes, cards, answers, own ballot). */
export function canEdit(role: BoardRole): boolean {
  return role !== 'observer'
}

/** Whether the role may run the room: votes, agenda, timer, links, closing the board. */
export function canFacilitate(role: BoardRole): boolean {
  return role === 'facilitator'
}

/** 32 characters of base64url: 192 random bits, far beyond guessing. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/

export function newLinkToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(24)))
}

export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && LINK_TOKEN_PATTERN.test(value)
}

/**
 * A person's secret on this device (random, never shown) and the two ids the board derives from
 * it, each a hash of the secret, the board id and a label of its own: one person has unrelated
 * ids on different boards, and neither id tells anything about the other. lib0's SHA-256 runs
 * where WebCrypto does not (plain http on a venue LAN is not a secure context).
 *
 * - The **participant id** (`participantIdFor`, `p…`) is what the server keeps a person's ballots
 *   under, and the device the Yjs client ids it uses belong to. It never leaves the server in
 *   presence, in a done mark or in a notice to anyone else; only the person's own app is told it.
 * - The **person id** (`personIdFor`, `h…`, h for "here") is the id others see: presence (the
 *   people list, "you") and the key of "I'm done" marks. It is never the key of a ballot or of a
 *   private note, so being seen here ties nobody to what they voted or wrote privately.
 */
export const PARTICIPANT_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,64}$/
export const PARTICIPANT_ID_PATTERN = /^p[A-Za-z0-9_-]{22}$/
export const PERSON_ID_PATTERN = /^h[A-Za-z0-9_-]{22}$/

/** A participant id read from untrusted input (a key, a value). */
export const participantIdValidator = T.string.check((value) => {
  if (!PARTICIPANT_ID_PATTERN.test(value)) throw new T.ValidationError('Expected a participant id')
})

/** A person id read from untrusted input (presence, a done mark's key). */
export const personIdValidator = T.string.check((value) => {
  if (!PERSON_ID_PATTERN.test(value)) throw new T.ValidationError('Expected a person id')
})

export function newParticipantSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(18)))
}

/** The id the server keeps this person's ballots under; never shown to anyone else. */
export function participantIdFor(secret: string, boardId: string): string {
  return `p${derive('participant', secret, boardId)}`
}

/** The id others see: presence, done marks; never the key of a ballot or a private note. */
export function personIdFor(secret: string, boardId: string): string {
  return `h${derive('person', secret, boardId)}`
}

/** 22 base64url characters (132 bits) of SHA-256 over a label, the board id and the secret. */
function derive(label: string, secret: string, boardId: string): string {
  const input = new TextEncoder().encode(`common-ground ${label}\n${boardId}\n${secret}`)
  return base64url(digest(input)).slice(0, 22)
}

function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
