/**
 * What every rule check of a board answers (facilitation keys, votes and ballots, note authorship
 * and stage locks, each entry of the write review): allowed, or refused with a reason and a
 * message. The reason is a code: the UI words it (`vote.refused.<reason>`, the write codes below)
 * and the server reports it; the message is for logs and developers.
 */

export interface RuleRefusal<Reason extends string = string> {
  readonly ok: false
  readonly reason: Reason
  /** For logs and developers; people get a translated sentence chosen by `reason`. */
  readonly message: string
}

export type RuleResult<Reason extends string = string> = { readonly ok: true } | RuleRefusal<Reason>

/** The answer of a check that lets the write stand. */
export const ALLOWED: { readonly ok: true } = { ok: true }

export function refuse<Reason extends string>(
  reason: Reason,
  message: string,
): RuleRefusal<Reason> {
  return { ok: false, reason, message }
}

/** Why the server's write review refuses an update (`WriteRefusal` of writeRules.ts). */
export const WRITE_REFUSALS = [
  'read-only',
  'facilitators-only',
  'board-closed',
  'not-yours',
  'invalid',
  /** `meta`: only the server writes it. */
  'server-only',
  /** Changes under a Yjs client id that another device owns. */
  'foreign-client',
] as const
export type WriteRefusalCode = (typeof WRITE_REFUSALS)[number]
