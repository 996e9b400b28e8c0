/** The few HTTP calls the app makes to its own server (same origin). */
import type {
  BoardAccessSummary,
  BoardClosedResponse,
  BoardTemplate,
  CreatedBoardResponse,
  NextRetreatResponse,
  RotatedLinksResponse,
  ServerAddressesResponse,
  ShareLinkKind,
} from '@common-ground/shared/board'
import type { Locale } from '@common-ground/shared/i18n'

export type { BoardAccessSummary, BoardSummary } from '@common-ground/shared/board'

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'not-found' }
  /** 401: the board needs a key this browser does not have; 403: the key is not (or no longer) valid. */
  | { ok: false; kind: 'no-key' | 'bad-key' }
  | { ok: false; kind: 'network' }
  | { ok: false; kind: 'server'; status: number; message: string }

async function call<T>(input: string, init?: RequestInit): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(input, init)
  } catch {
    return { ok: false, kind: 'network' }
  }
  if (response.ok) return { ok: true, value: (await response.json()) as T }
  if (response.status === 404) return { ok: false, kind: 'not-found' }
  if (response.status === 401) return { ok: false, kind: 'no-key' }
  if (response.status === 403) return { ok: false, kind: 'bad-key' }
  let message = response.statusText
  try {
    message =
      ((await response.json()) as { error?: { message?: string } }).error?.message ?? message
  } catch {
    // Not JSON: keep the status text.
  }
  return { ok: false, kind: 'server', status: response.status, message }
}

/** `locale` words the template's stage titles and prompts, which are laid out once. */
export function createBoard(title: string, template: BoardTemplate, locale: Locale) {
  return call<CreatedBoardResponse>('/api/boards', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, template, locale }),
  })
}

export function getBoard(id: string, token: string | null) {
  return call<BoardAccessSummary>(`/api/boards/${encodeURIComponent(id)}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
}

/**
 * Replaces one link's key (facilitators): whoever holds the old one is let go (for the calendar
 * link: calendars subscribed with it stop updating).
 */
export function rotateLink(id: string, kind: ShareLinkKind, token: string) {
  return call<RotatedLinksResponse>(`/api/boards/${encodeURIComponent(id)}/links/${kind}/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
}

/**
 * Closes the board to edits after the retreat, or opens it again (facilitators). The server makes
 * the change: `meta` is never written from a browser.
 */
export function setBoardClosed(id: string, closed: boolean, token: string) {
  return call<BoardClosedResponse>(`/api/boards/${encodeURIComponent(id)}/closed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ closed }),
  })
}

/** Where people on the venue's network reach the server (for a page opened at 127.0.0.1). */
export function getServerAddresses() {
  return call<ServerAddressesResponse>('/api/server', { cache: 'no-store' })
}

/**
 * Starts the next retreat from this board (facilitators): the server makes a new board with the
 * partners, the open steps and the evaluation plan, links the two, and answers the new board's
 * facilitator links. `locale` words its title and its stage titles and prompts.
 */
export function startNextRetreat(id: string, token: string, locale: Locale) {
  return call<NextRetreatResponse>(`/api/boards/${encodeURIComponent(id)}/next-retreat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ locale }),
  })
}
