/**
 * Which device each Yjs client id of a board belongs to. A client id is the device's that first
 * used it (in an update or in presence); from then on only that device may send structs, GC
 * ranges or presence under it. This is what stops a view link from filling a victim's next
 * clocks with garbage (their offline edits would then never arrive anywhere) or rewriting
 * someone else's presence. A reopened tab of the same device presents the same device secret, so
 * it can still send the offline edits it kept in IndexedDB.
 */
import type { ConnectionInfo } from './hooks.ts'

/** `connection.context` key the access hooks fill with the device key of a connection. */
export const DEVICE = 'device'

/**
 * The device a connection speaks for. Connections that present a device secret share it across
 * tabs and reconnects; one without a secret is a device of its own for as long as it lasts.
 */
export function deviceOf(connection: ConnectionInfo): string {
  const device = connection.context[DEVICE]
  return typeof device === 'string' ? device : `connection:${connection.id}`
}

/**
 * A connection without a device secret is a device only while it lasts: its claims are kept in
 * memory, never stored (connection numbers start again after a restart), and released when it
 * leaves. Tools and stock y-websocket clients connect this way; the app always sends a secret.
 */
export function isConnectionDevice(device: string): boolean {
  return CONNECTION_DEVICE.test(device)
}

const CONNECTION_DEVICE = /^connection:\d+$/

export class ClientOwners {
  readonly #owners: Map<number, string>
  /** Claims made since the last `takeFresh()`, not yet in the store. */
  #fresh: Array<[number, string]> = []

  constructor(stored: Iterable<readonly [number, string]> = []) {
    this.#owners = new Map(stored as Iterable<[number, string]>)
  }

  ownerOf(client: number): string | undefined {
    return this.#owners.get(client)
  }

  /** Whether `device` may use `client` without claiming it (it already does). */
  owns(client: number, device: string): boolean {
    return this.#owners.get(client) === device
  }

  /** True when `client` is (now) `device`'s: claimed by it before, or free and claimed here. */
  claim(client: number, device: string): boolean {
    const owner = this.#owners.get(client)
    if (owner !== undefined) return owner === device
    this.#owners.set(client, device)
    if (!isConnectionDevice(device)) this.#fresh.push([client, device])
    return true
  }

  /** Frees the client ids of a connection without a device secret that went away. */
  release(device: string): void {
    if (!isConnectionDevice(device)) return
    for (const [client, owner] of this.#owners) if (owner === device) this.#owners.delete(client)
  }

  /** The claims to store with the next commit. */
  takeFresh(): Array<[number, string]> {
    const fresh = this.#fresh
    this.#fresh = []
    return fresh
  }

  get size(): number {
    return this.#owners.size
  }
}
