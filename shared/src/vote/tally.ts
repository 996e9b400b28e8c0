/**
 * Counting and ranking, as pure functions of a session and the ballots the doc holds.
 *
 * `tally` never trusts a ballot: the server refuses bad ballots, but a doc can still hold one
 * (an old server, a bug, a copy edited by hand), so each ballot is counted by one deterministic
 * rule that no ballot can push past its share:
 *
 * 1. A value that is not an object with a `dots` object counts nothing.
 * 2. Only the session's items are looked at, in the session's item order; dots on any other key
 *    are ignored (and own keys only, so `__proto__` and friends count nothing).
 * 3. A count that is not a whole number of at least 1 counts nothing for that item.
 * 4. A count above the per-item cap counts as the cap.
 * 5. Items are taken in session item order until the participant's budget is spent; what does
 *    not fit in the budget is dropped (partly, for the item where the budget runs out).
 *
 * So every ballot adds at most `dotsPerParticipant` dots, at most `maxDotsPerItem` per item, and
 * only to the session's items: a doctored client cannot outvote anyone.
 */
import type { VoteSession } from './session.ts'

export interface ItemTally {
  itemId: string
  dots: number
  /** How many participants put at least one counted dot on this item. */
  voters: number
}

export interface Tally {
  sessionId: string
  /** One entry per session item, in session item order. */
  items: ItemTally[]
  /** Participants with at least one counted dot. */
  voters: number
  /** Counted dots in total. */
  dots: number
}

export interface RankedItem {
  itemId: string
  dots: number
  /** Standard competition ranking: equal dots share a rank, the next rank skips (1, 1, 3). */
  rank: number
}

/** The dots one ballot counts for, per session item (items with none are absent). */
export function countedDots(session: VoteSession, ballot: unknown): Map<string, number> {
  const counted = new Map<string, number>()
  if (typeof ballot !== 'object' || ballot === null) return counted
  const dots = (ballot as { dots?: unknown }).dots
  if (typeof dots !== 'object' || dots === null || Array.isArray(dots)) return counted
  let left = session.dotsPerParticipant
  for (const itemId of session.itemIds) {
    if (left <= 0) break
    if (!Object.hasOwn(dots, itemId)) continue
    const raw = (dots as Record<string, unknown>)[itemId]
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) continue
    const count = Math.min(raw, session.maxDotsPerItem, left)
    counted.set(itemId, count)
    left -= count
  }
  return counted
}

/** Counts the ballots of one session; the order of the ballots never matters. */
export function tally(session: VoteSession, ballots: Iterable<unknown>): Tally {
  const dots = new Map<string, number>(session.itemIds.map((id) => [id, 0]))
  const voters = new Map<string, number>(session.itemIds.map((id) => [id, 0]))
  let participants = 0
  let total = 0
  for (const ballot of ballots) {
    const counted = countedDots(session, ballot)
    if (counted.size === 0) continue
    participants++
    for (const [itemId, count] of counted) {
      dots.set(itemId, (dots.get(itemId) ?? 0) + count)
      voters.set(itemId, (voters.get(itemId) ?? 0) + 1)
      total += count
    }
  }
  return {
    sessionId: session.id,
    items: session.itemIds.map((itemId) => ({
      itemId,
      dots: dots.get(itemId) ?? 0,
      voters: voters.get(itemId) ?? 0,
    })),
    voters: participants,
    dots: total,
  }
}

/**
 * Most dots first. Equal dots share a rank (1, 1, 3); within a tie the session's item order
 * decides who is listed first, which says nothing about who is ahead.
 */
export function rank(result: Tally): RankedItem[] {
  const order = result.items.map((item, index) => ({ item, index }))
  order.sort((a, b) => b.item.dots - a.item.dots || a.index - b.index)
  const ranked: RankedItem[] = []
  order.forEach(({ item }, position) => {
    const previous = ranked[position - 1]
    const rankHere = previous && previous.dots === item.dots ? previous.rank : position + 1
    ranked.push({ itemId: item.itemId, dots: item.dots, rank: rankHere })
  })
  return ranked
}

