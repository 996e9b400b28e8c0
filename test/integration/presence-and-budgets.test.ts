/**
 * Presence that is bounded and owned, and the budgets that keep one connection from making the
 * server send (or hold) without end, against a real server process: a deeply nested presence is
 * refused and newcomers still join; another connection's client id is refused and its owner's
 * presence stays; the role people see is the link's; a flood of sync step 1 closes with 4029; a
 * peer that never reads closes with 4008 without the server's memory growing with it; a peer that
 * never answers pings is dropped, however much it sends.
 */
import { readFile } from 'node:fs/promises'
import { PERSON_FIELD, type PersonPresence } from '@common-ground/shared/facilitation'
import { note } from '@common-ground/shared/fixtures'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type CreatedBoard, createBoard, type LinkKind, participantOf } from '../support/boards.ts'
import { type RunningServer, removeDataDir, startServer } from '../support/server.ts'
import { useServer } from '../support/session.ts'
import { closeOf } from '../support/socket.ts'
import { connectClient, waitFor, type YClient } from '../support/yclient.ts'

const SEND_BUFFER = 1024 * 1024

const running = useServer({
  env: {
    // Liveness has a server of its own below: a paused socket here must meet the send buffer.
    PING_INTERVAL_MS: '600000',
    MAX_SEND_BUFFER_BYTES: String(SEND_BUFFER),
  },
})

const sockets: WebSocket[] = []
afterAll(() => {
  for (const ws of sockets) ws.terminate()
})

/**
 * A raw socket on one of the board's links, with a device secret of its own, once the board has
 * loaded for it (its first message arrived; listened for from the start, as that message can
 * come in the same chunk as the upgrade's answer).
 */
async function rawOn(
  board: CreatedBoard,
  kind: LinkKind,
  server: RunningServer = running.server,
  options: WebSocket.ClientOptions = {},
): Promise<WebSocket> {
  const query = new URLSearchParams(participantOf(board.id, kind).params)
  const ws = new WebSocket(`${server.wsUrl}/sync/${board.id}?${query}`, options)
  sockets.push(ws)
  await new Promise((resolve, reject) => {
    ws.once('message', resolve)
    ws.once('error', reject)
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)))
  })
  return ws
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** An awareness message (type 1) with one entry: client id, clock, JSON state. */
function awarenessFrame(client: number, clock: number, json: string): Uint8Array {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, 1)
  encoding.writeVarUint(update, client)
  encoding.writeVarUint(update, clock)
  encoding.writeVarString(update, json)
  return frame(1, (encoder) => encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update)))
}

/** Sync step 1 with an empty state vector: "send me the whole board". */
const wholeBoardRequest = frame(0, (encoder) => {
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
})

const randomClientId = () => 1 + Math.floor(Math.random() * 2 ** 30)

function person(
  personId: string,
  name: string,
  role: PersonPresence['role'] = 'participant',
): PersonPresence {
  return { personId, name, color: '#1c7ed6', role, organization: null, idle: false }
}

/** What the app publishes, without tldraw's part. */
function present(client: YClient, who: PersonPresence): void {
  client.provider.awareness.setLocalState({
    presence: null,
    user: { name: who.name, color: who.color },
    [PERSON_FIELD]: who,
  })
}

function personIn(client: YClient, clientId: number): PersonPresence | undefined {
  return client.provider.awareness.getStates().get(clientId)?.[PERSON_FIELD] as
    | PersonPresence
    | undefined
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
  return Number(kb) * 1024
}

