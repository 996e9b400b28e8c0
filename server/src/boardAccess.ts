/**
 * The guard of every HTTP route about one board (`/boards/:id…`): the id is checked, the board
 * found and the caller's link (`?token=` or `Authorization: Bearer`) resolved to a role before a
 * handler runs. Every router with board routes registers `boardAccessParam` for `id`, so a route
 * added later gets the guard without asking; handlers read `boardOf` and `accessOf`. A module of
 * its own so the routers (`api.ts`, `planExport.ts`, `historyRoutes.ts`) share one guard without
 * importing one another.
 */
import { canFacilitate, isBoardId } from '@common-ground/shared/board'
import type { RequestParamHandler, Response } from 'express'
import { type Access, requestToken, resolveAccess, resolveCalendarAccess } from './access/access.ts'
import { ApiError } from './apiErrors.ts'
import type { BoardRecord, BoardStore } from './store/BoardStore.ts'

async function findBoard(store: BoardStore, id: string): Promise<BoardRecord> {
  if (!isBoardId(id))
    throw new ApiError(400, 'invalid_board_id', 'Board ids are 8 to 64 letters, digits, _ or -.')
  const board = await store.getBoard(id)
  if (!board) throw new ApiError(404, 'board_not_found', 'No board has this id.')
  return board
}

/**
 * The `id` param handler of every router with board routes: checks the id, finds the board and
 * resolves the caller's link (`?token=` or `Authorization: Bearer`) for `boardOf`/`accessOf`.
 */
export function boardAccessParam(store: BoardStore): RequestParamHandler {
  return async (request, response, next, id: string) => {
    const board = await findBoard(store, id)
    const access = await resolveAccess(store, board.id, requestToken(request))
    if (access === 'missing' || access === 'invalid') throw refusal(access)
    response.locals.board = board
    response.locals.access = access
    next()
  }
}

/**
 * The `id` guard of the calendar feed, the one route the calendar key opens (besides the keys of
 * the three links): it sets `boardOf` and no role (`accessOf` is not for this route). A router of
 * its own registers it, so no other route can take the calendar key by mistake.
 */
export function calendarAccessParam(store: BoardStore): RequestParamHandler {
  return async (request, response, next, id: string) => {
    const board = await findBoard(store, id)
    const access = await resolveCalendarAccess(store, board.id, requestToken(request))
    if (access === 'missing' || access === 'invalid') throw refusal(access)
    response.locals.board = board
    next()
  }
}

function refusal(access: 'missing' | 'invalid'): ApiError {
  return access === 'missing'
    ? new ApiError(401, 'link_required', 'This board needs the key of one of its links (?token=…).')
    : new ApiError(403, 'invalid_link', 'This link is not valid; it may have been replaced.')
}

/** The board a `:id` route is about (set by the `id` param handler). */
export function boardOf(response: Response): BoardRecord {
  return response.locals.board as BoardRecord
}

/** The caller's role on that board. */
export function accessOf(response: Response): Access {
  return response.locals.access as Access
}

export function requireFacilitator(access: Access): void {
  if (!canFacilitate(access.role)) {
    throw new ApiError(403, 'facilitators_only', 'Only a facilitate link can do this.')
  }
}
