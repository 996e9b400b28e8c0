/**
 * One open board, as every panel sees it: the live connection, what this person may do there,
 * the facilitation mirror, the votes, one derived plan, and the commands that write. Created by
 * the board canvas once per board and handed down with `BoardModelContext`; components read its
 * signals and call its commands, and never reach into the Y.Doc themselves.
 */
import {
  type BoardCommands,
  type BoardRole,
  boardCommands,
  canFacilitate,
  isBoardClosed,
  type LinkedBoard,
  META,
  mayChangeBoard,
  participantIdFor,
  personIdFor,
  readLinkedBoards,
} from '@common-ground/shared/board'
import type { PrivateCount } from '@common-ground/shared/facilitation'
import type { Locale } from '@common-ground/shared/i18n'
import { LivePlan } from '@common-ground/shared/plan'
import {
  castDot,
  type DotRequest,
  readVoteState,
  type Turnout,
  VOTES,
  type VoteState,
} from '@common-ground/shared/vote'
import { atom, computed, type Signal } from '@tldraw/state'
import { setBoardClosed } from '../api.ts'
import type { Identity } from '../identity/identity.ts'
import { PrivateNotes } from '../room/privateNotes.ts'
import type { BoardConnection } from '../sync/BoardConnection.ts'
import { serverNow } from '../sync/serverClock.ts'
import { Rounds } from '../vote/rounds.ts'
import { showVoteNotice } from '../vote/voteNotice.ts'
import { createFacilitationMirror, type FacilitationMirror } from './facilitationMirror.ts'
import { loadMyOrganization, saveMyOrganization } from './myOrganization.ts'

export interface BoardModelOptions {
  boardId: string
  title: string
  /** The key of the link this board was opened with (null: an open board). */
  token: string | null
  /** This browser's secret: my ids on this board are derived from it (shared access.ts). */
  deviceSecret: string
  identity: Identity
  locale: Locale
}

/** The longest name a dot request carries in a named vote. */
const MAX_VOTER_NAME = 80

/** A dot asked of the server and not answered yet (applied to my ballot meanwhile). */
interface PendingDot {
  sessionId: string
  itemId: string
  delta: 1 | -1
  /** The socket it was sent on: only that socket's answer settles it. */
  socket: number
}

function applyDot(
  dots: Record<string, number>,
  itemId: string,
  delta: 1 | -1,
): Record<string, number> {
  const next = { ...dots }
  const count = (next[itemId] ?? 0) + delta
  if (count > 0) next[itemId] = count
  else delete next[itemId]
  return next
}

export class BoardModel {
  readonly boardId: string
  readonly title: string
  readonly token: string | null
  /**
   * What the server keeps my ballots under (shared `participantIdFor`). Never publish it in
   * presence or in a done mark: seen there, it would tie me to my ballots. (The notes of a
   * private round still name it as their author until the server keeps them, docs/security.md.)
   */
  readonly participantId: string
  /** The id everyone sees me by: my presence, my "I'm done" mark (shared `personIdFor`). */
  readonly personId: string
  readonly connection: BoardConnection
  readonly identity: Signal<Identity>
  /** What the server lets this browser do here (its welcome notice; the page's guess before). */
  readonly role: Signal<BoardRole>
  /** A facilitator closed the board to edits after the retreat. */
  readonly closed: Signal<boolean>
  /** The retreat this board continues, and the one that continues it (the server's `meta`). */
  readonly linkedBoards: Signal<{ previous: LinkedBoard | null; next: LinkedBoard | null }>
  /** Whether anything may be changed from here (not an observer, not a closed board). */
  readonly mayWrite: Signal<boolean>
  /** Whether this person runs the room (agenda, timer, votes) and may do so now. */
  readonly mayFacilitate: Signal<boolean>
  readonly facilitation: FacilitationMirror
  /** My notes in a hidden brainstorm round, kept by the server until the reveal. */
  readonly privateNotes: PrivateNotes
  /** How many private notes the hidden round holds, from how many people (the server's count). */
  readonly privateCount: Signal<PrivateCount | null>
  readonly votes: Signal<VoteState>
  /**
   * My dots per vote, by session id: the server's ballot (ballots never enter the shared
   * document), with the dots I asked for and it has not answered yet applied, so the UI is instant.
   */
  readonly myBallots: Signal<ReadonlyMap<string, Record<string, number>>>
  /** What everyone may know of each running vote (how many voted; counts when visible). */
  readonly turnouts: Signal<ReadonlyMap<string, Turnout>>
  /** Placement rounds and consensus checks, with my marks as the server keeps them. */
  readonly rounds: Rounds
  /** The organization this person said they belong to (kept on this device). */
  readonly organization: Signal<string | null>
  /** The plan, derived from the board (throttled while panels watch, fresh on `get()`). */
  readonly plan: LivePlan
  /** Every write to the board, one named command each (shared `boardCommands`). */
  readonly commands: BoardCommands

  readonly #identity
  readonly #closed
  readonly #votes
  readonly #pendingDots = atom<readonly PendingDot[]>('pending dots', [])
  readonly #organization
  readonly #disposers: Array<() => void> = []

