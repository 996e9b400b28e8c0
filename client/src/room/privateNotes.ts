/**
 * My notes in a hidden brainstorm round (shared facilitation/privateNotes.ts), on this device.
 * A note I add in the round's scope never enters the shared document: the store binding hands
 * its changes here, and they go to the server, which keeps them and hands them back only to my
 * devices. They are drawn from this browser's tldraw store like any note, and kept in
 * localStorage with whatever the server has not confirmed yet, so a reload or a dropped wifi
 * loses nothing. When the round ends the server writes everyone's notes into the document; what
 * it never received from here, this browser writes there itself.
 */
import type { BoardDoc } from '@common-ground/shared/board'
import {
  type Brainstorm,
  isInRound,
  isNoteRecord,
  type NoteRecord,
  type PlacedShape,
  type PrivateNoteRefusal,
} from '@common-ground/shared/facilitation'
import { atom, react, type Signal } from '@tldraw/state'
import type { TLRecord, TLStore } from 'tldraw'
import type { BoardConnection, PrivateNotesNotice } from '../sync/BoardConnection.ts'
import { LOCAL_ORIGIN, type PrivateLayer } from '../sync/storeBinding.ts'

/** Typing makes a change per keystroke: one request per note per this many ms is plenty. */
const SEND_EVERY_MS = 150
/**
 * A request unanswered this long is sent again. Putting a note as it is now, or removing it, may
 * be repeated safely; on several servers the message can be lost between them (Redis carries
 * it at most once).
 */
const RESEND_AFTER_MS = 3000

/** A change the server has not confirmed (or refused) yet. */
interface Pending {
  round: number
  rev: number
  record: NoteRecord | null
  /** Sent on this socket (`BoardConnection.socketSerial`); unsent or sent on an old one: -1. */
  sentOn: number
  /** When it was last sent (ms, this page's clock). */
  sentAt?: number
}

/** What this device keeps of a round (localStorage). */
interface Saved {
  round: number
  rev: number
  /** Every id I made private in the round, also those I removed since (an undo brings them back). */
  mine: string[]
  notes: NoteRecord[]
  pending: Array<[string, Pending]>
}

export class PrivateNotes implements PrivateLayer {
  /** How many of my notes are private now (said beside the plan's list, which lacks them). */
  readonly mineCount: Signal<number>
  /** The last note the server would not keep, and why (said beside the canvas). */
  readonly refused = atom<{ reason: PrivateNoteRefusal; serial: number } | null>(
    'private note refused',
    null,
  )
  /** My changes the server has not confirmed yet (counted with the board's waiting changes). */
  readonly waiting: Signal<number>
  #mineCount = atom('my private notes', 0)
  #waiting = atom('private notes waiting', 0)
  #connection: BoardConnection
  #board: BoardDoc
  #brainstorm: Signal<Brainstorm | null>
  #storageKey: string
  #round: number | null = null
  #rev = 0
  #mine = new Set<string>()
  #notes = new Map<string, NoteRecord>()
  #pending = new Map<string, Pending>()
  /** The server's list of my notes for a round the document has not reached here yet. */
  #greeting: { round: number; notes: NoteRecord[] } | null = null
  #store: TLStore | null = null
  #sendTimer: ReturnType<typeof setTimeout> | null = null

  constructor(options: {
    connection: BoardConnection
    board: BoardDoc
    brainstorm: Signal<Brainstorm | null>
    boardId: string
    participantId: string
  }) {
    this.#connection = options.connection
    this.#board = options.board
    this.#brainstorm = options.brainstorm
    this.#storageKey = `common-ground:private-notes:${options.boardId}:${options.participantId}`
    this.mineCount = this.#mineCount
    this.waiting = this.#waiting
  }