export interface Tie {
  rank: number
  dots: number
  itemIds: string[]
}

/** Groups of two or more items that share a rank, best rank first. */
export function ties(ranking: readonly RankedItem[]): Tie[] {
  const groups = new Map<number, Tie>()
  for (const item of ranking) {
    const group = groups.get(item.rank) ?? { rank: item.rank, dots: item.dots, itemIds: [] }
    group.itemIds.push(item.itemId)
    groups.set(item.rank, group)
  }
  return [...groups.values()]
    .filter((group) => group.itemIds.length > 1)
    .sort((a, b) => a.rank - b.rank)
}

/** The ranks two or more items share (to mark ties as ties). */
export function tiedRanks(ranking: readonly RankedItem[]): Set<number> {
  return new Set(ties(ranking).map((tie) => tie.rank))
}

/**
 * The items a runoff decides between: those sharing `atRank` (by default the best rank that two
 * or more items with at least one dot share). Empty when there is no such tie: a runoff is only
 * ever among tied items.
 */
export function runoffItems(ranking: readonly RankedItem[], atRank?: number): string[] {
  const group = ties(ranking).find((tie) =>
    atRank === undefined ? tie.dots > 0 : tie.rank === atRank,
  )
  return group ? [...group.itemIds] : []
}

/**
 * A ranking with a runoff's result applied: the runoff's items keep the places their tie held
 * and are ordered among themselves by the runoff (items still tied in the runoff stay tied).
 * Items of the runoff that are not in the ranking, and a runoff over items that were not tied,
 * change nothing.
 */
export function applyRunoff(
  ranking: readonly RankedItem[],
  runoff: readonly RankedItem[],
): RankedItem[] {
  const runoffIds = new Set(runoff.map((item) => item.itemId))
  const start = ranking.findIndex((item) => runoffIds.has(item.itemId))
  const tied = ranking.filter((item) => runoffIds.has(item.itemId))
  const sharedRank = ranking[start]?.rank
  if (
    sharedRank === undefined ||
    tied.length < 2 ||
    tied.length !== runoff.length ||
    tied.some((item) => item.rank !== sharedRank)
  )
    return [...ranking]
  const byId = new Map(runoff.map((item) => [item.itemId, item]))
  const decided = [...tied]
    .map((item, index) => ({ item, inner: byId.get(item.itemId) as RankedItem, index }))
    .sort((a, b) => a.inner.rank - b.inner.rank || a.index - b.index)
    .map(({ item, inner }) => ({ ...item, rank: sharedRank + inner.rank - 1 }))
  const result = [...ranking]
  result.splice(start, decided.length, ...decided)
  return result
}

/** The first `count` ranked items, in rank order (for "promote to the action plan"). */
export function topRanked(ranking: readonly RankedItem[], count: number): RankedItem[] {
  return ranking.slice(0, Math.max(0, Math.floor(count)))
}

/**
 * Where "promote the top `count`" cuts the ranking. When the cut falls inside a group of items
 * sharing a rank, taking the first ones would silently break the tie: instead the group is
 * `tied`, `sure` holds the items above it, and `openPlaces` says how many of the tied fit. The
 * facilitator then chooses: all of them, a runoff among them (`startRunoff` with `atRank`), or a
 * pick.
 */
export interface PromotionCut {
  sure: RankedItem[]
  tied: RankedItem[]
  openPlaces: number
  /** The rank the tied items share (0 when nothing is tied at the cut). */
  tiedRank: number
}

export function promotionCut(ranking: readonly RankedItem[], count: number): PromotionCut {
  const wanted = Math.max(0, Math.min(ranking.length, Math.floor(count)))
  const last = ranking[wanted - 1]
  const next = ranking[wanted]
  if (!last || !next || last.rank !== next.rank) {
    return { sure: ranking.slice(0, wanted), tied: [], openPlaces: 0, tiedRank: 0 }
  }
  const sure = ranking.filter((item) => item.rank < last.rank)
  return {
    sure,
    tied: ranking.filter((item) => item.rank === last.rank),
    openPlaces: wanted - sure.length,
    tiedRank: last.rank,
  }
}