  constructor(connection: BoardConnection, options: BoardModelOptions) {
    this.connection = connection
    this.boardId = options.boardId
    this.title = options.title
    this.token = options.token
    this.participantId = participantIdFor(options.deviceSecret, options.boardId)
    this.personId = personIdFor(options.deviceSecret, options.boardId)
    this.role = connection.role
    this.#identity = atom('identity', options.identity)
    this.identity = this.#identity
    const doc = connection.doc

    this.#closed = atom('closed', isBoardClosed(doc))
    this.closed = this.#closed
    const meta = doc.getMap(META)
    const linkedBoards = atom('linked boards', readLinkedBoards(doc), {
      isEqual: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    })
    this.linkedBoards = linkedBoards
    const readMeta = () => {
      this.#closed.set(isBoardClosed(doc))
      linkedBoards.set(readLinkedBoards(doc))
    }
    meta.observe(readMeta)
    this.#disposers.push(() => meta.unobserve(readMeta))

    this.mayWrite = computed('may write', () => mayChangeBoard(this.role.get(), this.closed.get()))
    this.mayFacilitate = computed(
      'may facilitate',
      () => canFacilitate(this.role.get()) && this.mayWrite.get(),
    )

    this.facilitation = createFacilitationMirror()
    this.#disposers.push(this.facilitation.attach(doc))
    this.privateNotes = new PrivateNotes({
      connection,
      board: connection.board,
      brainstorm: this.facilitation.brainstorm,
      boardId: options.boardId,
      participantId: this.participantId,
    })
    this.privateCount = computed('private count', () => {
      const brainstorm = this.facilitation.brainstorm.get()
      const count = connection.privateCount.get()
      return brainstorm?.hidden && count?.round === brainstorm.serial ? count : null
    })

    this.#votes = atom('votes', readVoteState(doc))
    this.votes = this.#votes
    const votes = doc.getMap(VOTES)
    // Small (sessions and outcomes; ballots are the server's), so re-read whole on each change.
    const readVotes = () => this.#votes.set(readVoteState(doc))
    votes.observe(readVotes)
    this.#disposers.push(() => votes.unobserve(readVotes))

    this.turnouts = connection.turnouts
    this.myBallots = computed('my ballots', () => {
      const socket = connection.socketSerial.get()
      const pending = this.#pendingDots.get().filter((dot) => dot.socket === socket)
      const confirmed = connection.ballots.get()
      if (pending.length === 0) return confirmed
      const mine = new Map(confirmed)
      for (const dot of pending)
        mine.set(dot.sessionId, applyDot(mine.get(dot.sessionId) ?? {}, dot.itemId, dot.delta))
      return mine
    })
    // The server answers each request, in order, with my ballot as it keeps it: that answer
    // replaces the prediction (and says why, when the dot was refused).
    this.#disposers.push(
      connection.onBallot((notice) => {
        const pending = this.#pendingDots.get().filter((dot) => dot.socket === notice.socket)
        const answered = pending.findIndex((dot) => dot.sessionId === notice.sessionId)
        if (answered >= 0) pending.splice(answered, 1)
        this.#pendingDots.set(pending)
        if (notice.refused) showVoteNotice(`vote.refused.${notice.refused}`)
      }),
    )

    this.rounds = new Rounds(connection, this.mayWrite)
    this.#disposers.push(() => this.rounds.dispose())

    this.#organization = atom('my organization', loadMyOrganization(options.boardId))
    this.organization = this.#organization

    this.plan = new LivePlan(doc, { locale: options.locale })
    this.#disposers.push(() => this.plan.destroy())
    this.commands = boardCommands(doc)
  }

  get doc() {
    return this.connection.doc
  }

  setIdentity(identity: Identity): void {
    this.#identity.set(identity)
  }

  setOrganization(organization: string | null): void {
    saveMyOrganization(this.boardId, organization)
    this.#organization.set(organization)
  }

  setLocale(locale: Locale): void {
    this.plan.setLocale(locale)
  }

  /**
   * One of my dots more (+1) or less (−1) on a note of a vote: checked here by the vote's rules
   * (shared `castDot`) and shown at once, then sent to the server, whose answer is the truth.
   * Not while the connection is down: a dot is never queued. A refusal becomes the vote notice.
   * Returns whether the dot was sent.
   */
  castDot(sessionId: string, itemId: string, delta: 1 | -1): boolean {
    const session = this.votes.get().sessions.get(sessionId)
    if (!session) {
      showVoteNotice('vote.refused.unknownVote')
      return false
    }
    if (!this.mayWrite.get()) {
      showVoteNotice('vote.refused.cannotVote')
      return false
    }
    const dots = this.myBallots.get().get(sessionId) ?? {}
    // Nothing to take back: nothing to ask.
    if (delta < 0 && !dots[itemId]) return false
    if (this.connection.status.get() !== 'live') {
      showVoteNotice('vote.needsConnection')
      return false
    }
    const name = session.anonymous
      ? undefined
      : this.identity.get().name.trim().slice(0, MAX_VOTER_NAME) || undefined
    const result = castDot(session, { dots }, { itemId, delta }, serverNow(), name)
    if (!result.ok) {
      showVoteNotice(`vote.refused.${result.reason}`)
      return false
    }
    const request: DotRequest = { sessionId, itemId, delta }
    if (name !== undefined) request.name = name
    if (!this.connection.sendDot(request)) {
      showVoteNotice('vote.needsConnection')
      return false
    }
    const socket = this.connection.socketSerial.get()
    this.#pendingDots.update((pending) => [
      ...pending.filter((dot) => dot.socket === socket),
      { sessionId, itemId, delta, socket },
    ])
    return true
  }

  /**
   * Closes the board to edits (or reopens it): the server's own write, asked for over HTTP with
   * the facilitator's key; everyone's `closed` follows when the server's change arrives.
   */
  async closeBoard(closed: boolean): Promise<boolean> {
    if (!this.token) return false
    const result = await setBoardClosed(this.boardId, closed, this.token)
    return result.ok
  }

  destroy(): void {
    for (const dispose of this.#disposers.splice(0)) dispose()
  }
}
