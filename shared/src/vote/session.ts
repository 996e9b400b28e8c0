/**
 * A vote session: the facilitator's settings for one round of dot voting over a set of notes,
 * and where the round stands (open → closed → revealed).
 */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'

export const VOTE_STATUSES = ['open', 'closed', 'revealed'] as const
export type VoteStatus = (typeof VOTE_STATUSES)[number]

/** Dots each participant may place: 1–20, 5 unless the facilitator says otherwise. */
export const MIN_DOTS_PER_PARTICIPANT = 1
export const MAX_DOTS_PER_PARTICIPANT = 20
export const DEFAULT_DOTS_PER_PARTICIPANT = 5
/** Dots one participant may put on one item: 1 means "one vote per item". */
export const MIN_DOTS_PER_ITEM = 1
export const MAX_DOTS_PER_ITEM = 20
export const DEFAULT_MAX_DOTS_PER_ITEM = 3
/** More items than this is not a vote anyone can read; it also bounds every tally. */
export const MAX_VOTE_ITEMS = 200
/** The longest countdown a vote may be given when it starts (ten hours: a whole retreat day). */
export const MAX_VOTE_MINUTES = 600

/**
 * Session ids: short and safe inside a map key (no `/`). Participant ids, in ballot keys too, are
 * access.ts's `PARTICIPANT_ID_PATTERN`.
 */
export const VOTE_ID = /^[A-Za-z0-9_-]{1,64}$/

export interface VoteSettings {
  dotsPerParticipant: number
  maxDotsPerItem: number
  /** Ballots carry no name; the UI never says who placed a dot. */
  anonymous: boolean
  /** Counts show only after the facilitator reveals (the default). */
  hiddenUntilReveal: boolean
  /** When the countdown ends, in server-clock milliseconds since the epoch; `null`: no limit. */
  endsAt: number | null
}

export interface VoteSession extends VoteSettings {
  id: string
  title: string
  /** The note shape ids voted on, in the order the tally takes them (distinct). */
  itemIds: string[]
  status: VoteStatus
  startedAt: number
  /** Set when the session stops taking dots (closed or revealed), `null` while open. */
  closedAt: number | null
  /** Set when the results were revealed, `null` before. */
  revealedAt: number | null
  /** The session whose tied items this runoff decides, or `null` for a first round. */
  runoffOf: string | null
}

const timestamp = T.number.check((value) => {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new T.ValidationError('Expected a time in milliseconds')
})

function integerBetween(min: number, max: number) {
  return T.integer.check((value) => {
    if (value < min || value > max)
      throw new T.ValidationError(`Expected a whole number from ${min} to ${max}`)
  })
}

function idMatching(pattern: RegExp, what: string) {
  return T.string.check((value) => {
    if (!pattern.test(value)) throw new T.ValidationError(`Expected ${what}`)
  })
}

export const voteIdValidator = idMatching(VOTE_ID, 'a vote id ([A-Za-z0-9_-]{1,64})')
/** Item ids are shape ids (`shape:…`); bounded so a key or a ballot cannot grow without end. */
export const voteItemIdValidator = T.string.check((value) => {
  if (value.length === 0 || value.length > 128)
    throw new T.ValidationError('Expected an item id of 1–128 characters')
})

const itemIdsValidator = T.arrayOf(voteItemIdValidator).check((ids) => {
  if (ids.length === 0) throw new T.ValidationError('Expected at least one item')
  if (ids.length > MAX_VOTE_ITEMS)
    throw new T.ValidationError(`Expected at most ${MAX_VOTE_ITEMS} items`)
  if (new Set(ids).size !== ids.length) throw new T.ValidationError('Expected no repeated items')
})

export const voteSessionValidator: T.Validator<VoteSession> = T.object({
  id: voteIdValidator,
  title: boundedText(MAX_LINE_LENGTH),
  itemIds: itemIdsValidator,
  dotsPerParticipant: integerBetween(MIN_DOTS_PER_PARTICIPANT, MAX_DOTS_PER_PARTICIPANT),
  maxDotsPerItem: integerBetween(MIN_DOTS_PER_ITEM, MAX_DOTS_PER_ITEM),
  anonymous: T.boolean,
  hiddenUntilReveal: T.boolean,
  endsAt: T.nullable(timestamp),
  status: T.literalEnum(...VOTE_STATUSES),
  startedAt: timestamp,
  closedAt: T.nullable(timestamp),
  revealedAt: T.nullable(timestamp),
  runoffOf: T.nullable(voteIdValidator),
}).check((session) => {
  // The timestamps say where the session stands; a value that contradicts itself is refused.
  if ((session.status === 'open') !== (session.closedAt === null))
    throw new T.ValidationError('closedAt is set exactly when the session is not open')
  if ((session.status === 'revealed') !== (session.revealedAt !== null))
    throw new T.ValidationError('revealedAt is set exactly when the session is revealed')
  if (session.runoffOf === session.id)
    throw new T.ValidationError('a runoff cannot be a runoff of itself')
})

/** The settings a facilitator picks, with the defaults filled in. */
export function voteSettings(partial: Partial<VoteSettings> = {}): VoteSettings {
  return {
    dotsPerParticipant: partial.dotsPerParticipant ?? DEFAULT_DOTS_PER_PARTICIPANT,
    maxDotsPerItem: partial.maxDotsPerItem ?? DEFAULT_MAX_DOTS_PER_ITEM,
    anonymous: partial.anonymous ?? true,
    hiddenUntilReveal: partial.hiddenUntilReveal ?? true,
    endsAt: partial.endsAt ?? null,
  }
}

/** Whether everyone may see the counts now. */
export function resultsVisible(session: VoteSession): boolean {
  return session.status === 'revealed' || !session.hiddenUntilReveal
}
