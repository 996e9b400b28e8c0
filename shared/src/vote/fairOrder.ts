/**
 * Fair order: each person sees a vote's list (and any list of the issues it ranks) in an order
 * of their own, so the first line of a long list is not everyone's first line (order bias).
 * The order is a shuffle seeded by the person id and the round (the vote session's id): the same
 * person sees the same order on every device and after every reload, and a new round shuffles
 * anew. Pure and deterministic; nothing is stored or sent. It is a convenience, not a secret:
 * anyone can compute anyone's order.
 */

/** FNV-1a over UTF-16 code units, then mixed: a 32-bit seed from text. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** mulberry32: a small, well-spread 32-bit generator; returns numbers in [0, 1). */
function generator(seed: number): () => number {
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
 * `items` in the order this person sees them in this round: a Fisher–Yates shuffle seeded by
 * `personId` and `roundId`. The input is not changed. The order depends on the items' keys
 * (`keyOf`, the item itself by default), not on the order they come in, so two pages that list
 * the same items differently still agree. Without a person id (not yet greeted) the items keep
 * the order they come in.
 */
export function fairOrder<Item>(
  items: readonly Item[],
  personId: string | null,
  roundId: string,
  keyOf: (item: Item) => string = String,
): Item[] {
  if (!personId) return [...items]
  const sorted = [...items].sort((a, b) => {
    const ka = keyOf(a)
    const kb = keyOf(b)
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  const next = generator(seedOf(`${personId}\u0000${roundId}`))
  for (let i = sorted.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const held = sorted[i] as Item
    sorted[i] = sorted[j] as Item
    sorted[j] = held
  }
  return sorted
}
