/**
 * The HTTP contract of boards (README, "Public contract"): what the server answers and what the
 * app reads, typed once for both.
 */
import type { BoardRole, LinkKind } from '../access.ts'
import type { BoardTemplate } from '../boardDoc.ts'

/** A board as the API describes it to anyone holding one of its keys. */
export interface BoardSummary {
  id: string
  title: string
  template: BoardTemplate
  createdAt: number
}

/** The links to share (the key in each link's fragment) and where the sync socket is. */
export type BoardLinks = Record<LinkKind, string> & { sync: string }

/** `GET /api/boards/:id`: facilitators also get the links and their keys. */
export interface BoardAccessSummary extends BoardSummary {
  role: BoardRole
  links?: BoardLinks
  tokens?: Record<LinkKind, string>
}

/** `POST /api/boards` (201): the creator facilitates and gets every link. */
export type CreatedBoardResponse = BoardSummary & {
  role: 'facilitator'
  links: BoardLinks
  tokens: Record<LinkKind, string>
}

/** `POST /api/boards/:id/links/:kind/rotate`. */
export interface RotatedLinksResponse {
  links: BoardLinks
  tokens: Record<LinkKind, string>
}

/** `POST /api/boards/:id/closed`. */
export interface BoardClosedResponse {
  closed: boolean
}

/** Every refusal: a specific code for programs, a sentence for people. */
export interface ApiErrorBody {
  error: { code: string; message: string }
}
