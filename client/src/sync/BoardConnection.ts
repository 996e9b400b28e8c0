/**
 * One board's live connection: the Y.Doc, a copy of it in this browser's IndexedDB, the
 * y-websocket provider speaking to our server's `/sync/:boardId`, and a status people can read
 * at a glance. Wifi that drops loses nothing: every change is in IndexedDB at once, and the
 * provider sends it when the server is back.
 */
import {
  type BoardDoc,
  type BoardRole,
  isBoardRole,
  isPermanentClose,
  MESSAGE_BALLOT,
  MESSAGE_NOTICE,
  MESSAGE_PRIVATE_NOTE,
  MESSAGE_ROUND,
  type Notice,
  openBoardDoc,
  readNotice,
  reconnectDelay,
  type WriteRefusalCode,
} from '@common-ground/shared/board'
import type { PrivateCount, PrivateNoteRequest } from '@common-ground/shared/facilitation'
import type { DotRequest, RoundRequest, Turnout, VoteRefusal } from '@common-ground/shared/vote'
import { atom, transact } from '@tldraw/state'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { noteServerTime } from './serverClock.ts'
import { guardRecentUpdates } from './unloadGuard.ts'

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused'

/** The server took back a change of ours; `serial` grows so a repeat is announced again. */
/** The server's notices about my own private notes (see room/privateNotes.ts). */
export type PrivateNotesNotice = Extract<Notice, { kind: 'private-notes' | 'private-note' }>
/** The server's notices about placement rounds and consensus checks (see vote/rounds.ts). */
export type RoundNotice = Extract<Notice, { kind: 'round-ballot' | 'round-turnout' }>

export interface WriteRefusedNotice {
  code: WriteRefusalCode
  serial: number
}

/**
 * My ballot in one vote as the server keeps it (ballots never enter the shared document): its
 * answer to each dot request of mine (with why, when the request was refused), and on joining.
 */
export interface BallotNotice {
  sessionId: string
  dots: Record<string, number>
  refused?: VoteRefusal
  /** Which socket it came on (`BoardConnection.socketSerial`). */
  socket: number
}

export interface ConnectionCredentials {
  /** The key of the link this board was opened with (null: an open board). */
  token: string | null
  /** This browser's secret; the server derives our participant id from it. */
  participant: string
  /** The role we last knew, until the server says (again). */
  role: BoardRole
}

