/**
 * Node Yjs clients speaking to the server exactly as the browser app does: y-websocket's
 * WebsocketProvider (with `ws` as the WebSocket) and the shared board layout.
 */
import {
  type BoardDoc,
  MESSAGE_BALLOT,
  MESSAGE_NOTICE,
  MESSAGE_PRIVATE_NOTE,
  newParticipantSecret,
  openBoardDoc,
} from '@common-ground/shared/board'
import type { PrivateNoteRequest } from '@common-ground/shared/facilitation'
import type { DotRequest } from '@common-ground/shared/vote'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { tokensOf } from './boards.ts'

export interface YClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** The board view (YKeyValue records + meta) of `doc`. */
  board: BoardDoc
  /** The server's JSON notices to this client, oldest first. */
  notices: unknown[]
  /** Resolves once the provider has synced with the server (again, after a reconnect). */
  whenSynced(timeoutMs?: number): Promise<void>
  /**
   * Sends one dot request to the server's ballot box (`MESSAGE_BALLOT`, JSON), as the app does;
   * the answer arrives in `notices` (`kind: 'ballot'`).
   */
  sendDot(request: DotRequest): void
  /**
   * Sends one of this person's private notes to the server (`MESSAGE_PRIVATE_NOTE`, JSON), as
   * the app does; the answer arrives in `notices` (`kind: 'private-note'`).
   */
  sendPrivateNote(request: PrivateNoteRequest): void
  /** Disconnects for good and frees the doc. */
  destroy(): void
}

export interface ConnectOptions {
  /** Start from an existing doc (e.g. to keep local state). */
  doc?: Y.Doc
  /**
   * Query parameters (credentials travel here). Defaults to the facilitate key of a board the
   * tests created over HTTP (see boards.ts).
   */
  params?: Record<string, string>
  /** Defaults to true. */
  connect?: boolean
  /**
   * Load the board afresh when the server refuses a change (its notice says `resync`), as the app
   * does. Defaults to true; false plays a client that insists.
   */
  reloadOnRefusal?: boolean
}

/**
 * In Node, every y-websocket provider listens for the process's `exit` (to tell its peers it
 * left) until it is destroyed, and tests hold dozens of clients at once: without this, Node
 * warns of a listener leak (MaxListenersExceededWarning) that is none.
 */
function roomForExitListener(): void {
  const listening = process.listenerCount('exit')
  if (listening >= process.getMaxListeners()) process.setMaxListeners(listening + 10)
}

/** `serverWsUrl` is the server's ws origin, e.g. `ws://127.0.0.1:1234`. */
export function connectClient(
  serverWsUrl: string,
  boardId: string,
  options: ConnectOptions = {},
): YClient {
  const params = options.params ?? defaultParams(boardId, options.doc)
  // The server's notices (message type 100, e.g. "your change was refused"): tests read them here
  // instead of y-websocket logging "Unable to compute message".
  const notices: unknown[] = []
  let doc = options.doc ?? new Y.Doc()
  let board = openBoardDoc(doc)
  let destroyed = false
  const keepSecret = () => {
    if (params.participant) deviceSecrets.set(doc, params.participant)
  }
  keepSecret()
  const open = (connect: boolean) => {
    roomForExitListener()
    const provider = new WebsocketProvider(`${serverWsUrl}/sync`, boardId, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params,
      connect,
      // Node has a global BroadcastChannel: without this, clients in one test process would sync
      // with each other directly and hide what the server does.
      disableBc: true,
      maxBackoffTime: 500,
    })
    provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
      const notice = JSON.parse(decoding.readVarString(decoder)) as { resync?: boolean }
      notices.push(notice)
      // As the browser does: our copy holds what the server refused, so load the board afresh.
      if (notice.resync && options.reloadOnRefusal !== false) queueMicrotask(resync)
    }
    return provider
  }
  let provider = open(options.connect ?? true)
  const resync = () => {
    if (destroyed) return
    provider.destroy()
    doc.destroy()
    doc = new Y.Doc()
    board = openBoardDoc(doc)
    keepSecret()
    provider = open(true)
  }
  const send = (message: Uint8Array) => {
    const ws = provider.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error('not connected')
    ws.send(message)
  }
  return {
    get doc() {
      return doc
    },
    get provider() {
      return provider
    },
    notices,
    get board() {
      return board
    },
    whenSynced: (timeoutMs) => waitForSync(provider, timeoutMs),
    sendDot(request) {
      send(ballotMessage(request))
    },
    sendPrivateNote(request) {
      send(jsonMessage(MESSAGE_PRIVATE_NOTE, request))
    },
    destroy() {
      destroyed = true
      provider.destroy()
      doc.destroy()
    },
  }
}

/**
 * The facilitate key of a board the tests created, and a device secret kept with the doc: the
 * server gives a doc's client id to the device that first used it, so a client that reconnects
 * (or a new client over the same doc, with its offline edits) must present the same secret.
 */
function defaultParams(boardId: string, doc?: Y.Doc): Record<string, string> {
  const token = tokensOf(boardId)?.facilitate
  const participant = (doc && deviceSecrets.get(doc)) ?? newParticipantSecret()
  return token ? { token, participant } : { participant }
}

const deviceSecrets = new WeakMap<Y.Doc, string>()

/** One dot request as the server reads it: message type 101, then the JSON. */
export function ballotMessage(request: DotRequest | Record<string, unknown>): Uint8Array {
  return jsonMessage(MESSAGE_BALLOT, request)
}

/** A message of one of our JSON message types (ballots, private notes): the type, the JSON. */
export function jsonMessage(type: number, request: unknown): Uint8Array {
  return textMessage(type, JSON.stringify(request))
}

/** The same frame carrying `text` as it is, JSON or not (for malformed requests). */
export function textMessage(type: number, text: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  encoding.writeVarString(encoder, text)
  return encoding.toUint8Array(encoder)
}

export function waitForSync(provider: WebsocketProvider, timeoutMs = 15_000): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onSync = (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      provider.off('sync', onSync)
      resolve()
    }
    const timer = setTimeout(() => {
      provider.off('sync', onSync)
      reject(new Error(`not synced with ${provider.url} within ${timeoutMs} ms`))
    }, timeoutMs)
    provider.on('sync', onSync)
  })
}

/** Polls until `check` returns something truthy; resolves that value. */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  { timeoutMs = 15_000, intervalMs = 20, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** Every client's clock in `sub` is reached by `sup` (sup has seen everything sub has). */
export function coversStateOf(sup: Y.Doc, sub: Y.Doc): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(sup))
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(sub))) {
    if ((have.get(client) ?? 0) < clock) return false
  }
  return true
}

/**
 * Waits until a fresh client of the board holds `recordId`: what one client wrote is then
 * durable and served to others (benches fill boards this way before timing them).
 */
export async function heldByAnotherClient(
  serverWsUrl: string,
  boardId: string,
  recordId: string,
): Promise<void> {
  const checker = connectClient(serverWsUrl, boardId)
  try {
    await checker.whenSynced(60_000)
    await waitFor(() => checker.board.records.get(recordId), {
      timeoutMs: 60_000,
      what: `${recordId} at a second client`,
    })
  } finally {
    checker.destroy()
  }
}
