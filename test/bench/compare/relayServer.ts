/**
 * The floor of the fan-out bench: a server in the y-websocket dialect that keeps no document,
 * reviews nothing and stores nothing. It answers a sync step 1 with an empty step 2 and writes
 * every update and awareness message it receives, framed once, to every socket of the same room,
 * the sender included (as ours does). No server that does any work can deliver faster on the same
 * machine, so its figures say how much of anyone's latency is Node's and the kernel's cost of
 * writing the same bytes to every socket, and whether a target is within reach at all.
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

/** An empty document's update, as `Y.encodeStateAsUpdate(new Y.Doc())` gives it. */
const EMPTY_UPDATE = new Uint8Array([0, 0])

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
    ws.on('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Buffer)) return
      const decoder = decoding.createDecoder(data)
      const type = decoding.readVarUint(decoder)
      if (type === MESSAGE_SYNC) {
        const step = decoding.readVarUint(decoder)
        if (step === SYNC_STEP_1) ws.send(stepTwo())
        else if (step === SYNC_UPDATE || step === SYNC_STEP_2) forward(members, data)
      } else if (type === MESSAGE_AWARENESS) {
        forward(members, data)
      }
    })
  })
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server))
    server.once('error', reject)
  })
}

function stepTwo(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_2)
  encoding.writeVarUint8Array(encoder, EMPTY_UPDATE)
  return encoding.toUint8Array(encoder)
}

/** The same pre-framed bytes to every open socket of the room, as ours writes its broadcasts. */
function forward(members: ReadonlySet<WebSocket>, message: Buffer): void {
  const frame = message.byteLength < 64 * 1024 ? framed(message) : null
  for (const member of members) {
    if (member.readyState !== member.OPEN) continue
    if (frame) (member as WebSocket & { _socket: Socket })._socket.write(frame)
    else member.send(message)
  }
}

/** One final, unmasked binary frame (RFC 6455 §5.2) of a message under 64 KiB. */
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
