/**
 * Links that work beyond this computer. A page opened at 127.0.0.1 (or `localhost`) hands out
 * links with that address, which on a phone or another laptop means that device itself: they
 * open nothing. The server says its LAN addresses (`GET /api/server`); the same link at one of
 * them works for everyone on the venue's network.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/**
 * A host that means "this computer": 127.0.0.0/8, `::1` (bracketed or not, also IPv4-mapped),
 * `localhost` and its subdomains. `host` is a URL's hostname or an address, without a port.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true
  const v4 = IPV4.exec(name.replace(/^::ffff:/, ''))
  return v4 !== null && v4[1] === '127' && v4.slice(2).every((part) => Number(part) <= 255)
}

/**
 * The same link (path, query and the `#key=` fragment) at `http://<address>:<port>`: what
 * people on the network open. `address` is an IPv4 address (the server serves plain HTTP).
 */
export function linkAtAddress(link: string, address: string, port: number): string {
  const url = new URL(link)
  url.protocol = 'http:'
  url.hostname = address
  url.port = String(port)
  return url.href
}
