/**
 * What a client may write into a board, entry by entry. The server reads every incoming update in
 * full and runs what it would change through these rules before the board is touched (and applies
 * none of it when one entry is refused); clients can ask the same questions to disable what would
 * be refused.
 *
 * A write is one entry of a top-level type: a tldraw record of `records`, or a key of `plan`
 * (and further plan maps). Values are plain JSON; nested Yjs types, text types and subdocuments
 * never occur in a board, so they are refused outright. `meta` belongs to the server: its schema,
 * title and settings change through the server's own code (migrations, HTTP calls), never as a
 * client's write.
 */
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { FACILITATION } from '../facilitation/facilitationKeys.ts'
import { checkFacilitationWrite } from '../facilitation/facilitationRules.ts'
import { reviewRoomRecord } from '../facilitation/recordRules.ts'
import { createBoardSchema } from '../plan/boardSchema.ts'
import { type CheckInContext, checkCheckInWrite, countCheckInsAfter } from '../plan/checkInEdits.ts'
import { isCheckInKey } from '../plan/checkIns.ts'
import {
  checkIndicatorValueWrite,
  checkIndicatorWrite,
  countValuesAfter,
  type IndicatorContext,
  parseIndicatorKey,
} from '../plan/indicatorTracking.ts'
import { isIndicatorValueKey } from '../plan/indicatorValue.ts'
import { checkPlanEntry, PLAN, planEntryValidator } from '../plan/planData.ts'
import {
  checkStepUpdateWrite,
  countUpdatesAfter,
  isStepUpdateKey,
  type StepUpdateContext,
} from '../plan/stepUpdates.ts'
import { checkMergedNote, type MergeContext } from '../themes/merge.ts'
import { checkParkedRecord } from '../themes/parkingLot.ts'
import { checkThemeRecord } from '../themes/theme.ts'
import type { VoteRefusal } from '../vote/ballot.ts'
import { checkRoundWrite, ROUNDS, type RoundRefusal } from '../vote/round.ts'
import type { VoteSession } from '../vote/session.ts'
import { voteSessionsBefore } from '../vote/voteDoc.ts'
import { VOTES } from '../vote/voteKeys.ts'
import { checkVoteWrite } from '../vote/voteRules.ts'
import { type BoardRole, canEdit } from './access.ts'
import { META, RECORDS } from './boardDoc.ts'
import { isBoardClosed, mayChangeBoard } from './boardMeta.ts'
import {
  ALLOWED,
  type RuleRefusal,
  type RuleResult,
  refuse,
  type WriteRefusalCode,
} from './rules.ts'

/** The top-level maps of a board; the server types them up front (see `Room`). */
export const BOARD_MAPS: readonly string[] = [META, PLAN, VOTES, FACILITATION, ROUNDS]

export interface BoardWrite {
  /** The top-level type written (`records`, `meta`, `plan`, …). */
  root: string
  /** The record id or map key. */
  key: string
  /** The entry before the update; `undefined` when it did not exist. */
  before: unknown
  /** The entry after the update; `undefined` when the update removed it. */
  after: unknown
  /** Why this is not a plain entry (a nested type, text, a subdocument…); always refused. */
  unsupported?: string
}

export interface Writer {
  role: BoardRole
  /**
   * What the server keeps this person's ballots under (see `participantIdFor`); never shown to
   * others. Null for observers and the server's own tools.
   */
  participantId: string | null
  /**
   * The id others see this person by (see `personIdFor`): their presence and their "I'm done"
   * mark. Null: the writer marks nobody done.
   */
  personId: string | null
}

/**
 * The review's verdict on an update: the first refused write's reason (`WRITE_REFUSALS`, rules.ts)
 * as the code the server reports to the writer and counts, and its message.
 */
export interface WriteRefusal {
  code: WriteRefusalCode
  /** For logs and developers; people get a translated sentence chosen by `code`. */
  message: string
}

/** What each entry's review answers (see rules.ts). */
type WriteCheck = RuleResult<WriteRefusalCode>

/** Records a board cannot lose: without them tldraw cannot open it. */
const PERMANENT_RECORDS = new Set(['document:document'])

export class BoardRules {
  readonly #schema: TLSchema

  constructor(schema: TLSchema = createBoardSchema()) {
    this.#schema = schema
  }

