/**
 * The HTTP contract of a real server process: health, board creation and lookup with every
 * documented error, the static client with its cache and security headers.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import path from 'node:path'
import { readBoardMeta } from '@common-ground/shared/board'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeDataDir,
  type RunningServer,
  removeDataDir,
  startServer,
  withServer,
} from '../support/server.ts'
import { connectClient } from '../support/yclient.ts'

let server: RunningServer
let clientDist: string

beforeAll(async () => {
  // A stand-in for the built client, so these tests do not depend on `pnpm build`.
  clientDist = await makeDataDir()
  await mkdir(path.join(clientDist, 'assets'))
  await writeFile(
    path.join(clientDist, 'index.html'),
    '<!doctype html><title>Common Ground</title>',
  )
  await writeFile(path.join(clientDist, 'assets', 'index-AbC123.js'), 'console.log(1)')
  await writeFile(path.join(clientDist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  server = await startServer({ env: { CLIENT_DIST: clientDist } })
})

afterAll(async () => {
  await server?.stop()
  await removeDataDir(server.dataDir)
  await removeDataDir(clientDist)
})

const post = (body: BodyInit | undefined, contentType: string | null = 'application/json') =>
  fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    ...(body === undefined ? {} : { body }),
  })

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as { error: { code: string; message: string } }
  expect(body.error.message).toEqual(expect.any(String))
  return { status: response.status, code: body.error.code }
}

describe('HTTP API', () => {
  it('answers the health check', async () => {
    const response = await fetch(`${server.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('creates a board with shareable links and returns its metadata', async () => {
    const response = await post(
      JSON.stringify({ title: '  Eastside   retreat ', template: 'retreat' }),
    )
    expect(response.status).toBe(201)
    const created = (await response.json()) as Record<string, unknown> & {
      id: string
      tokens: Record<'facilitate' | 'edit' | 'view' | 'calendar', string>
    }
    const token = expect.stringMatching(/^[A-Za-z0-9_-]{32}$/)
    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      title: 'Eastside retreat',
      template: 'retreat',
      createdAt: expect.any(Number),
      role: 'facilitator',
      tokens: { facilitate: token, edit: token, view: token, calendar: token },
      links: {
        facilitate: `${server.url}/b/${created.id}#key=${created.tokens.facilitate}`,
        edit: `${server.url}/b/${created.id}#key=${created.tokens.edit}`,
        view: `${server.url}/b/${created.id}#key=${created.tokens.view}`,
        sync: `${server.wsUrl}/sync/${created.id}`,
        calendar: `${server.url}/api/boards/${created.id}/calendar.ics?token=${created.tokens.calendar}`,
      },
    })
    expect(new Set(Object.values(created.tokens)).size).toBe(4)

    // Reading it takes one of its keys; only a facilitator is given the links again.
    const { links, tokens, role: _role, ...meta } = created
    const read = (token?: string) =>
      fetch(`${server.url}/api/boards/${created.id}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    expect(await errorOf(await read())).toEqual({ status: 401, code: 'link_required' })
    expect(await errorOf(await read('x'.repeat(32)))).toEqual({ status: 403, code: 'invalid_link' })
    expect(await (await read(tokens.facilitate)).json()).toEqual({
      ...meta,
      role: 'facilitator',
      links,
      tokens,
    })
    expect(await (await read(tokens.edit)).json()).toEqual({ ...meta, role: 'participant' })
    const viaQuery = await fetch(`${server.url}/api/boards/${created.id}?token=${tokens.view}`)
    expect(await viaQuery.json()).toEqual({ ...meta, role: 'observer' })

    // The board is seeded: a client on the sync link gets its metadata.
    const client = connectClient(server.wsUrl, created.id, { params: { token: tokens.edit } })
    try {
      await client.whenSynced()
      expect(readBoardMeta(client.doc)).toMatchObject({
        title: 'Eastside retreat',
        template: 'retreat',
      })
    } finally {
      client.destroy()
    }
  })

  it('defaults the title and template, also for an empty POST', async () => {
    for (const response of [await post(undefined, null), await post('{}')]) {
      expect(response.status).toBe(201)
      expect(await response.json()).toMatchObject({ title: 'Untitled board', template: 'blank' })
    }
  })

  it('builds the links from the Host the request came to', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        `${server.url}/api/boards`,
        {
          method: 'POST',
          headers: { host: 'retreat.local:8080', 'content-type': 'application/json' },
        },
        (response) => {
          let text = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => {
            text += chunk
          })
          response.on('end', () => resolve(text))
        },
      )
      request.on('error', reject)
      request.end('{}')
    })
    const { id, links, tokens } = JSON.parse(body) as {
      id: string
      links: Record<string, string>
      tokens: Record<string, string>
    }
    expect(links).toEqual({
      facilitate: `http://retreat.local:8080/b/${id}#key=${tokens.facilitate}`,
      edit: `http://retreat.local:8080/b/${id}#key=${tokens.edit}`,
      view: `http://retreat.local:8080/b/${id}#key=${tokens.view}`,
      sync: `ws://retreat.local:8080/sync/${id}`,
      calendar: `http://retreat.local:8080/api/boards/${id}/calendar.ics?token=${tokens.calendar}`,
    })
  })

  it.each([
    ['malformed JSON', '{"title": ', 'application/json', 400, 'invalid_json'],
    ['a JSON array', '[]', 'application/json', 400, 'invalid_json'],
    ['a blank title', '{"title": "   "}', 'application/json', 400, 'invalid_title'],
    ['a numeric title', '{"title": 42}', 'application/json', 400, 'invalid_title'],
    [
      'an overlong title',
      JSON.stringify({ title: 'x'.repeat(201) }),
      'application/json',
      400,
      'invalid_title',
    ],
    ['an unknown template', '{"template": "party"}', 'application/json', 400, 'invalid_template'],
    [
      'a body over 16 KiB',
      JSON.stringify({ title: 'x', pad: 'y'.repeat(17 * 1024) }),
      'application/json',
      413,
      'payload_too_large',
    ],
    ['a text body', 'title=x', 'text/plain', 415, 'unsupported_media_type'],
    ['a form body', 'title=x', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ])('refuses %s on create', async (_case, body, contentType, status, code) => {
    expect(await errorOf(await post(body, contentType))).toEqual({ status, code })
  })

  it.each([
    ['/api/boards/short', 400, 'invalid_board_id'],
    [`/api/boards/${'x'.repeat(65)}`, 400, 'invalid_board_id'],
    ['/api/boards/bad%20id%20here', 400, 'invalid_board_id'],
    ['/api/boards/NoSuchBoard123', 404, 'board_not_found'],
    ['/api/nothing-here', 404, 'not_found'],
    ['/api/boards/NoSuchBoard123/extra', 404, 'not_found'],
  ])('answers GET %s with %i %s', async (url, status, code) => {
    expect(await errorOf(await fetch(`${server.url}${url}`))).toEqual({ status, code })
  })
})

describe('static client', () => {
  it('serves the app on /, /b/:id and /b/:id/progress without caching index.html', async () => {
    for (const url of ['/', '/b/SomeBoard123', '/b/SomeBoard123/progress']) {
      const response = await fetch(`${server.url}${url}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.headers.get('cache-control')).toBe('no-cache')
      expect(await response.text()).toContain('<title>Common Ground</title>')
    }
  })

  it('caches fingerprinted assets for good and revalidates other files', async () => {
    const asset = await fetch(`${server.url}/assets/index-AbC123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const icon = await fetch(`${server.url}/favicon.svg`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('cache-control')).toBe('no-cache')
  })

  it('sends security headers with every response', async () => {
    for (const url of ['/', '/healthz', '/api/boards/NoSuchBoard123', '/nope']) {
      const response = await fetch(`${server.url}${url}`)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toMatch(/(^|; )connect-src 'self'[^;]*/) // same-origin sync and API
      expect(csp).toContain("worker-src 'self' blob:")
      expect(response.headers.get('x-powered-by')).toBeNull()
    }
  })

  it('answers unknown paths with a short 404 page', async () => {
    for (const url of ['/nope', '/b/one/two', '/assets/missing.js']) {
      const response = await fetch(`${server.url}${url}`)
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    }
  })

  it('says how to build the client when it is missing', async () => {
    const empty = await makeDataDir()
    try {
      await withServer(
        async (bare) => {
          const response = await fetch(`${bare.url}/`)
          expect(response.status).toBe(503)
          expect(await response.text()).toContain('client not built: run pnpm build')
          expect((await fetch(`${bare.url}/healthz`)).status).toBe(200)
        },
        { env: { CLIENT_DIST: empty } },
      )
    } finally {
      await removeDataDir(empty)
    }
  })
})
