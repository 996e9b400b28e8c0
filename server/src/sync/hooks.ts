/**
 * Extension points of the sync core, in the spirit of Hocuspocus extensions: roles, validation
 * and history plug in here instead of into the room code. Each hook is optional; the core calls
 * every registered `SyncHooks` object in order and stops at the first refusal.
 */
import type { BoardRole, BoardWrite, WriteRefusal, Writer } from '@common-ground/shared/board'
import type * as Y from 'yjs'

/** What a hook knows about a connection. `context` is free for hooks to keep per-connection data. */
export interface ConnectionInfo {
  readonly id: number
  readonly boardId: string
  readonly remoteAddress: string
  /** Query parameters of the connection URL (y-websocket's `params`: credentials travel here). */
  readonly params: URLSearchParams
  readonly context: Record<string, unknown>
}

/** A hook's "no": the connection is closed with this WebSocket close code and reason. */
export interface Refusal {
  code: number
  reason: string
}

export interface UpdateContext {
  connection: ConnectionInfo
  /** The room's document before the update. */
  doc: Y.Doc
  update: Uint8Array
}

/**
 * The entries one incoming update would change, read from it before it is applied (`doc` still
 * holds the board as it was). A refusal keeps the whole update out: nobody else receives any of
 * it, and the sender receives a notice.
 */
export interface WriteReview {
  connection: ConnectionInfo
  doc: Y.Doc
  writes: readonly BoardWrite[]
}

export interface CommittedUpdate {
  boardId: string
  /** Everything one board received in one event-loop turn, merged into one update. */
  update: Uint8Array
  seq: number
}

/**
 * Who the server vouches a connection is: its presence's `person` is made to say so, whatever the
 * client claims (a participant cannot show up as a facilitator, nor as someone else).
 */
export interface PresenceIdentity {
  role: BoardRole
  /**
   * The person id its device secret derives (shared `personIdFor`: never the participant id
   * ballots are kept under); null: none, so it shows no `person`.
   */
  personId: string | null
}

export interface SyncHooks {
  /**
   * A WebSocket was accepted for a valid board id; runs before the room is loaded, so a refusal
   * creates no state. Use 4400-4499 codes for refusals that retrying cannot fix (y-websocket
   * stops reconnecting on those).
   */
  onConnect?(connection: ConnectionInfo): Refusal | undefined | Promise<Refusal | undefined>
  /** Runs on the hot path for every incoming document update; a refusal closes the sender. */
  beforeApplyUpdate?(context: UpdateContext): Refusal | undefined
  /**
   * Whether the connection may change the board at all, asked before an update's content is
   * looked at: a "no" refuses every update that would change anything (a view link), and its
   * updates are never applied, not even as empty ranges.
   */
  mayChange?(connection: ConnectionInfo): WriteRefusal | undefined
  /** Details for the notice a client gets on joining (e.g. its role); merged over all hooks. */
  welcome?(connection: ConnectionInfo): Record<string, unknown> | undefined
  /** Judges what an update would change, before it is applied; on the hot path, keep it cheap. */
  reviewWrites?(review: WriteReview): WriteRefusal | undefined
  /** Who the connection is, as checked at connect (see PresenceIdentity); the first answer wins. */
  presenceIdentity?(connection: ConnectionInfo): PresenceIdentity | undefined
  /**
   * Who votes from this connection: its role and participant id (ballots are kept under it and
   * it never leaves the server). Without one, the connection casts no dot.
   */
  voter?(connection: ConnectionInfo): Writer | undefined
  /** After a batch is durable and its messages were sent. Must not throw (errors are logged). */
  afterCommit?(commits: readonly CommittedUpdate[]): void
  /**
   * A board from before kept ballots or author stamps in its document; as it loaded they were
   * moved out of it (committed, and its log folded into a snapshot). Whatever else keeps copies
   * of its document (versions) should take them out too. Must not throw.
   */
  afterSecretsMovedOut?(boardId: string): void
}

/** Runs `onConnect` of every hook set; the first refusal wins. */
export async function runOnConnect(
  hooks: readonly SyncHooks[],
  connection: ConnectionInfo,
): Promise<Refusal | undefined> {
  for (const hook of hooks) {
    const refusal = await hook.onConnect?.(connection)
    if (refusal) return refusal
  }
  return undefined
}

export function runBeforeApplyUpdate(
  hooks: readonly SyncHooks[],
  context: UpdateContext,
): Refusal | undefined {
  for (const hook of hooks) {
    const refusal = hook.beforeApplyUpdate?.(context)
    if (refusal) return refusal
  }
  return undefined
}

export function runMayChange(
  hooks: readonly SyncHooks[],
  connection: ConnectionInfo,
): WriteRefusal | undefined {
  for (const hook of hooks) {
    const refusal = hook.mayChange?.(connection)
    if (refusal) return refusal
  }
  return undefined
}

export function runReviewWrites(
  hooks: readonly SyncHooks[],
  review: WriteReview,
): WriteRefusal | undefined {
  for (const hook of hooks) {
    const refusal = hook.reviewWrites?.(review)
    if (refusal) return refusal
  }
  return undefined
}

/** The first hook's word on who a connection is; undefined when no hook checked it. */
export function runPresenceIdentity(
  hooks: readonly SyncHooks[],
  connection: ConnectionInfo,
): PresenceIdentity | undefined {
  for (const hook of hooks) {
    const identity = hook.presenceIdentity?.(connection)
    if (identity) return identity
  }
  return undefined
}

/** The first hook's answer to who votes from a connection (see `SyncHooks.voter`). */
export function runVoter(
  hooks: readonly SyncHooks[],
  connection: ConnectionInfo,
): Writer | undefined {
  for (const hook of hooks) {
    const voter = hook.voter?.(connection)
    if (voter) return voter
  }
  return undefined
}
