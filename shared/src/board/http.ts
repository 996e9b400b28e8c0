/**
 * The HTTP contract of boards (README, "Public contract"): what the server answers and what the
 * app reads, typed once for both.
 */
import type { BoardRole, LinkKind } from './access.ts'
import type { BoardTemplate } from './boardDoc.ts'
import type { LinkedBoard } from './boardMeta.ts'

/** A board as the API describes it to anyone holding one of its keys. */
export interface BoardSummary {
  id: string
  title: string
  template: BoardTemplate
  createdAt: number
}

/**
 * The links to share (the key in each link's fragment), where the sync socket is, and the
 * calendar feed's address (`…/calendar.ics?token=<calendar key>`: a calendar app cannot be given
 * a key any other way). `calendar` is missing only when the server could not store a calendar key
 * for a board made before calendar links (a full disk); the next answer brings it.
 */
export type BoardLinks = Record<LinkKind, string> & { sync: string; calendar?: string }

/** The keys of those links; `calendar` opens the calendar feed and nothing else. */
export type BoardTokens = Record<LinkKind, string> & { calendar?: string }

/** `GET /api/boards/:id`: facilitators also get the links and their keys. */
export interface BoardAccessSummary extends BoardSummary {
  role: BoardRole
  links?: BoardLinks
  tokens?: BoardTokens
}

/** `POST /api/boards` (201): the creator facilitates and gets every link, the calendar's too. */
export type CreatedBoardResponse = BoardSummary & {
  role: 'facilitator'
  links: BoardLinks
  tokens: BoardTokens
}

/**
 * `POST /api/boards/:id/next-retreat`: the new board, its facilitator's links, and the board it
 * continues (which now names it as its next retreat).
 */
export type NextRetreatResponse = CreatedBoardResponse & { previousRetreat: LinkedBoard }

/** `POST /api/boards/:id/links/:kind/rotate`. */
export interface RotatedLinksResponse {
  links: BoardLinks
  tokens: BoardTokens
}

/** `POST /api/boards/:id/closed`. */
export interface BoardClosedResponse {
  closed: boolean
}

/**
 * `GET /api/server`: where people on the venue's network reach this server, for the Share
 * dialog of a page opened at a loopback address (whose links open nothing on another device).
 */
export interface ServerAddressesResponse {
  /**
   * This machine's IPv4 addresses (non-internal interfaces) that the server accepts connections
   * on, most likely LAN first: `http://<address>:<port>/…` opens the app from another device.
   * Empty when it listens on loopback only, and for requests not addressed to a loopback host
   * (only a page on this computer needs them; the internal addresses stay behind a proxy).
   */
  lanAddresses: string[]
  /** The port the server listens on. */
  port: number
  /** It listens on a loopback address only (`HOST=127.0.0.1`, the default): nobody else can reach it. */
  loopbackOnly: boolean
}

/** Every refusal: a specific code for programs, a sentence for people. */
export interface ApiErrorBody {
  error: { code: string; message: string }
}
