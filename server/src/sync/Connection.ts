/**
 * One client's connection to one board, independent of the WebSocket library so the room logic
 * can be tested with plain objects.
 */
import { ReplyBudget } from '../limits.ts'
import type { ConnectionInfo } from './hooks.ts'

/** The little the core needs from a socket. */
export interface Socket {
  readonly isOpen: boolean
  send(data: Uint8Array): void
  close(code: number, reason: string): void
}

let nextId = 1

export class Connection implements ConnectionInfo {
  readonly id = nextId++
  readonly boardId: string
  readonly remoteAddress: string
  readonly params: URLSearchParams
  readonly context: Record<string, unknown> = {}
  /** Awareness client ids this connection announced; removed for everyone when it closes. */
  readonly awarenessIds = new Set<number>()
  /** How many of its updates were refused (a view link that insists is closed). */
  refusals = 0
  /** What its sync step 1 and awareness queries may still make the server send. */
  readonly replies = new ReplyBudget()
  #socket: Socket
  #closed = false

  constructor(
    socket: Socket,
    init: { boardId: string; remoteAddress: string; params?: URLSearchParams },
  ) {
    this.#socket = socket
    this.boardId = init.boardId
    this.remoteAddress = init.remoteAddress
    this.params = init.params ?? new URLSearchParams()
  }

  /** True once either side started closing: nothing more is read from or sent to it. */
  get closed(): boolean {
    return this.#closed || !this.#socket.isOpen
  }

  send(data: Uint8Array): void {
    if (!this.closed) this.#socket.send(data)
  }

  close(code: number, reason: string): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#socket.isOpen) this.#socket.close(code, reason)
  }

  /** The socket went away on its own. */
  markClosed(): void {
    this.#closed = true
  }
}
