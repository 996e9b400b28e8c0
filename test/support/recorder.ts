/**
 * A bystander on a board who records everything the server sends it (issue 17's tests of what
 * reaches a browser), and the steps those tests share: a person's sync address, and showing a
 * person in presence as the app does.
 */
import {
  MESSAGE_AWARENESS,
  MESSAGE_NOTICE,
  MESSAGE_SYNC,
  type Notice,
  openBoardDoc,
  SYNC_STEP1,
} from '@common-ground/shared/board'
import { PERSON_FIELD, type PersonPresence } from '@common-ground/shared/facilitation'
import { VOTES } from '@common-ground/shared/vote'
import * as decoding from 'lib0/decoding'
import type WebSocket from 'ws'
import * as Y from 'yjs'
import { syncStep1Frame } from './attack.ts'
import type { participantOf } from './boards.ts'
import type { RunningServer } from './server.ts'
import { openSocket } from './socket.ts'
import { waitFor, type YClient } from './yclient.ts'

/** A person on a board: their link's key and device secret, and the id the server derives. */
export type Person = ReturnType<typeof participantOf>

/** The sync address of a board for one person (their link's key and device secret). */
export const syncUrl = (server: RunningServer, boardId: string, person: Person) =>
  `${server.wsUrl}/sync/${boardId}?${new URLSearchParams(person.params)}`

/** Shows `person` on the board as the app does (their name, colour; the server checks the id). */
export function announce(client: YClient, personId: string, name: string, color: string): void {
  const person: PersonPresence = {
    personId,
    name,
    color,
    role: 'participant',
    organization: null,
    idle: false,
  }
  client.provider.awareness.setLocalStateField(PERSON_FIELD, person)
}

/**
 * Shows `person` as an app from before person ids did: under the participant id, the one the
 * server keeps their ballots under. The server lets it in and relays it without that id.
 */
export function announceAsOlderApp(
  client: YClient,
  participantId: string,
  name: string,
  extra: { idle?: boolean } = {},
): void {
  client.provider.awareness.setLocalStateField(PERSON_FIELD, {
    participantId,
    name,
    color: '#0f1e2d',
    role: 'participant',
    organization: null,
    idle: extra.idle ?? false,
  })
}

/**
 * A participant's raw connection that records everything the server sends it: each frame's
 * bytes and type, the board as the sync messages build it, every presence state and notice. It
 * notes at once whether its copy of the board ever held a ballot key, and every record id it
 * held (and with which sync frame each arrived).
 */
export class Recorder {
  readonly doc = new Y.Doc()
  readonly frames: { type: number; bytes: Uint8Array }[] = []
  readonly notices: Notice[] = []
  /** Every presence state received, in order (null: someone left). */
  readonly presence: unknown[] = []
  /** Ballot keys its copy of the board ever held, and sync updates that wrote one. */
  readonly ballotKeysSeen = new Set<string>()
  /** Each record id its copy ever held, with the index in `frames` of the frame that brought it. */
  readonly recordsSeen = new Map<string, number>()
  readonly #board = openBoardDoc(this.doc)
  synced = false
  ws!: WebSocket

  static async open(url: string): Promise<Recorder> {
    const recorder = new Recorder()
    recorder.ws = await openSocket(url, {}, (ws) => {
      ws.on('message', (data: Buffer) => recorder.#read(new Uint8Array(data)))
    })
    // "Send me the board", as y-websocket asks when it connects.
    recorder.ws.send(syncStep1Frame())
    await waitFor(() => recorder.synced, { what: 'the recorder’s copy of the board' })
    return recorder
  }

  /** Presence frames, as received. */
  get presenceBytes(): Buffer {
    return Buffer.concat(
      this.frames.filter((frame) => frame.type === MESSAGE_AWARENESS).map((frame) => frame.bytes),
    )
  }

  /** Frames other than presence (the document and the notices). */
  get nonPresenceBytes(): Buffer {
    return Buffer.concat(
      this.frames.filter((frame) => frame.type !== MESSAGE_AWARENESS).map((frame) => frame.bytes),
    )
  }

  close(): void {
    this.ws.terminate()
    this.doc.destroy()
  }

  #read(bytes: Uint8Array): void {
    this.frames.push({ type: bytes[0] as number, bytes })
    const decoder = decoding.createDecoder(bytes)
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder)
      if (step === SYNC_STEP1) return // the server asking what we have
      Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), 'server')
      for (const key of this.doc.getMap(VOTES).keys()) {
        if (key.startsWith('ballot/')) this.ballotKeysSeen.add(key)
      }
      for (const id of this.#board.records.map.keys()) {
        if (!this.recordsSeen.has(id)) this.recordsSeen.set(id, this.frames.length - 1)
      }
      this.synced = true
    } else if (type === MESSAGE_AWARENESS) {
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
      const count = decoding.readVarUint(update)
      for (let i = 0; i < count; i++) {
        decoding.readVarUint(update) // client id
        decoding.readVarUint(update) // clock
        this.presence.push(JSON.parse(decoding.readVarString(update)))
      }
    } else if (type === MESSAGE_NOTICE) {
      this.notices.push(JSON.parse(decoding.readVarString(decoder)) as Notice)
    } else {
      throw new Error(`a message type nobody speaks: ${type}`)
    }
  }
}

/** The `person` values of every presence state received. */
export function peopleIn(presence: readonly unknown[]): PersonPresence[] {
  return presence.flatMap((state) => {
    const person = (state as Record<string, unknown> | null)?.[PERSON_FIELD]
    return person ? [person as PersonPresence] : []
  })
}
