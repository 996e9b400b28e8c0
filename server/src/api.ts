/**
 * The board API under /api: creating a board (rate limit, caps, plan import), reading it with
 * its links, rotating a link, closing it to edits. The plan's exports (`planExport.ts`), the
 * calendar feed (`calendarFeed.ts`) and the versions (`historyRoutes.ts`) are routers of their
 * own beside it; they share the `:id` guard (`boardAccess.ts`; the feed has its own, which also
 * takes the calendar key) and the error shape (`apiErrors.ts`).
 */
import {
  BOARD_TEMPLATES,
  type BoardAccessSummary,
  type BoardClosedResponse,
  type BoardSummary,
  type BoardTemplate,
  type CreatedBoardResponse,
  canFacilitate,
  isLinkKind,
  isShareLinkKind,
  type LinkedBoard,
  type LinkKind,
  MAX_TITLE_LENGTH,
  type NextRetreatResponse,
  newLinkToken,
  normalizeTitle,
  type RotatedLinksResponse,
  readLinkedBoards,
  SHARE_LINK_KINDS,
} from '@common-ground/shared/board'
import { nextRetreatOf } from '@common-ground/shared/export'
import { DEFAULT_LOCALE, isLocale, type Locale, translate } from '@common-ground/shared/i18n'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import {
  ApiError,
  LOCALE_CHOICES,
  MAX_IMPORT_BODY,
  MAX_JSON_BODY,
  refusalOf,
  sendError,
  sizeText,
} from './apiErrors.ts'
import { accessOf, boardAccessParam, boardOf, requireFacilitator } from './boardAccess.ts'
import { createBoard, DEFAULT_TITLE } from './boards.ts'
import { calendarFeedRoutes } from './calendarFeed.ts'
import { type CreationLimiter, RateLimiter } from './limits.ts'
import type { Logger } from './log.ts'
import type { BoardCreationRefusal, Metrics } from './metrics.ts'
import {
  checkCreateBodySize,
  planExportRoutes,
  readPlanImport,
  readStoredBoard,
} from './planExport.ts'
import { boardLinks } from './shareLinks.ts'
import {
  BoardLimitError,
  type BoardLinkTokens,
  type BoardRecord,
  type BoardStore,
  StorageFullError,
} from './store/BoardStore.ts'

export interface ApiOptions {
  /** Boards and their links. */
  store: BoardStore
  log: Logger
  metrics?: Metrics
  /** Limits on `POST /api/boards`; unset or 0: none. */
  creation?: {
    /** Boards one remote address may create per hour (token bucket); more answer 429. */
    maxBoardsPerHourPerIp?: number
    /** Where those buckets are kept: in memory by default, PostgreSQL in cluster mode. */
    limiter?: CreationLimiter
    /** Boards the store may hold; past it, 507 `board_limit_reached`. */
    maxBoards?: number
  }
  /**
   * A board link's secret was replaced: whoever is connected with the old one must go. (A
   * replaced calendar key has nobody to let go: it opens no connection.)
   */
  onLinkRotated?(boardId: string, kind: LinkKind): void
  /**
   * Closes the board to edits or opens it again, as the server's own change to `meta` (clients
   * never write `meta`); resolves once it is stored and sent, rejects with
   * `ChangeNotStoredError` when the store failed.
   */
  setClosed?(boardId: string, closed: boolean): Promise<void>
  /**
   * Names the board's next retreat in its `meta` (the server's own change, like closing);
   * resolves once it is stored and sent.
   */
  setNextRetreat?(boardId: string, next: LinkedBoard): Promise<void>
}

