/**
 * `GET /api/server` on a real server process: where people on the venue's network reach it. The
 * Share dialog of a page opened at 127.0.0.1 rewrites its links to one of these addresses.
 */
import { request as httpRequest } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { ServerAddressesResponse } from '@common-ground/shared/board'
import { describe, expect, it } from 'vitest'
import { useServer } from '../support/session.ts'

/** A GET with a Host header of our choosing (fetch does not let one be set). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end()
  })
}

/** What the machine running the tests has: its non-internal IPv4 addresses. */
const machineLanAddresses = Object.values(networkInterfaces())
  .flatMap((entries) => entries ?? [])
  .filter(
    (entry) => !entry.internal && entry.family === 'IPv4' && !entry.address.startsWith('127.'),
  )
  .map((entry) => entry.address)

describe('a server on loopback only (HOST=127.0.0.1, the default)', () => {
  const session = useServer()

  it('says nobody else can reach it, and on which port it listens', async () => {
    const response = await fetch(`${session.server.url}/api/server`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({
      lanAddresses: [],
      port: session.server.port,
      loopbackOnly: true,
    } satisfies ServerAddressesResponse)
  })
})

describe('a server on every interface (HOST=0.0.0.0, a venue LAN)', () => {
  const session = useServer({ env: { HOST: '0.0.0.0' } })
  const local = () => `http://127.0.0.1:${session.server.port}`

  it("lists the machine's LAN addresses to a page on this computer", async () => {
    const answer = (await (await fetch(`${local()}/api/server`)).json()) as ServerAddressesResponse
    expect(answer.loopbackOnly).toBe(false)
    expect(answer.port).toBe(session.server.port)
    expect([...answer.lanAddresses].sort()).toEqual([...new Set(machineLanAddresses)].sort())
    // A link at each of them reaches this very server.
    for (const address of answer.lanAddresses) {
      const health = await fetch(`http://${address}:${answer.port}/healthz`)
      expect(health.status, address).toBe(200)
    }
  })

  it('answers the same at localhost and [::1] names', async () => {
    for (const host of [`localhost:${session.server.port}`, `[::1]:${session.server.port}`]) {
      const { status, body } = await getWithHost(`${local()}/api/server`, host)
      expect(status).toBe(200)
      expect((JSON.parse(body) as ServerAddressesResponse).lanAddresses.sort(), host).toEqual(
        [...new Set(machineLanAddresses)].sort(),
      )
    }
  })

  it('keeps its addresses to itself for a request addressed to another host', async () => {
    for (const host of ['retreat.example.org', `192.168.1.20:${session.server.port}`]) {
      const { status, body } = await getWithHost(`${local()}/api/server`, host)
      expect(status).toBe(200)
      expect(JSON.parse(body), host).toEqual({
        lanAddresses: [],
        port: session.server.port,
        loopbackOnly: false,
      })
    }
  })
})
