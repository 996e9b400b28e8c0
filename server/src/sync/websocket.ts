/**
 * The WebSocket side of the HTTP server: accepts upgrades on `/sync/:boardId`, turns each socket
 * into a Connection, holds its messages back until its room is loaded, refuses bad input with a
 * specific close code, and drops connections that stop answering pings.
 */
import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Socket as NetSocket } from 'node:net'
import type { Duplex } from 'node:stream'
import { CLOSE, isBoardId } from '@common-ground/shared/board'
import { type RawData, WebSocket, WebSocketServer } from 'ws'
import {
  BURST_SECONDS,
  LIMIT_CLOSE,
  LimitError,
  TOO_MANY_CONNECTIONS_STATUS,
  TokenBucket,
} from '../limits.ts'
import type { Logger } from '../log.ts'
import { isUpdateMessage, type Metrics } from '../metrics.ts'
import { Connection, type Socket } from './Connection.ts'
import { runOnConnect, type SyncHooks } from './hooks.ts'
import { ProtocolError } from './protocol.ts'

export const SYNC_PATH = /^\/sync\/([^/]*)$/

/** The close code `ws` uses for frames it cannot parse (other than too big). */
const PROTOCOL_ERROR = 1002

/** How many full-size frames a connection may send before its room has loaded. */
const MAX_WAITING_FRAMES = 8

/**
 * After closing a connection whose send buffer is full, how long its close frame may take to get
 * through (it waits behind everything buffered) before the socket is destroyed.
 */
const SEND_BUFFER_CLOSE_GRACE_MS = 10_000

/** A room as the socket sees it: where its messages go. */
export interface SyncRoom {
  receive(connection: Connection, message: Uint8Array): void
}

/**
 * Where sockets are placed: `Rooms` on a single process; in cluster mode the board's room when
 * this process owns it, a replica of it otherwise (cluster/ClusterRooms.ts).
 */
export interface SyncRooms {
  join(connection: Connection): Promise<SyncRoom | null>
  leave(room: SyncRoom, connection: Connection): void
  /** Stored bytes of the board (MAX_BOARD_BYTES); 0 when this process cannot tell. */
  storedBytes(room: SyncRoom): number
}

export interface SyncEndpointOptions {
  rooms: SyncRooms
  log: Logger
  hooks?: readonly SyncHooks[]
  maxFrameBytes: number
  pingIntervalMs: number
  metrics?: Metrics
  /** Unset limits do not apply (unit tests); the server sets them all from its config. */
  limits?: Partial<SyncLimits>
}

export interface SyncLimits {
  maxConnectionsPerBoard: number
  maxConnectionsPerIp: number
  maxUpdatesPerSecond: number
  maxBoardBytes: number
  /**
   * Bytes waiting to be sent to one connection, besides the largest message still on its way,
   * past which no more is queued and it is closed with 4008 (see socketOf).
   */
  maxSendBufferBytes: number
}

export interface SyncEndpoint {
  /** For `server.on('upgrade', …)`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Refuses new upgrades and stops pinging (the rooms close the connections). */
  stopAccepting(): void
  /** Closes sockets not yet in a room, then ends whatever still lingers after `graceMs`. */
  closeRemaining(code: number, reason: string, graceMs: number): Promise<void>
  /** Open sockets, whether or not their room has loaded yet. */
  readonly connectionCount: number
}

interface Live {
  connection: Connection
  /** A pong came since the last ping. */
  alive: boolean
  /** The TCP socket under the WebSocket. */
  raw: NetSocket
  /** `sentOf(raw)` once the last ping has left for the network (it waits behind the backlog). */
  pingSentAt: number
  /** `sentOf(raw)` at the last liveness tick. */
  sentAtTick: number
}

/** Bytes handed to the network so far (written, minus what still waits in Node's buffer). */
function sentOf(raw: NetSocket): number {
  return (raw.bytesWritten ?? 0) - (raw.writableLength ?? 0)
}