export function createApi(options: ApiOptions): express.Router {
  const { store, log, metrics } = options
  const api = express.Router()

  // Every route with a board id checks the id, finds the board and resolves the caller's link
  // (`?token=` or `Authorization: Bearer`); handlers read `boardOf` and `accessOf`. Routes added
  // later get the same guard without asking for it.
  api.param('id', boardAccessParam(store))

  const refuseCreation = (
    status: number,
    code: BoardCreationRefusal,
    message: string,
  ): ApiError => {
    metrics?.boardCreationRefused(code)
    return new ApiError(status, code, message)
  }

  // Per remote address (the socket's: behind a reverse proxy everyone shares the proxy's), every
  // request counts, refused ones too, before its body is read.
  const perHour = options.creation?.maxBoardsPerHourPerIp ?? 0
  const limiter = perHour > 0 ? (options.creation?.limiter ?? new RateLimiter(perHour)) : null
  const limitCreation: RequestHandler = async (request, response, next) => {
    const waitMs = (await limiter?.take(request.socket.remoteAddress ?? 'unknown')) ?? 0
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      response.set('Retry-After', String(seconds))
      log.warn('board creation refused', {
        remote: request.socket.remoteAddress,
        reason: 'rate limited',
      })
      throw refuseCreation(
        429,
        'rate_limited',
        `Too many boards created from this address; try again in ${seconds} s.`,
      )
    }
    next()
  }

  // Counted by the store in the creating transaction: racing creations never pass it.
  const maxBoards = options.creation?.maxBoards ?? 0

  /** A new board, within `MAX_BOARDS` and the store's room. */
  const createWithinLimits = (init: Parameters<typeof createBoard>[1]) =>
    createBoard(store, init, { maxBoards }).catch((error: unknown) => {
      if (error instanceof BoardLimitError) {
        log.warn('board creation refused', { reason: 'board limit reached', maxBoards })
        throw refuseCreation(
          507,
          'board_limit_reached',
          'This server holds as many boards as it is configured for.',
        )
      }
      if (!(error instanceof StorageFullError)) throw error
      log.error('board creation refused', { reason: 'storage full', error })
      throw refuseCreation(507, 'storage_full', 'The server has no room left for a board.')
    })

  // One next retreat started at a time in this process, so a double click cannot pass the
  // "already has a next retreat" check twice.
  let startingNext: Promise<unknown> = Promise.resolve()
  const oneNextAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const result = startingNext.then(work)
    startingNext = result.catch(() => undefined)
    return result
  }

  api.post(
    '/boards',
    limitCreation,
    requireJsonBody,
    express.json({ limit: MAX_IMPORT_BODY }),
    async (request, response) => {
      const { title, template, locale } = readCreateRequest(request.body)
      // `{"plan": …}` imports an exported plan (checked whole before anything is created).
      const plan = readPlanImport(request.body)
      checkCreateBodySize(request, plan)
      const { board, tokens } = await createWithinLimits(
        plan
          ? { title: normalizeTitle(plan.title) ?? title, template: plan.template, locale, plan }
          : { title, template, locale },
      )
      metrics?.boardCreated()
      log.info('board created', { board: board.id, template: board.template })
      response.status(201).json({
        ...boardJson(board),
        role: 'facilitator',
        links: boardLinks(request, board.id, tokens),
        tokens,
      } satisfies CreatedBoardResponse)
    },
  )

  /**
   * The board's links for a facilitator's answer. A board made before calendar links gets its
   * calendar key here, the first time a facilitator's answer needs it (so it exists before anyone
   * can see it, and no start-up pass over every board is needed). With no room to store it (a
   * full disk) the answer goes without it rather than fail: the board still opens.
   */
  const linksOf = async (boardId: string): Promise<BoardLinkTokens | null> => {
    const tokens = await store.getLinks(boardId)
    if (!tokens || tokens.calendar) return tokens
    try {
      const calendar = await store.ensureCalendarKey(boardId, newLinkToken())
      if (calendar) log.info('calendar link created', { board: boardId })
      return calendar ? { ...tokens, calendar } : tokens
    } catch (error) {
      if (!(error instanceof StorageFullError)) throw error
      log.warn('calendar link not created', { board: boardId, reason: 'storage full' })
      return tokens
    }
  }

  // Calendar apps fetch the plan's due dates with any key of the board, the calendar's too.
  api.use(calendarFeedRoutes({ store, log }))

  // Facilitators also get the links to share (on any device they open the board with).
  api.get('/boards/:id', async (request, response) => {
    const board = boardOf(response)
    const access = accessOf(response)
    const tokens = canFacilitate(access.role) ? await linksOf(board.id) : null
    response.set('Cache-Control', 'no-store').json({
      ...boardJson(board),
      role: access.role,
      ...(tokens ? { links: boardLinks(request, board.id, tokens), tokens } : {}),
    } satisfies BoardAccessSummary)
  })

  api.post('/boards/:id/links/:kind/rotate', async (request, response) => {
    const board = boardOf(response)
    requireFacilitator(accessOf(response))
    const kind = request.params.kind
    if (!isShareLinkKind(kind)) {
      throw new ApiError(
        400,
        'invalid_link_kind',
        `The link must be one of: ${SHARE_LINK_KINDS.join(', ')}.`,
      )
    }
    if (!(await store.rotateLink(board.id, kind, newLinkToken()))) {
      throw new ApiError(
        409,
        'open_board',
        'This board has no links to replace (give it links with pnpm board-links).',
      )
    }
    log.info('link rotated', { board: board.id, kind })
    if (isLinkKind(kind)) options.onLinkRotated?.(board.id, kind)
    const tokens = (await linksOf(board.id)) as BoardLinkTokens
    response.json({
      links: boardLinks(request, board.id, tokens),
      tokens,
    } satisfies RotatedLinksResponse)
  })

  api.post(
    '/boards/:id/closed',
    requireJsonBody,
    express.json({ limit: 1024 }),
    async (request, response) => {
      const board = boardOf(response)
      requireFacilitator(accessOf(response))
      const closed = (request.body as { closed?: unknown } | null)?.closed
      if (typeof closed !== 'boolean') {
        throw new ApiError(400, 'invalid_closed', 'Send {"closed": true} or {"closed": false}.')
      }
      if (!options.setClosed)
        throw new ApiError(501, 'not_supported', 'Closing boards is not set up.')
      await options.setClosed(board.id, closed)
      log.info(closed ? 'board closed to edits' : 'board reopened', { board: board.id })
      response.json({ closed } satisfies BoardClosedResponse)
    },
  )

  // "Start the next retreat from this plan": a new board seeded with the partners, the open steps
  // and the evaluation plan (shared `nextRetreatOf`), linked both ways. Facilitators only, checked
  // before the address's creation budget is spent; one next retreat per board.
  api.post(
    '/boards/:id/next-retreat',
    (_request, response, next) => {
      requireFacilitator(accessOf(response))
      next()
    },
    limitCreation,
    requireJsonBody,
    express.json({ limit: MAX_JSON_BODY }),
    async (request, response) => {
      const previous = boardOf(response)
      const setNextRetreat = options.setNextRetreat
      if (!setNextRetreat)
        throw new ApiError(501, 'not_supported', 'Starting a next retreat is not set up.')
      // `{title?, locale?}`: the new board's title ("<title> (next retreat)" in `locale` when
      // none is given) and the language of its stage titles and prompts.
      const { title: askedTitle, locale } = readCreateRequest(request.body)
      const rawTitle = (request.body as { title?: unknown } | undefined)?.title
      const title =
        rawTitle === undefined || rawTitle === null
          ? (normalizeTitle(
              translate(locale, 'nextRetreat.defaultTitle', { title: previous.title }).slice(
                0,
                MAX_TITLE_LENGTH,
              ),
            ) ?? previous.title)
          : askedTitle
      const previousRetreat = {
        id: previous.id,
        title: previous.title,
        createdAt: previous.createdAt,
      }
      const { board, tokens } = await oneNextAtATime(async () => {
        const seed = await readStoredBoard(store, previous, log, (doc) => {
          const already = readLinkedBoards(doc).next
          if (already) {
            throw new ApiError(
              409,
              'next_retreat_exists',
              `This board's next retreat is already the board ${already.id} (“${already.title}”).`,
            )
          }
          return nextRetreatOf(doc, { title })
        })
        const created = await createWithinLimits({
          title,
          template: previous.template,
          locale,
          plan: seed.plan,
          entries: seed.entries,
          previousRetreat,
        })
        await setNextRetreat(previous.id, {
          id: created.board.id,
          title: created.board.title,
          createdAt: created.board.createdAt,
        })
        if (seed.leftBehind.length > 0)
          log.warn('next retreat: entries left behind', {
            board: previous.id,
            keys: seed.leftBehind,
          })
        return created
      })
      metrics?.boardCreated()
      log.info('next retreat started', { board: board.id, previous: previous.id })
      response.status(201).json({
        ...boardJson(board),
        role: 'facilitator',
        links: boardLinks(request, board.id, tokens),
        tokens,
        previousRetreat,
      } satisfies NextRetreatResponse)
    },
  )

  planExportRoutes(api, { store, log })

  api.use((_request, _response) => {
    throw new ApiError(404, 'not_found', 'No such API endpoint.')
  })

  const handleErrors: ErrorRequestHandler = (error, _request, response, _next) => {
    sendError(response, toApiError(error, log))
  }
  api.use(handleErrors)
  return api
}