  /**
   * Starts with the store the board was loaded into: my kept notes are drawn, and from now on
   * the round is followed. Returns the function that stops.
   */
  attach(store: TLStore): () => void {
    this.#store = store
    this.#restore()
    const stopNotices = this.#connection.onPrivateNotes((notice) => this.#receive(notice))
    const stopRound = react('private round', () => {
      const brainstorm = this.#brainstorm.get()
      this.#roundIs(brainstorm?.hidden ? brainstorm.serial : null)
    })
    // A new socket was greeted (or is about to be): everything unconfirmed goes again.
    const stopLive = react('send private notes when live', () => {
      if (this.#connection.status.get() !== 'live') return
      for (const pending of this.#pending.values()) pending.sentOn = -1
      this.#send()
    })
    const resend = setInterval(() => {
      const stale = Date.now() - RESEND_AFTER_MS
      let due = false
      for (const pending of this.#pending.values()) {
        if (pending.sentOn !== -1 && (pending.sentAt ?? 0) < stale) {
          pending.sentOn = -1
          due = true
        }
      }
      if (due) this.#send()
    }, RESEND_AFTER_MS)
    return () => {
      stopNotices()
      stopRound()
      stopLive()
      clearInterval(resend)
      if (this.#sendTimer) clearTimeout(this.#sendTimer)
      this.#store = null
    }
  }

  /**
   * Whether a note being created here is one of my private notes: a hidden round is on and it
   * lies in the round's scope. Called before tldraw creates it (so the binding keeps it here).
   */
  claim(shape: PlacedShape): boolean {
    const brainstorm = this.#brainstorm.get()
    if (!brainstorm?.hidden || brainstorm.serial !== this.#round || shape.type !== 'note')
      return false
    const store = this.#store
    const shapeOf = (id: string) => store?.get(id as TLRecord['id']) as PlacedShape | undefined
    if (!isInRound(shape, brainstorm, shapeOf)) return false
    this.#mine.add(shape.id)
    return true
  }

  keeps(id: string): boolean {
    return this.#mine.has(id)
  }

  put(record: TLRecord): void {
    if (this.#round === null || !isNoteRecord(record, record.id)) return
    this.#notes.set(record.id, record)
    this.#change(record.id, record)
  }

  remove(id: string): void {
    if (this.#round === null) return
    this.#notes.delete(id)
    this.#change(id, null)
  }

  #change(id: string, record: NoteRecord | null): void {
    if (this.#round === null) return
    this.#rev += 1
    this.#pending.set(id, { round: this.#round, rev: this.#rev, record, sentOn: -1 })
    this.#mineCount.set(this.#notes.size)
    this.#save()
    this.#sendTimer ??= setTimeout(() => {
      this.#sendTimer = null
      this.#send()
    }, SEND_EVERY_MS)
  }

  #send(): void {
    const socket = this.#connection.socketSerial.get()
    for (const [id, pending] of this.#pending) {
      if (pending.sentOn === socket) continue
      const { round, rev, record } = pending
      if (!this.#connection.sendPrivateNote({ round, rev, id, record })) return
      pending.sentOn = socket
      pending.sentAt = Date.now()
    }
  }

  #receive(notice: PrivateNotesNotice): void {
    if (notice.kind === 'private-notes') {
      this.#greeting = { round: notice.round, notes: notice.notes.filter(isWellFormed) }
      if (notice.round === this.#round) this.#takeGreeting()
      return
    }
    const pending = this.#pending.get(notice.id)
    if (notice.record !== undefined) {
      // My other tab changed the note: the server's copy is the latest.
      if (notice.round !== this.#round || pending) return
      const record = notice.record
      if (record !== null && !isWellFormed(record)) return
      this.#mine.add(notice.id)
      this.#show(notice.id, record)
      this.#save()
      return
    }
    if (!pending || pending.rev > notice.rev) return // answered an older change: still waiting
    if (notice.refused === 'roundOver') {
      // The round ended before the server had it: it goes on the board when this page sees so.
      if (pending.round !== this.#round) this.#publish([[notice.id, pending]])
      this.#save()
      return
    }
    this.#pending.delete(notice.id)
    if (notice.refused) {
      // Not kept: taken off this screen too, and said why.
      this.#notes.delete(notice.id)
      this.#show(notice.id, null)
      const serial = (this.refused.get()?.serial ?? 0) + 1
      this.refused.set({ reason: notice.refused, serial })
    }
    this.#save()
  }

  /** The server's list of my notes, over whatever this device had (except unconfirmed changes). */
  #takeGreeting(): void {
    const greeting = this.#greeting
    this.#greeting = null
    if (!greeting) return
    const kept = new Map(greeting.notes.map((note) => [note.id, note]))
    for (const id of [...this.#notes.keys()]) {
      if (!kept.has(id) && !this.#pending.has(id)) this.#show(id, null) // removed elsewhere
    }
    for (const note of kept.values()) {
      this.#mine.add(note.id)
      if (!this.#pending.has(note.id)) this.#show(note.id, note)
    }
    this.#save()
  }

  #roundIs(round: number | null): void {
    if (round === this.#round) return
    if (this.#round !== null) {
      // What the server never confirmed goes on the board from here; the rest it writes itself.
      this.#publish([...this.#pending])
      this.#pending.clear()
      this.#mine.clear()
      this.#notes.clear()
    }
    this.#round = round
    this.#mineCount.set(0)
    this.#save()
    if (this.#greeting?.round === round) this.#takeGreeting()
  }

  /** Writes changes the server did not keep into the shared document, as ordinary edits. */
  #publish(changes: Array<[string, Pending]>): void {
    if (changes.length === 0) return
    const store = this.#store
    const records = this.#board.records
    const shown: TLRecord[] = []
    this.#board.doc.transact(() => {
      for (const [id, { record }] of changes) {
        if (record === null) {
          if (records.has(id)) records.delete(id)
          continue
        }
        // What this screen shows is newest (a change may still wait for its send).
        const current = (store?.get(id as TLRecord['id']) as TLRecord | undefined) ?? null
        records.set(id, (current ?? record) as never)
        if (!current) shown.push(record as unknown as TLRecord)
      }
    }, LOCAL_ORIGIN)
    if (store && shown.length > 0) store.mergeRemoteChanges(() => store.put(shown))
    for (const [id] of changes) this.#pending.delete(id)
  }

  /** Puts a note on this screen (or takes it off) without it counting as my edit. */
  #show(id: string, record: NoteRecord | null): void {
    if (record) this.#notes.set(id, record)
    else this.#notes.delete(id)
    this.#mineCount.set(this.#notes.size)
    const store = this.#store
    if (!store) return
    store.mergeRemoteChanges(() => {
      if (record) store.put([record as unknown as TLRecord])
      else if (store.has(id as TLRecord['id'])) store.remove([id as TLRecord['id']])
    })
  }

  #restore(): void {
    const saved = readSaved(this.#storageKey)
    const brainstorm = this.#brainstorm.get()
    const round = brainstorm?.hidden ? brainstorm.serial : null
    if (saved) {
      this.#round = saved.round
      this.#rev = saved.rev
      this.#pending = new Map(saved.pending.map(([id, p]) => [id, { ...p, sentOn: -1 }]))
      if (saved.round === round) {
        this.#mine = new Set(saved.mine)
        for (const note of saved.notes) this.#show(note.id, note)
      }
    }
    // The round may have ended while this page was away: `#roundIs` publishes what is left.
    if (this.#round !== round) this.#roundIs(round)
  }

  #save(): void {
    this.#waiting.set(this.#pending.size)
    try {
      if (this.#round === null || (this.#notes.size === 0 && this.#pending.size === 0)) {
        localStorage.removeItem(this.#storageKey)
        return
      }
      const saved: Saved = {
        round: this.#round,
        rev: this.#rev,
        mine: [...this.#mine],
        notes: [...this.#notes.values()],
        pending: [...this.#pending],
      }
      localStorage.setItem(this.#storageKey, JSON.stringify(saved))
    } catch {
      // Storage full or disabled: the server still keeps every note it confirmed.
    }
  }
}

function isWellFormed(note: NoteRecord): boolean {
  return isNoteRecord(note, note.id)
}

function readSaved(key: string): Saved | null {
  try {
    const text = localStorage.getItem(key)
    if (!text) return null
    const saved = JSON.parse(text) as Saved
    if (!Number.isSafeInteger(saved.round) || !Array.isArray(saved.notes)) return null
    return {
      round: saved.round,
      rev: Number.isSafeInteger(saved.rev) ? saved.rev : 0,
      mine: Array.isArray(saved.mine) ? saved.mine.filter((id) => typeof id === 'string') : [],
      notes: saved.notes.filter(isWellFormed),
      pending: Array.isArray(saved.pending) ? saved.pending : [],
    }
  } catch {
    return null
  }
}
