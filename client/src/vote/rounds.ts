/**
 * Placement rounds and consensus checks in the browser: the rounds map of the document (rounds,
 * and the results the server wrote at the reveal), my own marks as the server keeps them (they
 * never enter the document), and how many have taken part. A mark is checked here by the round's
 * rules (shared `castMark`), shown at once and sent; the server's answer is the truth, and a
 * refusal becomes the vote notice (`round.refused.<reason>`).
 */
import type { MessageKey } from '@common-ground/shared/i18n'
import {
  castMark,
  ROUNDS,
  type RoundMark,
  type RoundState,
  readRoundState,
} from '@common-ground/shared/vote'
import { atom, react, type Signal } from '@tldraw/state'
import type { BoardConnection } from '../sync/BoardConnection.ts'
import { showVoteNotice } from './voteNotice.ts'

export type Marks = Readonly<Record<string, RoundMark>>

export class Rounds {
  readonly state: Signal<RoundState>
  /** My marks per round, by round id: the server's, with what I just sent applied. */
  readonly marks: Signal<ReadonlyMap<string, Marks>>
  /** How many have taken part in each running round (the server's count). */
  readonly turnouts: Signal<ReadonlyMap<string, number>>
  readonly #state
  readonly #marks = atom<ReadonlyMap<string, Marks>>('my round marks', new Map())
  readonly #turnouts = atom<ReadonlyMap<string, number>>('round turnouts', new Map())
  readonly #connection: BoardConnection
  readonly #mayWrite: Signal<boolean>
  readonly #disposers: Array<() => void> = []
  /**
   * Requests sent and not yet answered, per round: until the last is answered, what I see is my
   * own latest mark (an older answer would move a slider back under my finger).
   */
  readonly #pending = new Map<string, number>()

  constructor(connection: BoardConnection, mayWrite: Signal<boolean>) {
    this.#connection = connection
    this.#mayWrite = mayWrite
    const doc = connection.doc
    this.#state = atom('rounds', readRoundState(doc))
    this.state = this.#state
    this.marks = this.#marks
    this.turnouts = this.#turnouts
    const map = doc.getMap(ROUNDS)
    // Small (rounds and results; marks are the server's): re-read whole on each change.
    const read = () => this.#state.set(readRoundState(doc))
    map.observe(read)
    this.#disposers.push(() => map.unobserve(read))
    // A new socket is greeted with my marks as kept: nothing sent on the old one is awaited.
    this.#disposers.push(
      react('round requests in flight', () => {
        connection.socketSerial.get()
        this.#pending.clear()
      }),
    )
    this.#disposers.push(
      connection.onRound((notice) => {
        if (notice.kind === 'round-turnout') {
          if (typeof notice.voters !== 'number') return
          const next = new Map(this.#turnouts.get())
          next.set(notice.roundId, notice.voters)
          this.#turnouts.set(next)
          return
        }
        if (typeof notice.marks !== 'object' || notice.marks === null) return
        const pending = Math.max(0, (this.#pending.get(notice.roundId) ?? 0) - 1)
        this.#pending.set(notice.roundId, pending)
        if (pending > 0 && !notice.refused) return
        const next = new Map(this.#marks.get())
        next.set(notice.roundId, notice.marks)
        this.#marks.set(next)
        if (notice.refused) showVoteNotice(`round.refused.${notice.refused}` as MessageKey)
      }),
    )
  }

  /**
   * Puts my mark on one issue of a round (null takes it back). Not while offline: a mark is
   * never queued. Returns whether it was sent.
   */
  place(roundId: string, itemId: string, mark: RoundMark | null): boolean {
    const round = this.#state.get().rounds.get(roundId)
    if (!round) {
      showVoteNotice('round.refused.unknownRound')
      return false
    }
    if (!this.#mayWrite.get()) {
      showVoteNotice('round.refused.cannotVote')
      return false
    }
    const mine = { marks: { ...(this.#marks.get().get(roundId) ?? {}) } }
    const checked = castMark(round, mine, { itemId, mark })
    if (!checked.ok) {
      showVoteNotice(`round.refused.${checked.reason}` as MessageKey)
      return false
    }
    if (!this.#connection.sendRoundMark({ roundId, itemId, mark })) {
      showVoteNotice('vote.needsConnection')
      return false
    }
    this.#pending.set(roundId, (this.#pending.get(roundId) ?? 0) + 1)
    const next = new Map(this.#marks.get())
    next.set(roundId, checked.ballot.marks)
    this.#marks.set(next)
    return true
  }

  dispose(): void {
    for (const dispose of this.#disposers.splice(0)) dispose()
  }
}