export function createSyncEndpoint(options: SyncEndpointOptions): SyncEndpoint {
  const { rooms, log, hooks = [], metrics } = options
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
  })
  const live = new Map<WebSocket, Live>()
  const limits: SyncLimits = {
    maxConnectionsPerBoard: Number.POSITIVE_INFINITY,
    maxConnectionsPerIp: Number.POSITIVE_INFINITY,
    maxUpdatesPerSecond: Number.POSITIVE_INFINITY,
    maxBoardBytes: Number.POSITIVE_INFINITY,
    maxSendBufferBytes: Number.POSITIVE_INFINITY,
    ...options.limits,
  }
  const perBoard = new Map<string, number>()
  const perIp = new Map<string, number>()
  const count = (map: Map<string, number>, key: string, delta: number) => {
    const value = (map.get(key) ?? 0) + delta
    if (value > 0) map.set(key, value)
    else map.delete(key)
  }
  let accepting = true

  // Liveness: a connection that did not answer the previous ping is gone (laptop lid closed,
  // Wi-Fi dropped); ending it frees its presence for everyone else. Only a pong proves a peer
  // alive, not its messages: a client could keep sending without ever reading. A ping waits
  // behind what is already queued for the peer, though, so a slow phone still downloading a big
  // board cannot have answered yet: while the ping has not left and the backlog keeps draining
  // (the peer reads), the connection gets another interval.
  const pinger = setInterval(() => {
    for (const [ws, state] of live) {
      if (!state.alive) {
        const sent = sentOf(state.raw)
        const draining = sent < state.pingSentAt && sent > state.sentAtTick
        state.sentAtTick = sent
        if (draining) continue
        log.info('connection timed out', {
          board: state.connection.boardId,
          remote: state.connection.remoteAddress,
        })
        ws.terminate()
        continue
      }
      state.alive = false
      state.sentAtTick = sentOf(state.raw)
      state.pingSentAt = state.sentAtTick + ws.bufferedAmount
      try {
        ws.ping()
      } catch {
        ws.terminate()
      }
    }
  }, options.pingIntervalMs)
  pinger.unref()

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    const remote = request.socket.remoteAddress ?? 'unknown'
    const refuse = (status: number, message: string) => {
      metrics?.refused(status, message)
      refuseUpgrade(socket, status, message)
    }
    try {
      if (!accepting) {
        refuse(503, 'server restarting')
        return
      }
      const url = new URL(request.url ?? '/', 'http://localhost')
      const match = SYNC_PATH.exec(url.pathname)
      if (!match) {
        refuse(404, 'not found')
        return
      }
      const boardId = match[1] ?? ''
      const shown = boardId.slice(0, 100) // the type guard below narrows a refused id to never
      if (!isBoardId(boardId)) {
        log.warn('upgrade refused', { board: shown, remote, reason: 'invalid board id' })
        refuse(400, 'invalid board id')
        return
      }
      if ((perIp.get(remote) ?? 0) >= limits.maxConnectionsPerIp) {
        log.warn('upgrade refused', { board: boardId, remote, reason: 'too many connections' })
        refuse(TOO_MANY_CONNECTIONS_STATUS, 'too many connections from this address')
        return
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        accept(ws, socket as NetSocket, boardId, remote, url.searchParams)
      })
    } catch (error) {
      log.error('upgrade failed', { remote, error })
      refuse(500, 'internal error')
    }
  }

  function accept(
    ws: WebSocket,
    raw: NetSocket,
    boardId: string,
    remote: string,
    params: URLSearchParams,
  ): void {
    // The peer does not read what it is sent (or cannot keep up): stop queuing, close, and
    // destroy the socket if even the close frame cannot get through.
    const sendBufferFull = () => {
      const { code, reason } = LIMIT_CLOSE.sendBufferFull
      metrics?.refused(code, reason)
      log.warn('connection closed', {
        board: boardId,
        remote,
        code,
        reason,
        buffered: ws.bufferedAmount,
      })
      connection.close(code, reason)
      const timer = setTimeout(() => ws.terminate(), SEND_BUFFER_CLOSE_GRACE_MS)
      timer.unref()
      ws.once('close', () => clearTimeout(timer))
    }
    const connection = new Connection(
      socketOf(ws, raw, limits.maxSendBufferBytes, sendBufferFull),
      {
        boardId,
        remoteAddress: remote,
        params,
      },
    )
    const state: Live = { connection, alive: true, raw, pingSentAt: 0, sentAtTick: 0 }
    live.set(ws, state)
    count(perIp, remote, 1)
    count(perBoard, boardId, 1)
    const bucket = new TokenBucket(
      limits.maxUpdatesPerSecond,
      limits.maxUpdatesPerSecond * BURST_SECONDS,
    )
    let room: SyncRoom | null = null
    const waiting: Uint8Array[] = []
    let waitingBytes = 0
    log.debug('connection opened', { board: boardId, remote, connection: connection.id })

    const refuse = (code: number, reason: string) => {
      metrics?.refused(code, reason)
      log.warn('connection closed for bad input', { board: boardId, remote, code, reason })
      connection.close(code, reason)
    }
    const dispatch = (message: Uint8Array) => {
      // A board at its size limit still serves reads; only a change (not an empty sync step 2,
      // which is 5 bytes) is refused.
      if (
        room &&
        message.byteLength > 5 &&
        isUpdateMessage(message) &&
        rooms.storedBytes(room) >= limits.maxBoardBytes
      ) {
        const { code, reason } = LIMIT_CLOSE.boardTooLarge
        return refuse(code, reason)
      }
      try {
        room?.receive(connection, message)
      } catch (error) {
        if (error instanceof ProtocolError) return refuse(error.code, error.message)
        log.error('message handling failed', { board: boardId, remote, error })
        connection.close(CLOSE.internalError, 'internal error')
      }
    }

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (connection.closed) return
      if (!isBinary) return refuse(CLOSE.unsupportedData, 'text frames are not supported')
      const message = bytesOf(data)
      metrics?.received(message.byteLength, isUpdateMessage(message))
      if (!bucket.take()) {
        const { code, reason } = LIMIT_CLOSE.tooManyUpdates
        return refuse(code, reason)
      }
      if (room) return dispatch(message)
      // Held until the room is loaded; bounded, so a slow load cannot be turned into memory use.
      waitingBytes += message.byteLength
      if (waitingBytes > MAX_WAITING_FRAMES * options.maxFrameBytes) {
        return refuse(CLOSE.policyViolation, 'too much data before the board loaded')
      }
      waiting.push(message)
    })
    ws.on('pong', () => {
      state.alive = true
    })
    ws.on('error', (error: Error & { code?: string }) => {
      // `ws` closes the socket itself (e.g. 1009 for a frame over maxPayload); log the reason.
      const tooBig = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
      metrics?.refused(tooBig ? CLOSE.tooBig : PROTOCOL_ERROR, error.code ?? 'ws error')
      log.warn('connection closed for bad input', {
        board: boardId,
        remote,
        reason: error.message,
        wsCode: error.code,
      })
    })
    ws.on('close', (code: number) => {
      connection.markClosed()
      live.delete(ws)
      count(perIp, remote, -1)
      count(perBoard, boardId, -1)
      if (room) rooms.leave(room, connection)
      log.debug('connection closed', { board: boardId, remote, connection: connection.id, code })
    })

    if ((perBoard.get(boardId) ?? 0) > limits.maxConnectionsPerBoard) {
      const { code, reason } = LIMIT_CLOSE.boardFull
      refuse(code, reason)
      return
    }

    void (async () => {
      try {
        const refusal = await runOnConnect(hooks, connection)
        if (refusal) {
          log.info('connection refused by hook', { board: boardId, remote, ...refusal })
          connection.close(refusal.code, refusal.reason)
          return
        }
        const joined = await rooms.join(connection)
        if (!joined) {
          connection.close(CLOSE.serviceRestart, 'server restarting')
          return
        }
        room = joined
        if (connection.closed) {
          rooms.leave(joined, connection)
          return
        }
        for (const message of waiting.splice(0)) {
          if (connection.closed) break
          dispatch(message)
        }
      } catch (error) {
        if (error instanceof LimitError) return refuse(error.code, error.message)
        log.error('room unavailable', { board: boardId, remote, error })
        connection.close(CLOSE.internalError, 'room unavailable')
      }
    })()
  }

  return {
    handleUpgrade,
    get connectionCount() {
      return live.size
    },
    stopAccepting() {
      accepting = false
      clearInterval(pinger)
    },
    async closeRemaining(code, reason, graceMs) {
      for (const { connection } of live.values()) connection.close(code, reason)
      const deadline = Date.now() + graceMs
      while (live.size > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      for (const ws of live.keys()) ws.terminate()
      live.clear()
      wss.close()
    },
  }
}

