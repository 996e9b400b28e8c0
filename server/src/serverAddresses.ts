/**
 * `GET /api/server`: the addresses people on the venue's network can open this server at. A
 * facilitator who opened the app at 127.0.0.1 hands out links that open nothing on a phone; the
 * Share dialog asks here for the LAN address to use instead (README, "Serving a venue LAN").
 */
import { isIPv4 } from 'node:net'
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os'
import { isLoopbackHost, type ServerAddressesResponse } from '@common-ground/shared/board'
import type { RequestHandler } from 'express'

/** Where the HTTP server listens (`server.address()`), null before it does. */
export type ListeningOn = () => { address: string; port: number } | null

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

/** `0.0.0.0` or `::`: every interface. */
function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0'
}

/** Private ranges first (192.168, 10, 172.16–31), then other addresses, link-local last. */
function rank(address: string): number {
  const [a = 0, b = 0] = address.split('.').map(Number)
  if (a === 192 && b === 168) return 0
  if (a === 10) return 1
  if (a === 172 && b >= 16 && b <= 31) return 2
  if (a === 169 && b === 254) return 4
  return 3
}

/**
 * The IPv4 addresses of this machine that a server bound to `bound` accepts connections on from
 * other devices: none when bound to loopback, the bound address itself when bound to one, every
 * non-internal IPv4 interface (most likely LAN first) when bound to all.
 */
export function lanAddressesOf(
  bound: string,
  interfaces: Interfaces = networkInterfaces(),
): string[] {
  if (isLoopbackHost(bound)) return []
  if (!isUnspecified(bound)) {
    const v4 = bound.replace(/^::ffff:/, '')
    return isIPv4(v4) ? [v4] : []
  }
  const found = new Set<string>()
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.internal || !isIPv4(entry.address) || isLoopbackHost(entry.address)) continue
      found.add(entry.address)
    }
  }
  // A stable sort keeps the system's interface order within a rank.
  return [...found].sort((x, y) => rank(x) - rank(y))
}

/**
 * The handler. The addresses go only to requests addressed to a loopback host: the page that
 * needs them is on this computer, and a public deployment behind a proxy keeps them to itself.
 */
export function serverAddresses(listeningOn: ListeningOn): RequestHandler {
  return (request, response) => {
    const listening = listeningOn()
    const bound = listening?.address ?? ''
    const host = (request.get('host') ?? '').replace(/:\d+$/, '')
    response.set('Cache-Control', 'no-store').json({
      lanAddresses: isLoopbackHost(host) ? lanAddressesOf(bound) : [],
      port: listening?.port ?? 0,
      loopbackOnly: isLoopbackHost(bound),
    } satisfies ServerAddressesResponse)
  }
}