describe('presence', () => {
  it('refuses a deeply nested presence with 1007; a newcomer joins and sees who is here', async () => {
    const board = await createBoard(running.server, { title: 'Deep presence' })
    const ana = await running.join(board, 'edit')
    present(ana.client, person(ana.personId, 'Ana'))

    const attacker = await rawOn(board, 'edit')
    const closed = closeOf(attacker)
    const depth = 10_000
    attacker.send(awarenessFrame(randomClientId(), 1, `${'['.repeat(depth)}${']'.repeat(depth)}`))
    expect(await closed).toEqual({ code: 1007, reason: 'invalid presence' })

    const started = Date.now()
    const newcomer = await running.join(board, 'view')
    await waitFor(() => personIn(newcomer.client, ana.client.doc.clientID)?.name === 'Ana', {
      what: 'the newcomer seeing Ana',
    })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('refuses presence under another connection’s client id (1008); the owner’s stays', async () => {
    const board = await createBoard(running.server, { title: 'Foreign presence' })
    const victim = await running.join(board, 'edit')
    const watcher = await running.join(board, 'facilitate')
    const victimId = victim.client.doc.clientID
    present(victim.client, person(victim.personId, 'Victim'))
    await waitFor(() => personIn(watcher.client, victimId)?.name === 'Victim', {
      what: 'the victim’s presence',
    })
    const before = watcher.client.provider.awareness.getStates().get(victimId)
    let tampered = false
    watcher.client.provider.awareness.on('change', () => {
      if (personIn(watcher.client, victimId)?.name !== 'Victim') tampered = true
    })

    const forged = JSON.stringify({
      presence: null,
      user: { name: 'Forged', color: '#1c7ed6' },
      [PERSON_FIELD]: person(victim.personId, 'Forged'),
    })
    const thief = await rawOn(board, 'edit')
    const closed = closeOf(thief)
    thief.send(awarenessFrame(victimId, 1_000_000, forged))
    expect(await closed).toEqual({ code: 1008, reason: 'presence of another connection' })

    // Someone else "leaving" is not applied either; the sender is told, not closed (y-websocket
    // sends that when its own timer gave up on a peer a moment before the server's).
    const clearer = await rawOn(board, 'edit')
    const notice = new Promise<unknown>((resolve) => {
      clearer.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data))
        if (decoding.readVarUint(decoder) !== 100) return
        const parsed = JSON.parse(decoding.readVarString(decoder)) as { kind?: string }
        if (parsed.kind === 'presence-refused') resolve(parsed)
      })
    })
    clearer.send(awarenessFrame(victimId, 1_000_000, 'null'))
    expect(await notice).toMatchObject({ kind: 'presence-refused', clients: [victimId] })
    expect(clearer.readyState).toBe(clearer.OPEN)
    // Something the victim publishes after the attempts arrives, and nothing before it changed.
    victim.client.provider.awareness.setLocalStateField('marker', 1)
    await waitFor(() => watcher.client.provider.awareness.getStates().get(victimId)?.marker, {
      what: 'the victim’s marker',
    })
    expect(tampered).toBe(false)
    expect(watcher.client.provider.awareness.getStates().get(victimId)).toEqual({
      ...before,
      marker: 1,
    })
  })

  it('shows the role of the link and the device’s person id, whatever a client claims', async () => {
    const board = await createBoard(running.server, { title: 'Claimed role' })
    const watcher = await running.join(board, 'facilitate')
    const ben = await running.join(board, 'edit')
    const viewer = await running.join(board, 'view')
    let sawFacilitator = false
    watcher.client.provider.awareness.on('change', () => {
      for (const id of [ben.client.doc.clientID, viewer.client.doc.clientID]) {
        if (personIn(watcher.client, id)?.role === 'facilitator') sawFacilitator = true
      }
    })
    present(ben.client, person(watcher.personId, 'Ben', 'facilitator'))
    present(viewer.client, person(viewer.personId, 'Vera', 'facilitator'))
    await waitFor(
      () =>
        personIn(watcher.client, ben.client.doc.clientID) &&
        personIn(watcher.client, viewer.client.doc.clientID),
      { what: 'both people at the watcher' },
    )
    expect(personIn(watcher.client, ben.client.doc.clientID)).toEqual(
      person(ben.personId, 'Ben', 'participant'),
    )
    expect(personIn(watcher.client, viewer.client.doc.clientID)).toEqual(
      person(viewer.personId, 'Vera', 'observer'),
    )
    expect(sawFacilitator).toBe(false)
  })
})