/**
 * The Socket of a connection, with its send buffer capped: before a message is queued, what
 * already waits for the peer, less the largest message still on its way, must be at most
 * `maxBuffered`, or `onFull` is called instead. So one message of any size gets through to a slow
 * phone (a whole board's sync step 2, up to MAX_BOARD_BYTES) with `maxBuffered` of changes behind
 * it, while a peer that stops reading holds at most that much (plus that one message) of memory.
 */
function socketOf(ws: WebSocket, raw: NetSocket, maxBuffered: number, onFull: () => void): Socket {
  // The largest message queued that may still be waiting: its size, and where in the stream of
  // bytes sent to this peer it ends.
  let largest = { size: 0, end: 0 }
  return {
    get isOpen() {
      return ws.readyState === WebSocket.OPEN
    },
    send: (data) => {
      const waitingOfLargest = Math.max(0, Math.min(largest.size, largest.end - sentOf(raw)))
      if (ws.bufferedAmount - waitingOfLargest > maxBuffered) return onFull()
      // `ws` writes nothing of its own in between: no compression, no Blobs (see framed()).
      if (data.byteLength < MAX_PREFRAMED_BYTES) raw.write(framed(data))
      else ws.send(data)
      if (data.byteLength > waitingOfLargest) {
        largest = { size: data.byteLength, end: sentOf(raw) + ws.bufferedAmount }
      }
    },
    close: (code, reason) => ws.close(code, reason),
  }
}

