/**
 * The floor of the fan-out bench: a server in the y-websocket dialect that keeps no document,
 * reviews nothing and stores nothing. It answers a sync step 1 with an empty step 2 and writes
 * each update and awareness message it receives, framed once, to every socket of the same room,
 * the sender included (as ours does). A server that writes every update to every socket as it
 * arrives cannot deliver faster on the same machine, so its figures say how much of anyone's
 * latency is Node's and the kernel's cost of those writes, and whether a target is within reach.
 * (Merging several updates into one message, as ours does within a turn, writes less.)
 */
import type { Socket } from 'node:net'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { type WebSocket, WebSocketServer } from 'ws'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2

/** The answer to every sync step 1: step 2 with an empty document's update, `[0, 0]`. */
const EMPTY_STEP_2 = (() => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_2)
  encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]))
  return encoding.toUint8Array(encoder)
})()

export function startRelay(port: number, host = '127.0.0.1'): Promise<WebSocketServer> {
  const rooms = new Map<string, Set<WebSocket>>()
  const server = new WebSocketServer({ port, host, perMessageDeflate: false })
  server.on('connection', (ws, request) => {
    const name = (request.url ?? '/').slice(1).split('?')[0] ?? ''
    let room = rooms.get(name)
    if (!room) {
      room = new Set()
      rooms.set(name, room)
    }
    const members = room
    members.add(ws)
    ws.on('close', () => {
      members.delete(ws)
      if (members.size === 0) rooms.delete(name)
    })
    // A bad frame (or one over `ws`'s size limit) ends that connection, never the relay.
    ws.on('error', () => ws.terminate())
    ws.on('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Buffer)) return
      try {
        const decoder = decoding.createDecoder(data)
        const type = decoding.readVarUint(decoder)
        if (type === MESSAGE_SYNC) {
          const step = decoding.readVarUint(decoder)
          if (step === SYNC_STEP_1) ws.send(EMPTY_STEP_2)
          // Step 2 only answers a step 1, which the relay never sends; passed on, it would
          // read as someone else's answer to a client still syncing.
          else if (step === SYNC_UPDATE) forward(members, data)
        } else if (type === MESSAGE_AWARENESS) {
          forward(members, data)
        }
      } catch {
        ws.terminate()
      }
    })
  })
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server))
    server.once('error', reject)
  })
}

/**
 * The same pre-framed bytes to every open socket of the room, as ours writes its broadcasts
 * (messages of 64 KiB or more, which the fan-out never sends, go through `ws` instead).
 */
function forward(members: ReadonlySet<WebSocket>, message: Buffer): void {
  const frame = message.byteLength < 64 * 1024 ? framed(message) : null
  for (const member of members) {
    if (member.readyState !== member.OPEN) continue
    if (frame) (member as WebSocket & { _socket: Socket })._socket.write(frame)
    else member.send(message)
  }
}

/**
 * One final, unmasked binary frame (RFC 6455 §5.2) of a message under 64 KiB: what ours's
 * `framed()` (server/src/sync/websocket.ts) builds, written again here so the floor does not
 * depend on the server it is compared with.
 */
function framed(message: Buffer): Buffer {
  const header = message.byteLength < 126 ? 2 : 4
  const frame = Buffer.allocUnsafe(header + message.byteLength)
  frame[0] = 0x82
  if (header === 2) frame[1] = message.byteLength
  else {
    frame[1] = 126
    frame.writeUInt16BE(message.byteLength, 2)
  }
  frame.set(message, header)
  return frame
}
