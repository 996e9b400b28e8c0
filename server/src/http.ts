/**
 * The HTTP side as one express app: health check, clock, metrics, the routers under /api (the
 * versions before the board API, whose 404 closes /api) and the built client (static files plus
 * the SPA routes). It only assembles; each router keeps its own routes and refusals.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import express, { type ErrorRequestHandler, type Response } from 'express'
import { type ApiOptions, createApi } from './api.ts'
import type { Metrics } from './metrics.ts'
import { securityHeaders } from './security.ts'
import { type ListeningOn, serverAddresses } from './serverAddresses.ts'

export interface HttpAppOptions extends ApiOptions {
  /** Directory of the built client (index.html, assets/). */
  clientDist: string
  /** Served at `GET /metrics` (Prometheus text format) when given. */
  metrics?: Metrics
  /** Board versions under /api (see historyRoutes.ts), before the main API. */
  history?: express.Router
  /** Where the server listens, for `GET /api/server` (its LAN addresses); unset: no such route. */
  listeningOn?: ListeningOn
}

/** Vite fingerprints everything under /assets: such a file never changes under its name. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Everything else (index.html above all) is revalidated, so a new build shows up at once. */
const REVALIDATE = 'no-cache'

export function createHttpApp(options: HttpAppOptions): express.Express {
  const { log, clientDist } = options
  const app = express()
  app.disable('x-powered-by')
  app.use(securityHeaders)

  app.get('/healthz', (_request, response) => {
    response.set('Cache-Control', 'no-store').json({ ok: true })
  })

  // The server's clock, for shared countdowns: clients time a few round trips and keep the best
  // (see client/src/sync/serverClock.ts). Outside the board API: it names no board.
  app.get('/api/time', (_request, response) => {
    response.set('Cache-Control', 'no-store').json({ now: Date.now() })
  })

  // Where people on the venue's network reach this server (the Share dialog of a page opened at
  // 127.0.0.1 offers links at the LAN address instead). Outside the board API: it names no board.
  if (options.listeningOn) app.get('/api/server', serverAddresses(options.listeningOn))

  const { metrics } = options
  if (metrics) {
    app.get('/metrics', async (_request, response) => {
      const text = await metrics.render()
      response.set('Cache-Control', 'no-store').type(metrics.contentType).send(text)
    })
  }

  if (options.history) app.use('/api', options.history)
  app.use('/api', createApi(options))

  const assetsDir = path.join(clientDist, 'assets')
  app.use(
    express.static(clientDist, {
      index: false,
      setHeaders(response, file) {
        const immutable = file.startsWith(assetsDir + path.sep)
        response.setHeader('Cache-Control', immutable ? IMMUTABLE : REVALIDATE)
      },
    }),
  )

  const indexFile = path.join(clientDist, 'index.html')
  const sendIndex = (response: Response) => {
    if (!existsSync(indexFile)) {
      response
        .status(503)
        .type('text/plain')
        .send('Common Ground: client not built: run pnpm build\n')
      return
    }
    response.set('Cache-Control', REVALIDATE).sendFile(indexFile)
  }
  // The single-page app's routes; the client reads the board id from the path.
  app.get('/', (_request, response) => sendIndex(response))
  app.get('/b/:id', (_request, response) => sendIndex(response))
  app.get('/b/:id/progress', (_request, response) => sendIndex(response))

  app.use((_request, response) => {
    response.status(404).type('text/plain').send('Not found\n')
  })

  const handleErrors: ErrorRequestHandler = (error, request, response, _next) => {
    const status = Number((error as { status?: unknown }).status)
    if (status >= 400 && status < 500) {
      response.status(status).type('text/plain').send(`${status}\n`)
      return
    }
    log.error('request failed', { method: request.method, path: request.path, error })
    if (!response.headersSent) response.status(500).type('text/plain').send('Internal error\n')
  }
  app.use(handleErrors)
  return app
}