/** Messages under this size (a 16-bit length) are framed once and copied into the frame; larger ones are not. */
const MAX_PREFRAMED_BYTES = 64 * 1024

const frames = new WeakMap<Uint8Array, Buffer>()

/**
 * A message as one final, unmasked binary WebSocket frame (RFC 6455 §5.2), built the first time
 * it is sent and reused for every other socket it goes to: a broadcast to 200 connections costs
 * one frame and 200 writes of the same bytes, instead of 200 frames from `ws.send`. Safe to
 * write beside `ws`'s own frames because the endpoint turns per-message deflate off, so `ws`
 * never holds frames back in a queue of its own.
 */
function framed(data: Uint8Array): Buffer {
  let frame = frames.get(data)
  if (frame) return frame
  const length = data.byteLength
  const header = length < 126 ? 2 : 4
  frame = Buffer.allocUnsafe(header + length)
  frame[0] = 0x82 // FIN, binary
  if (length < 126) frame[1] = length
  else {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  }
  frame.set(data, header)
  frames.set(data, frame)
  return frame
}

/** A plain Uint8Array over whatever `ws` hands us (one Buffer unless fragments were kept apart). */
function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/** Answers an upgrade we will not accept with a plain HTTP response, then drops the socket. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = JSON.stringify({ error: { code: message.replaceAll(' ', '_'), message } })
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}
