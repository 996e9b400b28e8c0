/**
 * Raw WebSocket access for tests that must send what no well-behaved client would.
 */
import WebSocket from 'ws'

export interface Closed {
  code: number
  reason: string
}

/**
 * Opens a socket and resolves once it is open; rejects with the HTTP status if refused.
 * `created` sees the socket before it opens (to listen from its first frame).
 */
export function openSocket(
  url: string,
  options: WebSocket.ClientOptions = {},
  created?: (ws: WebSocket) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    created?.(ws)
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_request, response) => {
      reject(
        Object.assign(new Error(`upgrade refused: ${response.statusCode}`), {
          status: response.statusCode,
        }),
      )
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

/** The HTTP status with which the server refuses an upgrade on `url`. */
export async function upgradeStatus(url: string): Promise<number> {
  try {
    const ws = await openSocket(url)
    ws.terminate()
    return 101
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === undefined) throw error
    return status
  }
}

/** Resolves with the close code and reason once the socket closes. */
export function closeOf(ws: WebSocket): Promise<Closed> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('already closed'))
  return new Promise((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}