describe('budgets', () => {
  it('closes a flood of sync step 1 with 4029; honest clients connecting again and again are served', async () => {
    const board = await createBoard(running.server, { title: 'Step 1 flood' })
    const flooder = await rawOn(board, 'view')
    const closed = closeOf(flooder)
    let received = 0
    flooder.on('message', () => received++)
    for (let i = 0; i < 600; i++) flooder.send(wholeBoardRequest)
    expect(await closed).toEqual({ code: 4029, reason: 'too many sync requests' })
    expect(received).toBeLessThan(400)

    // A y-websocket client asks once per connection: reconnecting often never meets the budget.
    const honest = await running.join(board, 'edit')
    for (let i = 0; i < 5; i++) {
      honest.client.provider.disconnect()
      honest.client.provider.connect()
      await honest.client.whenSynced()
    }
    const shape = note('after-flood', 'still served')
    honest.client.board.records.set(shape.id, shape)
    const other = await running.join(board, 'view')
    await waitFor(() => other.client.board.records.get(shape.id), { what: 'the note' })
    // One refusal: the flooder's; the honest client's reconnections never met the budget.
    const refusals = running.server.logs.filter(
      (line) => line.board === board.id && line.msg === 'connection closed for bad input',
    )
    expect(refusals.map((line) => [line.code, line.reason])).toEqual([
      [4029, 'too many sync requests'],
    ])
  })

  it('closes a peer that asks for a big board but never reads with 4008, holding little memory', async () => {
    const board = await createBoard(running.server, { title: 'Never reads' })
    const writer = await running.join(board, 'facilitate')
    // A board of about 4 MB, four times the send buffer of this server.
    const text = 'x'.repeat(100_000)
    for (let i = 0; i < 40; i++) {
      const shape = note(`big-${i}`, `${i} ${text}`)
      writer.client.board.records.set(shape.id, shape)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const check = await running.join(board, 'view')
    await waitFor(() => check.client.board.records.get('shape:big-39' as never), {
      what: 'the big board at another client',
    })
    check.client.destroy()
    writer.client.destroy()

    const reader = await rawOn(board, 'view')
    await new Promise((resolve) => setImmediate(resolve))
    // It reads nothing from here on (`ws` resumes its socket when its parser drains: not now).
    const tcp = (reader as unknown as { _socket: { pause(): unknown; resume(): unknown } })._socket
    const resume = tcp.resume.bind(tcp)
    tcp.resume = () => tcp
    tcp.pause()
    const pid = running.server.process.pid as number
    const rssBefore = await residentBytes(pid)
    const fullBuffer = running.server.waitForLog(
      (line) => line.board === board.id && line.code === 4008,
      20_000,
    )
    let refused = false
    void fullBuffer.then(() => {
      refused = true
    })
    for (let i = 0; i < 200 && !refused; i++) {
      reader.send(wholeBoardRequest)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const line = await fullBuffer
    expect(line.reason).toBe('send buffer full')
    const rssAfter = await residentBytes(pid)
    expect(rssAfter - rssBefore).toBeLessThan(100 * 2 ** 20)

    const closed = closeOf(reader)
    tcp.resume = resume
    resume()
    expect(await closed).toEqual({ code: 4008, reason: 'send buffer full' })

    // The board serves everyone else (and a whole board still gets through to a newcomer,
    // though it is bigger than the send buffer).
    const newcomer = await running.join(board, 'view')
    expect(newcomer.client.board.records.get('shape:big-39' as never)).toBeDefined()
  })
})

describe('liveness', () => {
  const servers: RunningServer[] = []
  afterAll(async () => {
    for (const server of servers) {
      await server.stop()
      await removeDataDir(server.dataDir)
    }
  })

  it('drops a peer that keeps sending but never answers pings; honest clients stay', async () => {
    const server = await startServer({ env: { PING_INTERVAL_MS: '300' } })
    servers.push(server)
    const board = await createBoard(server, { title: 'Pings' })
    const device = participantOf(board.id, 'edit')
    const honest = connectClient(server.wsUrl, board.id, { params: device.params })
    try {
      await honest.whenSynced()
      const silent = await rawOn(board, 'edit', server, { autoPong: false })
      const closed = closeOf(silent)
      const client = randomClientId()
      let clock = 0
      // Busy, but never a pong: only pongs prove a peer is there.
      const chatter = setInterval(() => silent.send(awarenessFrame(client, ++clock, '{}')), 50)
      try {
        expect((await closed).code).toBe(1006) // terminated, no close frame
      } finally {
        clearInterval(chatter)
      }
      await server.waitForLog(
        (line) => line.msg === 'connection timed out' && line.board === board.id,
      )
      expect(honest.provider.wsconnected).toBe(true)
    } finally {
      honest.destroy()
    }
  })
})
