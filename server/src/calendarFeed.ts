/**
 * `GET /api/boards/:id/calendar.ics`: the action plan's due dates as an iCalendar feed that a
 * calendar app subscribes to (`?token=`, optionally `&organization=<card id>`, `&person=<name>`,
 * `&lang=es`). A router of its own with its own `id` guard (`calendarAccessParam`), the only one
 * that takes the calendar key besides the board's three keys: the board API's guard refuses that
 * key like a wrong one. The calendar itself is `planToCalendar` in shared (the Export menu makes
 * the same file in the browser); this file reads the request and sends the answer.
 */
import { checkCalendarFilter, planToCalendar } from '@common-ground/shared/export'
import express, { type Request } from 'express'
import { ApiError } from './apiErrors.ts'
import { boardOf, calendarAccessParam } from './boardAccess.ts'
import type { Logger } from './log.ts'
import { downloadDisposition, exportLocale, loadBoardPlan } from './planExport.ts'
import { boardPage } from './shareLinks.ts'
import type { BoardStore } from './store/BoardStore.ts'

/**
 * The longest feed address (path and query) taken. A real one is about 130 characters; a
 * person's name in full, percent-encoded, fits well within.
 */
export const MAX_FEED_URL_LENGTH = 2048

export function calendarFeedRoutes(options: { store: BoardStore; log: Logger }): express.Router {
  const { store, log } = options
  const feed = express.Router()
  feed.param('id', calendarAccessParam(store))

  feed.get('/boards/:id/calendar.ics', async (request, response) => {
    const board = boardOf(response)
    const { locale, filter } = readFeedRequest(request)
    const plan = await loadBoardPlan(store, board, locale, log)
    const body = planToCalendar(plan, {
      boardId: board.id,
      locale,
      ...filter,
      boardUrl: boardPage(request, board.id),
    })
    response
      .status(200)
      .set('Content-Type', 'text/calendar; charset=utf-8')
      .set('Content-Disposition', downloadDisposition(board.title, 'ics'))
      // The address holds a key: no shared cache may keep the answer.
      .set('Cache-Control', 'private, no-store')
      .set('X-Content-Type-Options', 'nosniff')
      .send(body)
  })
  return feed
}

/** `?lang=`, `?organization=`, `?person=`, each at most once; 400 (414) naming what is wrong. */
function readFeedRequest(request: Request) {
  if (request.originalUrl.length > MAX_FEED_URL_LENGTH) {
    throw new ApiError(
      414,
      'uri_too_long',
      `The calendar address may be at most ${MAX_FEED_URL_LENGTH} characters.`,
    )
  }
  const locale = exportLocale(request)
  const checked = checkCalendarFilter({
    organization: request.query.organization,
    person: request.query.person,
  })
  if (!checked.ok) throw new ApiError(400, `invalid_${checked.field}`, checked.message)
  return { locale, filter: checked.filter }
}
