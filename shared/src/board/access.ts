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
 * A person's secret on this device (random, never shown) and the public participant id the
 * board knows them by. The id is a hash of the secret and the board id, so a ballot key such as
 * `ballot/<session>/<participantId>` can be written only by whoever holds the secret, and the
 * same person has unrelated ids on different boards. lib0's SHA-256 runs where WebCrypto does
 * not (plain http on a venue LAN is not a secure context).
 */
export const PARTICIPANT_SECRET_PATTERN = /^[A-Za-z0-9_-]{22,64}$/
export const PARTICIPANT_ID_PATTERN = /^p[A-Za-z0-9_-]{22}$/

/** A participant id read from untrusted input (presence, a key, a value). */
export const participantIdValidator = T.string.check((value) => {
  if (!PARTICIPANT_ID_PATTERN.test(value)) throw new T.ValidationError('Expected a participant id')
})

export function newParticipantSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(18)))
}

export function participantIdFor(secret: string, boardId: string): string {
  const input = new TextEncoder().encode(`common-ground participant\n${boardId}\n${secret}`)
  return `p${base64url(digest(input)).slice(0, 22)}`
}

function base64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