  /**
   * Null when every write of one update may stand; otherwise why the first refused one may not.
   * `doc` is the board before the update (the server reviews before it applies anything). Linear
   * in the number of writes.
   */
  reviewUpdate(writes: readonly BoardWrite[], writer: Writer, doc: Y.Doc): WriteRefusal | null {
    let sessions: ReadonlyMap<string, VoteSession> | null = null
    let updates: StepUpdateContext | null = null
    let checkIns: CheckInContext | null = null
    let indicators: IndicatorContext | null = null
    let merges: MergeContext | null = null
    for (const write of writes) {
      // The role first: a view link writes nothing, not even a value an entry already holds.
      if (!canEdit(writer.role)) {
        return verdict(
          refuse(
            'read-only',
            `this link can only view the board (${clip(write.root)} ${clip(write.key)})`,
          ),
        )
      }
      // Re-putting a value unchanged (tldraw re-saves records it normalised) harms nothing. Values
      // are plain JSON here (the server refuses the rest at the door), so their text compares them.
      if (!write.unsupported && sameValue(write.before, write.after)) continue
      const result = this.#review(
        write,
        writer,
        doc,
        () => {
          sessions ??= voteSessionsBefore(doc, writes)
          return sessions
        },
        () => {
          updates ??= stepUpdateContext(doc, writes, writer)
          return updates
        },
        () => {
          checkIns ??= checkInContext(doc, writes, writer)
          return checkIns
        },
        () => {
          indicators ??= indicatorContext(doc, writes, writer)
          return indicators
        },
        () => {
          sessions ??= voteSessionsBefore(doc, writes)
          merges ??= mergeContext(doc, writes, sessions)
          return merges
        },
      )
      if (!result.ok) return verdict(result)
    }
    return null
  }

  #review(
    write: BoardWrite,
    writer: Writer,
    doc: Y.Doc,
    sessionsBefore: () => ReadonlyMap<string, VoteSession>,
    stepUpdates: () => StepUpdateContext,
    checkIns: () => CheckInContext,
    indicators: () => IndicatorContext,
    merges: () => MergeContext,
  ): WriteCheck {
    if (write.unsupported) return refuse('invalid', `${write.root}: ${write.unsupported}`)
    if (!mayChangeBoard(writer.role, isBoardClosed(doc))) {
      // The flag itself is a facilitator's write, so a participant cannot lift it.
      return refuse('board-closed', 'the board is closed to edits')
    }
    switch (write.root) {
      case RECORDS:
        return this.#reviewRecord(write, writer, doc, merges)
      case META:
        return refuse('server-only', `board setting "${clip(write.key)}" is the server's to change`)
      case PLAN:
        if (isStepUpdateKey(write.key)) return checkStepUpdateWrite(write, stepUpdates())
        if (isCheckInKey(write.key)) return checkCheckInWrite(write, checkIns())
        if (isIndicatorValueKey(write.key)) return checkIndicatorValueWrite(write, indicators())
        if (parseIndicatorKey(write.key)) return checkIndicatorWrite(write, indicators())
        return reviewPlanEntry(write)
      case VOTES:
        return reviewVote(write, writer, sessionsBefore())
      case ROUNDS:
        return reviewRound(write, writer)
      case FACILITATION:
        return checkFacilitationWrite({ key: write.key, after: write.after, actor: writer })
      default:
        return refuse('invalid', `unknown part of the board "${clip(write.root)}"`)
    }
  }

  #reviewRecord(
    write: BoardWrite,
    writer: Writer,
    doc: Y.Doc,
    merges: () => MergeContext,
  ): WriteCheck {
    const { key, before, after } = write
    if (after === undefined) {
      return PERMANENT_RECORDS.has(key)
        ? refuse('invalid', `${key} cannot be deleted`)
        : reviewRoomRecord(write, writer, doc)
    }
    if (typeof after !== 'object' || after === null) {
      return refuse('invalid', `record ${clip(key)} is not an object`)
    }
    const { id, typeName } = after as { id?: unknown; typeName?: unknown }
    if (id !== key) return refuse('invalid', `record ${clip(key)} holds id ${clip(String(id))}`)
    const type = typeof typeName === 'string' ? Object.hasOwn(this.#schema.types, typeName) : false
    if (!type)
      return refuse('invalid', `record ${clip(key)} has unknown type ${clip(String(typeName))}`)
    const recordType = this.#schema.types[typeName as TLRecord['typeName']]
    try {
      recordType.validate(after, isSameRecord(before, key) ? (before as TLRecord) : undefined)
    } catch (error) {
      return refuse('invalid', `record ${clip(key)}: ${clip((error as Error).message, 300)}`)
    }
    // Themes, merged duplicates and the parking lot: their marks, and no author or text dropped.
    for (const check of [
      checkThemeRecord(after),
      checkParkedRecord(after),
      checkMergedNote(write, merges()),
    ]) {
      if (!check.ok) return refuse('invalid', `record ${clip(key)}: ${clip(check.message, 200)}`)
    }
    // Stage locks and note authorship (running the room).
    return reviewRoomRecord(write, writer, doc)
  }
}

const VOTE_REFUSAL_CODES: Partial<Record<VoteRefusal, WriteRefusalCode>> = {
  notYourBallot: 'not-yours',
  notFacilitator: 'facilitators-only',
  cannotVote: 'read-only',
  keptByServer: 'server-only',
}

