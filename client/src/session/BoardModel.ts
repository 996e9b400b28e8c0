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
  META,
  mayChangeBoard,
  participantIdFor,
} from '@common-ground/shared/board'
import type { Locale } from '@common-ground/shared/i18n'
import { LivePlan } from '@common-ground/shared/plan'
import { readVoteState, VOTES, type VoteState } from '@common-ground/shared/vote'
import { atom, computed, type Signal } from 'tldraw'
import { setBoardClosed } from '../api.ts'
import type { Identity } from '../identity/identity.ts'
import type { BoardConnection } from '../sync/BoardConnection.ts'
import { createFacilitationMirror, type FacilitationMirror } from './facilitationMirror.ts'
import { loadMyOrganization, saveMyOrganization } from './myOrganization.ts'

export interface BoardModelOptions {
  boardId: string
  title: string
  /** The key of the link this board was opened with (null: an open board). */
  token: string | null
  /** This browser's secret: ballots and "done" marks are written for the id derived from it. */
  deviceSecret: string
  identity: Identity
  locale: Locale
}

export class BoardModel {
  readonly boardId: string
  readonly title: string
  readonly token: string | null
  /** Whom ballots and "done" marks are written for (see shared `participantIdFor`). */
  readonly participantId: string
  readonly connection: BoardConnection
  readonly identity: Signal<Identity>
  /** What the server lets this browser do here (its welcome notice; the page's guess before). */
  readonly role: Signal<BoardRole>
  /** A facilitator closed the board to edits after the retreat. */
  readonly closed: Signal<boolean>
  /** Whether anything may be changed from here (not an observer, not a closed board). */
  readonly mayWrite: Signal<boolean>
  /** Whether this person runs the room (agenda, timer, votes) and may do so now. */
  readonly mayFacilitate: Signal<boolean>
  readonly facilitation: FacilitationMirror
  readonly votes: Signal<VoteState>
  /** The organization this person said they belong to (kept on this device). */
  readonly organization: Signal<string | null>
  /** The plan, derived from the board (throttled while panels watch, fresh on `get()`). */
  readonly plan: LivePlan
  /** Every write to the board, one named command each (shared `boardCommands`). */
  readonly commands: BoardCommands

  readonly #identity
  readonly #closed
  readonly #votes
  readonly #organization
  readonly #disposers: Array<() => void> = []

  constructor(connection: BoardConnection, options: BoardModelOptions) {
    this.connection = connection
    this.boardId = options.boardId
    this.title = options.title
    this.token = options.token
    this.participantId = participantIdFor(options.deviceSecret, options.boardId)
    this.role = connection.role
    this.#identity = atom('identity', options.identity)
    this.identity = this.#identity
    const doc = connection.doc

    this.#closed = atom('closed', isBoardClosed(doc))
    this.closed = this.#closed
    const meta = doc.getMap(META)
    const readClosed = () => this.#closed.set(isBoardClosed(doc))
    meta.observe(readClosed)
    this.#disposers.push(() => meta.unobserve(readClosed))

    this.mayWrite = computed('may write', () => mayChangeBoard(this.role.get(), this.closed.get()))
    this.mayFacilitate = computed(
      'may facilitate',
      () => canFacilitate(this.role.get()) && this.mayWrite.get(),
    )

    this.facilitation = createFacilitationMirror()
    this.#disposers.push(this.facilitation.attach(doc))

    this.#votes = atom('votes', readVoteState(doc))
    this.votes = this.#votes
    const votes = doc.getMap(VOTES)
    // Small (one entry per ballot), so re-read whole on each change.
    const readVotes = () => this.#votes.set(readVoteState(doc))
    votes.observe(readVotes)
    this.#disposers.push(() => votes.unobserve(readVotes))

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