export function syncUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`
}

/** The IndexedDB database that keeps this browser's copy of a board. */
export function localDatabaseName(boardId: string): string {
  return `common-ground/board/${boardId}`
}

/** Deletes this browser's copy of a board (the board on the server is untouched). */
export function forgetLocalCopy(boardId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(localDatabaseName(boardId))
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
    // Another tab still has the board open: the deletion completes when it closes.
    request.onblocked = () => resolve()
  })
}

function refusalStorageKey(boardId: string): string {
  return `common-ground/refused/${boardId}`
}

/** The refusal that made this page reload, once (then forgotten). */
function takeRefusalBeforeReload(boardId: string): WriteRefusalCode | null {
  try {
    const key = refusalStorageKey(boardId)
    const code = sessionStorage.getItem(key)
    sessionStorage.removeItem(key)
    return code as WriteRefusalCode | null
  } catch {
    return null
  }
}

function isCountRecord(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((count) => typeof count === 'number')
}

function isNamesRecord(value: unknown): value is Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every(
    (names) => Array.isArray(names) && names.every((name) => typeof name === 'string'),
  )
}

export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly board: BoardDoc = openBoardDoc(this.doc)
  readonly provider: WebsocketProvider
  readonly local: IndexeddbPersistence
  readonly status = atom<ConnectionStatus>('connection status', 'connecting')
  /** How many people (including me) have this board open. */
  readonly peerCount = atom('peer count', 1)
  /** Board items (notes, shapes…) changed here that the server has not been sent yet. */
  readonly waitingCount = atom('waiting count', 0)
  /**
   * Resolves when the board can be shown: after the first full sync with the server, or, when
   * the server cannot be reached, from this browser's own copy if it has one.
   */
  readonly ready: Promise<void>

  /** What the server says this connection may do (its welcome notice). */
  readonly role = atom<BoardRole>('role', 'observer')
  /** The last change of ours the server refused. */
  readonly refusedWrite = atom<WriteRefusedNotice | null>('refused write', null)
  /** My dots per vote, as the server last told us (its ballot notices), by session id. */
  readonly ballots = atom<ReadonlyMap<string, Record<string, number>>>('my ballots', new Map())
  /** How many private notes the hidden brainstorm round holds (the server's count notices). */
  readonly privateCount = atom<PrivateCount | null>('private count', null)
  /** What everyone may know of each running vote (the server's turnout notices), by session id. */
  readonly turnouts = atom<ReadonlyMap<string, Turnout>>('turnouts', new Map())
  /**
   * Grows each time the socket opens: a dot request is answered on the socket it was sent on,
   * or not at all (a new socket is greeted with my ballots instead).
   */
  readonly socketSerial = atom('socket serial', 0)

  /** Why the server refused this board for good (e.g. a revoked link); no more retries. */
  refusal: string | null = null
  /** Its close code (4400-4499), to say the right thing. */
  refusalCode: number | null = null

  private reloading = false
  private readonly boardId: string
  private hasBeenLive = false
  private attempts = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private failedAttempts = 0
  private readonly waiting = new Set<string>()
  private readonly disposers: Array<() => void> = []
  private readonly ballotListeners = new Set<(notice: BallotNotice) => void>()
  private readonly roundListeners = new Set<(notice: RoundNotice) => void>()
  private readonly privateNoteListeners = new Set<(notice: PrivateNotesNotice) => void>()

  constructor(boardId: string, serverUrl: string, credentials: ConnectionCredentials) {
    this.boardId = boardId
    this.role.set(credentials.role)
    // Why the page was reloaded, if it was because the server refused one of our changes.
    const refusedBeforeReload = takeRefusalBeforeReload(boardId)
    if (refusedBeforeReload) this.refusedWrite.set({ code: refusedBeforeReload, serial: 1 })
    this.local = new IndexeddbPersistence(localDatabaseName(boardId), this.doc)
    this.provider = new WebsocketProvider(serverUrl, boardId, this.doc, {
      params: {
        ...(credentials.token ? { token: credentials.token } : {}),
        participant: credentials.participant,
      },
      // We schedule every retry ourselves (backoff with jitter, paused in hidden tabs).
      shouldReconnect: (event) => {
        if (isPermanentClose(event.code)) {
          this.refusal = event.reason || String(event.code)
          this.refusalCode = event.code
        } else {
          this.scheduleRetry()
        }
        return false
      },
    })
    const provider = this.provider
    provider.messageHandlers[MESSAGE_NOTICE] = (_encoder, decoder) => {
      this.receiveNotice(decoding.readVarString(decoder))
    }

    let localLoaded = false
    this.ready = new Promise((resolve) => {
      const fromLocalCopy = () => {
        const haveCopy = this.board.records.yarray.length > 0
        const serverUnreachable = this.failedAttempts > 0 || navigator.onLine === false
        if (localLoaded && haveCopy && serverUnreachable) resolve()
      }
      provider.on('sync', (synced: boolean) => synced && resolve())
      provider.on('connection-close', fromLocalCopy)
      this.local.whenSynced.then(() => {
        localLoaded = true
        fromLocalCopy()
      })
    })

    const update = () => this.status.set(this.computeStatus())
    provider.on('status', update)
    // Peers dropped our presence when we disconnected but remember its clock, and ignore the same
    // state sent again with that clock: re-publish it with a new clock on every (re)connection.
    provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.socketSerial.update((serial) => serial + 1)
      const presence = provider.awareness.getLocalState()
      if (status === 'connected' && presence) provider.awareness.setLocalState({ ...presence })
    })
    provider.on('sync', update)
    // A refusal for good is known only after 'connection-close' (y-websocket asks
    // shouldReconnect later); 'closed' comes last, when `refusal` is set.
    provider.on('closed', update)
    provider.on('connection-close', () => {
      this.failedAttempts++
      update()
    })
    // A network change often leaves a socket that looks open but carries nothing: start afresh.
    const onOnline = () => {
      update()
      this.reconnectNow()
    }
    // A tab in the background waits; when the person comes back it tries at once.
    const onVisibility = () => {
      if (document.visibilityState === 'visible' && this.retryTimer === null) this.retryNow()
    }
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', update)
    document.addEventListener('visibilitychange', onVisibility)
    this.disposers.push(() => {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', update)
      document.removeEventListener('visibilitychange', onVisibility)
      if (this.retryTimer) clearTimeout(this.retryTimer)
    })

    // What this person changed while not live: the server gets it with the next sync.
    const onRecords = (changes: Map<string, unknown>, transaction: Y.Transaction) => {
      if (this.status.get() === 'live') return
      if (transaction.origin === provider || transaction.origin === this.local) return
      for (const key of changes.keys()) this.waiting.add(key)
      this.waitingCount.set(this.waiting.size)
    }
    this.board.records.on('change', onRecords)
    this.disposers.push(() => this.board.records.off('change', onRecords))

    this.disposers.push(guardRecentUpdates(boardId, this.doc, [provider, this.local]))

    const countPeers = () => this.peerCount.set(Math.max(1, provider.awareness.getStates().size))
    provider.awareness.on('change', countPeers)
    this.disposers.push(() => provider.awareness.off('change', countPeers))
  }

  private receiveNotice(json: string): void {
    const notice = readNotice(json)
    if (notice?.kind === 'welcome' && isBoardRole(notice.role)) {
      this.role.set(notice.role)
      if (typeof notice.now === 'number') noteServerTime(notice.now)
    } else if (notice?.kind === 'write-refused' && typeof notice.code === 'string') {
      const serial = (this.refusedWrite.get()?.serial ?? 0) + 1
      this.refusedWrite.set({ code: notice.code, serial })
      if (notice.resync === true) this.reloadFromServer(notice.code)
    } else if (notice?.kind === 'ballot') {
      if (typeof notice.sessionId !== 'string' || !isCountRecord(notice.dots)) return
      const received: BallotNotice = {
        sessionId: notice.sessionId,
        dots: notice.dots,
        socket: this.socketSerial.get(),
      }
      if (typeof notice.refused === 'string') received.refused = notice.refused
      // One change for whoever watches: the server's ballot in, the guess it answers out.
      transact(() => {
        const next = new Map(this.ballots.get())
        next.set(received.sessionId, received.dots)
        this.ballots.set(next)
        for (const listener of [...this.ballotListeners]) listener(received)
      })
    } else if (notice?.kind === 'turnout') {
      if (typeof notice.sessionId !== 'string' || typeof notice.voters !== 'number') return
      const turnout: Turnout = { sessionId: notice.sessionId, voters: notice.voters }
      if (isCountRecord(notice.dots)) turnout.dots = notice.dots
      if (isNamesRecord(notice.names)) turnout.names = notice.names
      const next = new Map(this.turnouts.get())
      next.set(notice.sessionId, turnout)
      this.turnouts.set(next)
    } else if (notice?.kind === 'round-ballot' || notice?.kind === 'round-turnout') {
      if (typeof notice.roundId !== 'string') return
      for (const listener of [...this.roundListeners]) listener(notice)
    } else if (notice?.kind === 'private-count') {
      const { round, notes, people } = notice
      if (![round, notes, people].every(Number.isSafeInteger)) return
      this.privateCount.set({ round, notes, people })
    } else if (notice?.kind === 'private-notes' || notice?.kind === 'private-note') {
      if (!Number.isSafeInteger(notice.round)) return
      for (const listener of [...this.privateNoteListeners]) listener(notice)
    }
  }

  /** Calls `listener` with each notice about my private notes (see room/privateNotes.ts). */
  onPrivateNotes(listener: (notice: PrivateNotesNotice) => void): () => void {
    this.privateNoteListeners.add(listener)
    return () => this.privateNoteListeners.delete(listener)
  }

  /**
   * Sends one of my private notes to the server (`MESSAGE_PRIVATE_NOTE`). Only while live;
   * false otherwise, and the caller keeps it to send when the server greets it again.
   */
  sendPrivateNote(request: PrivateNoteRequest): boolean {
    return this.sendJson(MESSAGE_PRIVATE_NOTE, request)
  }

  /** Calls `listener` with each notice about placement rounds and consensus checks. */
  onRound(listener: (notice: RoundNotice) => void): () => void {
    this.roundListeners.add(listener)
    return () => this.roundListeners.delete(listener)
  }

  /** Sends one placement or consensus mark (`MESSAGE_ROUND`). Only while live, like a dot. */
  sendRoundMark(request: RoundRequest): boolean {
    return this.sendJson(MESSAGE_ROUND, request)
  }

  /** Calls `listener` with each ballot notice, after `ballots` holds it. */
  onBallot(listener: (notice: BallotNotice) => void): () => void {
    this.ballotListeners.add(listener)
    return () => this.ballotListeners.delete(listener)
  }

  /**
   * Asks the server for one dot more or less (message type `MESSAGE_BALLOT`). Only while live:
   * a dot is never queued for later (it would land after the person moved on, or after the vote
   * closed), so this returns false and the caller says that voting needs the connection.
   */
  sendDot(request: DotRequest): boolean {
    return this.sendJson(MESSAGE_BALLOT, request)
  }

  private sendJson(type: number, request: object): boolean {
    const ws = this.provider.ws
    if (this.status.get() !== 'live' || !ws || ws.readyState !== WebSocket.OPEN) return false
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, type)
    encoding.writeVarString(encoder, JSON.stringify(request))
    ws.send(encoding.toUint8Array(encoder))
    return true
  }

  /**
   * Our copy holds a change the server refused (it never reached anyone else). The server does not
   * write the old values back, so we drop this browser's copy and load the board afresh: what the
   * server kept is all there, the refused change is gone. Everything else we did was already sent.
   */
  private reloadFromServer(code: WriteRefusalCode): void {
    if (this.reloading) return
    this.reloading = true
    try {
      sessionStorage.setItem(refusalStorageKey(this.boardId), code)
    } catch {
      // Private mode without storage: the reload still happens, without the explanation.
    }
    this.provider.disconnect() // nothing more built on the refused change
    for (const dispose of this.disposers.splice(0)) dispose() // incl. the leave-page guard
    void this.local.clearData().finally(() => window.location.reload())
  }

  private computeStatus(): ConnectionStatus {
    if (this.refusal !== null) return 'refused'
    if (navigator.onLine === false) return 'offline'
    if (this.provider.wsconnected && this.provider.synced) {
      // The sync exchange has sent the server everything it was missing from us.
      this.hasBeenLive = true
      this.failedAttempts = 0
      this.attempts = 0
      this.waiting.clear()
      this.waitingCount.set(0)
      return 'live'
    }
    return this.hasBeenLive || this.failedAttempts > 0 ? 'reconnecting' : 'connecting'
  }

  private scheduleRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    if (document.visibilityState === 'hidden') return
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null
        this.provider.connect()
      },
      reconnectDelay(this.attempts++),
    )
  }

  /** Connects now if we are waiting to retry (not if connected, nor if refused for good). */
  private retryNow(): void {
    if (this.refusal !== null || this.provider.shouldConnect) return
    this.provider.connect()
  }

  /** Skips the remaining backoff and tries again at once. */
  reconnectNow(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.refusal = null
    this.provider.disconnect()
    this.provider.connect()
  }

  destroy(): void {
    for (const dispose of this.disposers) dispose()
    this.provider.destroy()
    this.local.destroy()
    this.doc.destroy()
  }
}