function reviewVote(
  { key, before, after }: BoardWrite,
  writer: Writer,
  sessions: ReadonlyMap<string, VoteSession>,
): WriteCheck {
  const check = checkVoteWrite({ key, before, after, actor: writer, sessions, now: Date.now() })
  return check.ok ? ALLOWED : refuse(VOTE_REFUSAL_CODES[check.reason] ?? 'invalid', check.message)
}

/** The plan map before the update, what the update writes into it, and a key's value after. */
function planAfter(doc: Y.Doc, writes: readonly BoardWrite[]) {
  const plan = doc.getMap<unknown>(PLAN)
  const planWrites = new Map<string, unknown>()
  for (const write of writes) if (write.root === PLAN) planWrites.set(write.key, write.after)
  return {
    plan,
    writes: [...planWrites].map(([key, after]) => ({ key, after })),
    valueAfter: (key: string) => (planWrites.has(key) ? planWrites.get(key) : plan.get(key)),
  }
}

const ROUND_REFUSAL_CODES: Partial<Record<RoundRefusal, WriteRefusalCode>> = {
  notFacilitator: 'facilitators-only',
  keptByServer: 'server-only',
}

function reviewRound({ key, before, after }: BoardWrite, writer: Writer): WriteCheck {
  const check = checkRoundWrite({ key, before, after, actor: writer })
  return check.ok ? ALLOWED : refuse(ROUND_REFUSAL_CODES[check.reason] ?? 'invalid', check.message)
}

/** The plan as the update would leave it, for the review of step updates (stepUpdates.ts). */
function stepUpdateContext(
  doc: Y.Doc,
  writes: readonly BoardWrite[],
  writer: Writer,
): StepUpdateContext {
  const { plan, writes: planWrites, valueAfter } = planAfter(doc, writes)
  return {
    role: writer.role,
    now: Date.now(),
    valueAfter,
    updatesAfter: countUpdatesAfter(plan.keys(), planWrites),
  }
}

/** The plan as the update would leave it, for the review of check-ins (checkInEdits.ts). */
function checkInContext(doc: Y.Doc, writes: readonly BoardWrite[], writer: Writer): CheckInContext {
  const { plan, writes: planWrites, valueAfter } = planAfter(doc, writes)
  let count: number | null = null
  return {
    role: writer.role,
    now: Date.now(),
    valueAfter,
    checkInsAfter: () => {
      count ??= countCheckInsAfter(plan.keys(), planWrites)
      return count
    },
  }
}

/** The plan as the update would leave it, for the review of indicators (indicatorTracking.ts). */
function indicatorContext(
  doc: Y.Doc,
  writes: readonly BoardWrite[],
  writer: Writer,
): IndicatorContext {
  const plan = doc.getMap<unknown>(PLAN)
  const planWrites = new Map<string, unknown>()
  for (const write of writes) if (write.root === PLAN) planWrites.set(write.key, write.after)
  return {
    role: writer.role,
    now: Date.now(),
    valueBefore: (key) => plan.get(key),
    valueAfter: (key) => (planWrites.has(key) ? planWrites.get(key) : plan.get(key)),
    valuesAfter: countValuesAfter(
      plan.keys(),
      [...planWrites].map(([key, after]) => ({ key, after })),
    ),
  }
}

/** What the merge rule needs to know of the whole update (themes/merge.ts). */
function mergeContext(
  doc: Y.Doc,
  writes: readonly BoardWrite[],
  sessions: ReadonlyMap<string, VoteSession>,
): MergeContext {
  const deleted = new Map<string, unknown>()
  const written = new Map<string, boolean>()
  for (const write of writes) {
    if (write.root !== RECORDS) continue
    written.set(write.key, write.after !== undefined)
    if (write.after === undefined && write.before !== undefined)
      deleted.set(write.key, write.before)
  }
  // The records array holds one entry per record id (YKeyValue), read without opening one.
  let onBoard: Set<string> | null = null
  return {
    deleted,
    sessions: [...sessions.values()],
    existsAfter(id) {
      const wrote = written.get(id)
      if (wrote !== undefined) return wrote
      onBoard ??= new Set(
        doc
          .getArray<{ key: string }>(RECORDS)
          .toArray()
          .map((entry) => entry.key),
      )
      return onBoard.has(id)
    },
  }
}

function reviewPlanEntry({ key, after }: BoardWrite): WriteCheck {
  if (after === undefined) {
    // Clearing an answer is an edit like any other, as long as the key is one the plan knows.
    return planEntryValidator(key)
      ? ALLOWED
      : refuse('invalid', `unknown plan field "${clip(key)}"`)
  }
  const check = checkPlanEntry(key, after)
  return check.ok ? ALLOWED : refuse('invalid', clip(check.message, 300))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

function isSameRecord(before: unknown, key: string): boolean {
  return typeof before === 'object' && before !== null && (before as { id?: unknown }).id === key
}

function verdict(refusal: RuleRefusal<WriteRefusalCode>): WriteRefusal {
  return { code: refusal.reason, message: refusal.message }
}

/** Messages quote client input; keep them short enough for a log line. */
function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
