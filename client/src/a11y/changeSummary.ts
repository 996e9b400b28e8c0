/**
 * What others changed on the board since the last announcement, counted by kind, so a screen
 * reader hears "2 notes added by others" instead of every keystroke. Pure: the announcer feeds it
 * record changes and reads it out on a throttle.
 */
import type { MessageKey } from '@common-ground/shared/i18n'
import { ACTION_ISSUE_CARD, INTERSECTION_CARD, ORGANIZATION_CARD } from '@common-ground/shared/plan'

export type ChangeKind = 'notes' | 'cards' | 'links' | 'shapes'
export type ChangeAction = 'added' | 'changed' | 'removed'

/** Per record id: what happened to it since the last announcement (its net change). */
export type PendingChanges = Map<string, { kind: ChangeKind; action: ChangeAction }>

/** Which kind a record is, or null for records people do not think of as board content. */
export function kindOf(record: unknown): ChangeKind | null {
  if (typeof record !== 'object' || record === null) return null
  const { typeName, type } = record as { typeName?: unknown; type?: unknown }
  if (typeName === 'binding') return 'links'
  if (typeName !== 'shape') return null
  if (type === 'note') return 'notes'
  // Action cards follow the plan, whose change is announced as plan answers already.
  if (type === ACTION_ISSUE_CARD) return null
  if (type === ORGANIZATION_CARD || type === INTERSECTION_CARD) return 'cards'
  if (type === 'arrow') return 'links'
  return 'shapes'
}

/**
 * Notes one record's change. A record counts once per announcement: typing into a note is one
 * changed note, not one per keystroke; added then changed stays "added"; added then removed is
 * no news at all.
 */
export function noteChange(
  pending: PendingChanges,
  id: string,
  record: unknown,
  action: ChangeAction,
): PendingChanges {
  const kind = kindOf(record)
  if (!kind) return pending
  const earlier = pending.get(id)
  if (earlier?.action === 'added' && action === 'removed') pending.delete(id)
  else if (earlier?.action === 'added' && action === 'changed') return pending
  else pending.set(id, { kind, action })
  return pending
}

/** The catalogue keys (with counts) that say it, in a stable order. */
export function summaryMessages(
  pending: PendingChanges,
  planAnswers: number,
): { key: MessageKey; count: number }[] {
  const counts = new Map<string, number>()
  for (const { kind, action } of pending.values()) {
    counts.set(`${kind}.${action}`, (counts.get(`${kind}.${action}`) ?? 0) + 1)
  }
  const messages: { key: MessageKey; count: number }[] = []
  for (const kind of ['notes', 'cards', 'links', 'shapes'] as const) {
    for (const action of ['added', 'changed', 'removed'] as const) {
      const count = counts.get(`${kind}.${action}`) ?? 0
      if (count > 0) messages.push({ key: `announce.${kind}.${action}` as MessageKey, count })
    }
  }
  if (planAnswers > 0) messages.push({ key: 'announce.planAnswers', count: planAnswers })
  return messages
}
