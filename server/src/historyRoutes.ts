/**
 * The versions of a board over HTTP: `GET/POST /api/boards/:id/versions`,
 * `GET /api/boards/:id/versions/:vid` (the version's records and derived plan) and
 * `POST /api/boards/:id/versions/:vid/restore`. Mounted under /api before the board API. The
 * versions themselves are `History` (`history.ts`); this router reads requests, checks who may
 * do what (any key of the board reads, a facilitator's changes) and shapes the answers.
 */
import { MAX_TITLE_LENGTH, normalizeTitle, readRecords } from '@common-ground/shared/board'
import { derivePlan } from '@common-ground/shared/plan'
import express, { type ErrorRequestHandler, type Request, type Response } from 'express'
import { ApiError, MAX_JSON_BODY, refusalOf, sendError, sizeText } from './apiErrors.ts'
import { accessOf, boardAccessParam, boardOf, requireFacilitator } from './boardAccess.ts'
import type { History } from './history.ts'
import type { Logger } from './log.ts'
import { exportLocale } from './planExport.ts'
import type { BoardStore, VersionInfo } from './store/BoardStore.ts'

function versionJson(info: VersionInfo) {
  return {
    id: info.id,
    name: info.name,
    auto: info.auto,
    createdAt: info.createdAt,
    bytes: info.bytes,
  }
}

const versionNotFound = () =>
  new ApiError(404, 'version_not_found', 'This board has no such version.')

export function createHistoryRouter(options: {
  history: History
  store: BoardStore
  log: Logger
}): express.Router {
  const { history, store, log } = options
  const router = express.Router()

  // The same guard as the board API: a key of the board to read it, a facilitator's to change it.
  router.param('id', boardAccessParam(store))
  const boardId = (response: Response, change = false): string => {
    if (change) requireFacilitator(accessOf(response))
    return boardOf(response).id
  }
  const versionId = (request: Request): number => {
    const raw = String(request.params.vid)
    const id = Number(raw)
    if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
      throw new ApiError(400, 'invalid_version_id', 'Version ids are positive integers.')
    }
    return id
  }

  router.get('/boards/:id/versions', async (_request, response) => {
    const versions = await store.listVersions(boardId(response))
    response.set('Cache-Control', 'no-store').json({ versions: versions.map(versionJson) })
  })

  router.post(
    '/boards/:id/versions',
    express.json({ limit: MAX_JSON_BODY }),
    async (request, response) => {
      const id = boardId(response, true)
      const body: unknown = request.body
      const name = normalizeTitle((body as { name?: unknown } | undefined)?.name)
      if (name === null) {
        throw new ApiError(
          400,
          'invalid_name',
          `The name must be text of 1 to ${MAX_TITLE_LENGTH} characters.`,
        )
      }
      const version = await history.save(id, name)
      log.info('version saved', { board: id, version: version.id })
      response.status(201).json(versionJson(version))
    },
  )

  router.get('/boards/:id/versions/:vid', async (request, response) => {
    const id = boardId(response)
    const locale = exportLocale(request)
    const version = await history.versionDoc(id, versionId(request))
    if (!version) throw versionNotFound()
    const { info, doc } = version
    try {
      const records = [...readRecords(doc).values()].sort((a, b) => (a.id < b.id ? -1 : 1))
      const plan = derivePlan(doc, { locale })
      response.set('Cache-Control', 'no-store').json({ ...versionJson(info), records, plan })
    } finally {
      doc.destroy()
    }
  })

  router.post('/boards/:id/versions/:vid/restore', async (request, response) => {
    const id = boardId(response, true)
    const result = await history.restore(id, versionId(request))
    if (!result) throw versionNotFound()
    response.json({ changed: result.changed, savedBefore: versionJson(result.savedBefore) })
  })

  // Refusals answer as the API's do; anything else goes on to the app's error handler.
  const handleErrors: ErrorRequestHandler = (error, _request, response, next) => {
    const refusal = refusalOf(error, sizeText(MAX_JSON_BODY))
    if (refusal) return sendError(response, refusal)
    next(error)
  }
  router.use(handleErrors)
  return router
}