function boardJson(board: BoardRecord): BoardSummary {
  return { id: board.id, title: board.title, template: board.template, createdAt: board.createdAt }
}

function readCreateRequest(body: unknown): {
  title: string
  template: BoardTemplate
  locale: Locale
} {
  // No body at all is an empty request: every field is optional.
  const fields = body === undefined ? {} : body
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new ApiError(400, 'invalid_json', 'The body must be a JSON object.')
  }
  const {
    title: rawTitle,
    template: rawTemplate,
    locale: rawLocale,
  } = fields as Record<string, unknown>
  const title =
    rawTitle === undefined || rawTitle === null ? DEFAULT_TITLE : normalizeTitle(rawTitle)
  if (title === null) {
    throw new ApiError(
      400,
      'invalid_title',
      `The title must be text of 1 to ${MAX_TITLE_LENGTH} characters.`,
    )
  }
  const template = rawTemplate === undefined || rawTemplate === null ? 'blank' : rawTemplate
  if (!BOARD_TEMPLATES.includes(template as BoardTemplate)) {
    throw new ApiError(
      400,
      'invalid_template',
      `The template must be one of: ${BOARD_TEMPLATES.join(', ')}.`,
    )
  }
  // The language of the template's stage titles and prompts.
  const locale = rawLocale === undefined || rawLocale === null ? DEFAULT_LOCALE : rawLocale
  if (!isLocale(locale)) {
    throw new ApiError(400, 'invalid_locale', `The locale must be ${LOCALE_CHOICES}.`)
  }
  return { title, template: template as BoardTemplate, locale }
}

/** A body, when there is one, must be JSON; an empty POST is fine. */
const requireJsonBody: RequestHandler = (request, _response, next) => {
  const length = request.get('content-length')
  const hasBody =
    request.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0')
  if (hasBody && !request.is('application/json')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.')
  }
  next()
}

/** What a failed request answers: its refusal, else a logged 500. */
function toApiError(error: unknown, log: Logger): ApiError {
  const refusal = refusalOf(
    error,
    `${sizeText(MAX_JSON_BODY)} (${sizeText(MAX_IMPORT_BODY)} with a plan to import)`,
  )
  if (refusal) return refusal
  log.error('request failed', { error })
  return new ApiError(500, 'internal_error', 'Something went wrong on the server.')
}
