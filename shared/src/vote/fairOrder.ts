/**
 * Fair order: each person sees the items of a round (a vote's notes, a placement's issues) in an
 * order of their own, fixed for that person and that round, so the note at the top of everyone's
 * list does not collect the first-glance votes (order bias). The order comes from a hash of the
 * person id and the round id, so it is the same on every device and reload, and differs between
 * people and between rounds. It is a convenience, not a secret: anyone can compute it.
 */

/** 32-bit FNV-1a of a text: a seed, not a secret. */
function hashText(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `items` in this person's order for this round (a Fisher–Yates shuffle seeded by both ids); the
 * input is left as it was. Without a person id (not yet greeted) the items keep their order.
 */
export function fairOrder<T>(items: readonly T[], personId: string | null, roundId: string): T[] {
  const order = [...items]
  if (!personId) return order
  const random = seededRandom(hashText(`${personId}\u0000${roundId}`))
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i] as T
    order[i] = order[j] as T
    order[j] = swap
  }
  return order
}
