/**
 * The addresses the API hands out, absolute from the Host the request came to (the address
 * people typed): the links a facilitator shares, and a board's page for the calendar's events.
 */
import type { BoardLinks } from '@common-ground/shared/board'
import type { Request } from 'express'
import { ApiError } from './apiErrors.ts'
import type { BoardLinkTokens } from './store/BoardStore.ts'

/** `http(s)://host[:port]` of a request; 400 `invalid_host` when its Host is not a host name. */
export function requestOrigin(request: Request): { origin: string; secure: boolean; host: string } {
  const host = request.get('host') ?? ''
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) {
    throw new ApiError(400, 'invalid_host', 'The Host header is not a host name.')
  }
  const secure = request.protocol === 'https'
  return { origin: `${secure ? 'https' : 'http'}://${host}`, secure, host }
}

/** A board's page, with no key: what a calendar event links to. */
export function boardPage(request: Request, id: string): string {
  return `${requestOrigin(request).origin}/b/${id}`
}

/**
 * Links to share. The secret of a board link rides in the fragment, which browsers never send to
 * a server nor in a Referer; the app moves it to local storage and out of the address bar (it
 * may be on a projector). The calendar link is an API address a calendar app fetches, so its key
 * is in the query: it opens the feed and nothing else.
 */
export function boardLinks(request: Request, id: string, tokens: BoardLinkTokens): BoardLinks {
  const { origin, secure, host } = requestOrigin(request)
  const page = `${origin}/b/${id}`
  return {
    facilitate: `${page}#key=${tokens.facilitate}`,
    edit: `${page}#key=${tokens.edit}`,
    view: `${page}#key=${tokens.view}`,
    /** Connect with `?token=` set to one of `tokens`. */
    sync: `${secure ? 'wss' : 'ws'}://${host}/sync/${id}`,
    ...(tokens.calendar ? { calendar: calendarLink(origin, id, tokens.calendar) } : {}),
  }
}

/** The calendar feed's address with its key: what a calendar app is given. */
export function calendarLink(origin: string, id: string, token: string): string {
  return `${origin}/api/boards/${id}/calendar.ics?token=${token}`
}
