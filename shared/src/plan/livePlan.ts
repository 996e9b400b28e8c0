/**
 * The plan of a live board, kept current without re-deriving on every keystroke: Yjs updates mark
 * it stale, and it is derived again at most once per `throttleMs` (trailing, so the last edit
 * always shows). With ten people typing, the panel costs one `derivePlan` per interval instead
 * of one per update. While nobody listens, updates only mark it stale and `get()` derives on
 * demand, so one LivePlan per open board costs nothing until a panel or an export asks. No DOM:
 * timers are injectable for tests.
 */
import type * as Y from 'yjs'
import type { Locale } from '../i18n/index.ts'
import { derivePlan } from './derivePlan.ts'
import type { PartnershipPlan } from './partnershipPlan.ts'

export interface LivePlanOptions {
  /** Least time between two derivations. */
  throttleMs?: number
  locale?: Locale
  now?: () => number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export const DEFAULT_PLAN_THROTTLE_MS = 250

export class LivePlan {
  readonly #doc: Y.Doc
  readonly #throttleMs: number
  readonly #now: () => number
  readonly #setTimer: (run: () => void, ms: number) => unknown
  readonly #clearTimer: (timer: unknown) => void
  readonly #listeners = new Set<(plan: PartnershipPlan) => void>()
  #locale: Locale | undefined
  #plan: PartnershipPlan | null = null
  /** The doc (or the locale) changed since `#plan` was derived. */
  #stale = true
  #lastDerived = Number.NEGATIVE_INFINITY
  #timer: unknown = null
  #destroyed = false
  /** How many times the plan was derived (for tests and the benchmark). */
  derivations = 0

  constructor(doc: Y.Doc, options: LivePlanOptions = {}) {
    this.#doc = doc
    this.#throttleMs = options.throttleMs ?? DEFAULT_PLAN_THROTTLE_MS
    this.#locale = options.locale
    this.#now = options.now ?? (() => performance.now())
    this.#setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms))
    this.#clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>))
    doc.on('update', this.#onUpdate)
  }

  /** The plan as the doc is now (derived at once when it changed since the last derivation). */
  get(): PartnershipPlan {
    if (this.#plan === null || (this.#stale && !this.#destroyed)) this.#refresh()
    return this.#plan as PartnershipPlan
  }

  /** Calls `listener` with each newly derived plan; returns the function that stops it. */
  subscribe(listener: (plan: PartnershipPlan) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Words the template's questions in another language (re-derives at once). */
  setLocale(locale: Locale): void {
    if (locale === this.#locale) return
    this.#locale = locale
    this.#stale = true
    this.#cancelTimer()
    this.#publish()
  }

  destroy(): void {
    this.#destroyed = true
    this.#cancelTimer()
    this.#doc.off('update', this.#onUpdate)
    this.#listeners.clear()
  }

  #onUpdate = () => {
    if (this.#destroyed) return
    this.#stale = true
    if (this.#listeners.size === 0 || this.#timer !== null) return
    const wait = Math.max(0, this.#lastDerived + this.#throttleMs - this.#now())
    this.#timer = this.#setTimer(() => {
      this.#timer = null
      if (!this.#destroyed) this.#publish()
    }, wait)
  }

  #refresh(): void {
    this.#plan = this.#derive()
    this.#stale = false
  }

  #publish(): void {
    // `get()` may have derived since the timer was set: then the listeners get that plan.
    if (this.#stale || this.#plan === null) this.#refresh()
    const plan = this.#plan as PartnershipPlan
    for (const listener of this.#listeners) listener(plan)
  }

  #derive(): PartnershipPlan {
    this.#lastDerived = this.#now()
    this.derivations++
    return derivePlan(this.#doc, this.#locale ? { locale: this.#locale } : {})
  }

  #cancelTimer(): void {
    if (this.#timer === null) return
    this.#clearTimer(this.#timer)
    this.#timer = null
  }
}
