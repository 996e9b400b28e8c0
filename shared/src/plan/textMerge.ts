/**
 * Three-way merge of plain strings (issue 15). A plan field holds a plain string under one key of
 * the `plan` map, and a Yjs map key keeps only the last writer's value; the board refuses text
 * types on purpose (docs/security.md). So when two people type in one field at once, the app
 * merges: `mergeText(base, mine, theirs)` keeps what each side inserted and deleted since `base`,
 * the value both started from.
 *
 * It is diff3 on characters (code points, so a surrogate pair is never split): a longest common
 * subsequence of `base` with each side (Myers' O((N+M)D) algorithm in linear space) gives each
 * side's changes as ranges of `base` and what replaced them. Changes that touch different text
 * both apply (an insertion right after someone's deletion too), and deletions that overlap both
 * apply. Where both changed the same text otherwise, the change is taken once if it is the same
 * (or one version holds the other), and else both versions are kept, mine then theirs (with a
 * space between, unless one is there already), so nothing typed is dropped and the result does not
 * depend on timing.
 *
 * - `mergeText(b, m, b) === m`, `mergeText(b, b, t) === t`, `mergeText(b, x, x) === x`;
 * - insertions of both sides at different places both survive, in place.
 */

/** Where the carets (UTF-16 offsets into `mine`) land in the merged text. */
export interface MergedText {
  text: string
  carets: number[]
}

export function mergeText(base: string, mine: string, theirs: string): string {
  return mergeTextKeeping(base, mine, theirs, []).text
}

/**
 * `mergeText`, also moving carets (or selection ends) given as UTF-16 offsets into `mine` to the
 * same place in the merged text: text the other side put right at a caret lands after it.
 */
export function mergeTextKeeping(
  base: string,
  mine: string,
  theirs: string,
  carets: readonly number[],
): MergedText {
  if (mine === theirs || theirs === base) return { text: mine, carets: [...carets] }
  const b = Array.from(base)
  const m = Array.from(mine)
  const t = Array.from(theirs)
  const changes = (side: string[]) =>
    toWords(slideInsertions(hunks(matchCommon(codes(b), codes(side)), side, b.length), b), b)
  const mineHunks = changes(m)
  const theirHunks = changes(t)

  const out: string[] = []
  const caretPoints = carets.map((offset) => pointIndex(m, offset))
  const mapped: (number | null)[] = caretPoints.map(() => null)
  /** Maps the carets in `mine[from..to]` (inclusive ends) that are not placed yet. */
  const place = (from: number, to: number, map: (point: number) => number) => {
    caretPoints.forEach((point, i) => {
      if (mapped[i] === null && point >= from && point <= to) mapped[i] = map(point)
    })
  }

  let atBase = 0
  let atMine = 0
  for (const cluster of clusters(mineHunks, theirHunks)) {
    // Unchanged by both up to the cluster.
    const stable = cluster.start - atBase
    const stableOut = out.length
    const stableMine = atMine
    for (let i = atBase; i < cluster.start; i++) out.push(b[i] as string)
    place(stableMine, stableMine + stable, (p) => stableOut + (p - stableMine))
    atMine += stable

    const original = b.slice(cluster.start, cluster.end)
    const mineVersion = cluster.mine.length > 0 ? apply(b, cluster, cluster.mine) : original
    const start = out.length
    const mineFrom = atMine
    const mineTo = atMine + mineVersion.length
    if (cluster.mine.length === 0) {
      // Only theirs changed it: a caret inside goes to the start or the end of their text.
      const theirVersion = apply(b, cluster, cluster.theirs)
      out.push(...theirVersion)
      const end = out.length
      place(mineFrom, mineTo, (p) =>
        p === mineFrom ? start : p === mineTo ? end : Math.min(start + (p - mineFrom), end),
      )
    } else if (cluster.theirs.length > 0 && [...cluster.mine, ...cluster.theirs].every(deletes)) {
      // Both only deleted, overlapping: what either deleted goes.
      for (let i = cluster.start; i < cluster.end; i++) {
        if (
          !cluster.mine.some((hunk) => covers(hunk, i)) &&
          !cluster.theirs.some((hunk) => covers(hunk, i))
        )
          out.push(b[i] as string)
      }
      const end = out.length
      place(mineFrom, mineTo, (p) => Math.min(start + (p - mineFrom), end))
    } else {
      // Only mine changed it, or both did: both versions, as `keepBoth` joins them.
      const joined =
        cluster.theirs.length > 0
          ? keepBoth(mineVersion, apply(b, cluster, cluster.theirs))
          : { text: mineVersion, mine: (k: number) => k }
      out.push(...joined.text)
      place(mineFrom, mineTo, (p) => start + joined.mine(p - mineFrom))
    }
    atBase = cluster.end
    atMine = mineTo
  }
  const tailOut = out.length
  const tailMine = atMine
  for (let i = atBase; i < b.length; i++) out.push(b[i] as string)
  place(tailMine, m.length, (p) => tailOut + (p - tailMine))

  return {
    text: out.join(''),
    carets: mapped.map((point) => unitOffset(out, point ?? out.length)),
  }
}

/** One side's change: base `[start, end)` replaced by `text` (either may be empty, not both). */
interface Hunk {
  start: number
  end: number
  text: string[]
}

/** The changes of one side, in order, from its matches with the base. */
function hunks(match: Int32Array, side: readonly string[], baseLength: number): Hunk[] {
  const result: Hunk[] = []
  let lastBase = -1
  let lastSide = -1
  for (let i = 0; i <= baseLength; i++) {
    const j = i === baseLength ? side.length : (match[i] as number)
    if (j === -1) continue
    if (i > lastBase + 1 || j > lastSide + 1) {
      result.push({ start: lastBase + 1, end: i, text: side.slice(lastSide + 1, j) })
    }
    lastBase = i
    lastSide = j
  }
  return result
}

const isSpace = (char: string | undefined) => char === undefined || /\s/u.test(char)

/**
 * An insertion next to the same characters can sit at several places with the same result
 * ("w|1x1 w|2x0" or "|w1x1 |w2x0"); the diff picks one at random, as it were. Each is moved to
 * where it reads as whole words (starting after a space or at the start, ending with a space or
 * before one), so two people's insertions near one place meet at the same place and stay whole.
 */
function slideInsertions(list: Hunk[], base: readonly string[]): Hunk[] {
  return list.map((hunk, i) => {
    if (hunk.start !== hunk.end || hunk.text.length === 0) return hunk
    // At least one unchanged character stays between this and the side's other changes.
    const lowest = i > 0 ? (list[i - 1] as Hunk).end + 1 : 0
    const highest = i < list.length - 1 ? (list[i + 1] as Hunk).start - 1 : base.length
    const score = (at: number, text: readonly string[]) =>
      (isSpace(base[at - 1]) && !isSpace(text[0]) ? 2 : 0) +
      (isSpace(text[text.length - 1]) || isSpace(base[at]) ? 1 : 0)
    let best = { at: hunk.start, text: hunk.text, score: score(hunk.start, hunk.text) }
    let at = hunk.start
    let text = hunk.text
    while (at - 1 >= lowest && base[at - 1] === text[text.length - 1]) {
      text = [base[at - 1] as string, ...text.slice(0, -1)]
      at--
      const value = score(at, text)
      if (value > best.score) best = { at, text, score: value }
    }
    at = hunk.start
    text = hunk.text
    while (at + 1 <= highest && base[at] === text[0]) {
      text = [...text.slice(1), base[at] as string]
      at++
      const value = score(at, text)
      if (value > best.score) best = { at, text, score: value }
    }
    return { start: best.at, end: best.at, text: best.text }
  })
}

/**
 * Replacements that cut into a word are widened to the whole word, and changes that then meet
 * are one: a rewritten word is replaced as a word, not letter by letter through the letters it
 * happens to share with the old one, so what two people change near each other stays readable.
 */
function toWords(list: Hunk[], base: readonly string[]): Hunk[] {
  const result: Hunk[] = []
  let group: { start: number; end: number; hunks: Hunk[] } | null = null
  const flush = () => {
    if (!group) return
    const text: string[] = []
    let at = group.start
    for (const hunk of group.hunks) {
      text.push(...base.slice(at, hunk.start), ...hunk.text)
      at = hunk.end
    }
    text.push(...base.slice(at, group.end))
    result.push({ start: group.start, end: group.end, text })
  }
  for (const hunk of list) {
    let start = hunk.start
    let end = hunk.end
    // Only replacements: an insertion or a deletion stays exactly where it was made.
    if (hunk.start < hunk.end && hunk.text.length > 0) {
      if (!isSpace(base[start])) while (start > 0 && !isSpace(base[start - 1])) start--
      if (!isSpace(base[end - 1])) while (end < base.length && !isSpace(base[end])) end++
    }
    if (group && start <= group.end) {
      group.end = Math.max(group.end, end)
      group.hunks.push(hunk)
    } else {
      flush()
      group = { start, end, hunks: [hunk] }
    }
  }
  flush()
  return result
}

interface Cluster {
  start: number
  end: number
  mine: Hunk[]
  theirs: Hunk[]
}

/**
 * The changes of both sides grouped where they touch the same text: overlapping base ranges, or
 * insertions at the same place or inside the other's range. A change that only borders the
 * other's (an insertion right after a deletion) is its own group, so both apply.
 */
function clusters(mine: readonly Hunk[], theirs: readonly Hunk[]): Cluster[] {
  const all = [
    ...mine.map((hunk) => ({ hunk, mine: true })),
    ...theirs.map((hunk) => ({ hunk, mine: false })),
  ].sort(
    (x, y) =>
      x.hunk.start - y.hunk.start ||
      Number(x.hunk.end > x.hunk.start) - Number(y.hunk.end > y.hunk.start),
  )
  const result: Cluster[] = []
  let current: Cluster | null = null
  for (const { hunk, mine: isMine } of all) {
    const empty = hunk.end === hunk.start
    const joins =
      current !== null &&
      (current.end > current.start
        ? hunk.start < current.end && (!empty || hunk.start > current.start)
        : empty && hunk.start === current.start)
    if (!current || !joins) {
      current = { start: hunk.start, end: hunk.end, mine: [], theirs: [] }
      result.push(current)
    }
    current.end = Math.max(current.end, hunk.end)
    ;(isMine ? current.mine : current.theirs).push(hunk)
  }
  return result
}

/**
 * Where both changed the same text differently: both versions, mine first. One that already
 * holds the other (the same change, or one typed on from the other's text) is taken alone;
 * otherwise words both versions start or end with are kept once, and a space goes between the
 * two texts, so they read as two and not as one run-on word. `mine` maps an index in `mine` to
 * the result.
 */
function keepBoth(
  mine: readonly string[],
  theirs: readonly string[],
): { text: string[]; mine: (index: number) => number } {
  const mineText = mine.join('')
  const theirText = theirs.join('')
  if (mineText === theirText) return { text: [...mine], mine: (k) => k }
  if (theirText.includes(mineText)) {
    const before = Array.from(theirText.slice(0, theirText.indexOf(mineText))).length
    return { text: [...theirs], mine: (k) => before + k }
  }
  if (mineText.includes(theirText)) return { text: [...mine], mine: (k) => k }
  // Common words at the start and at the end, cut at word boundaries.
  const limit = Math.min(mine.length, theirs.length)
  let prefix = 0
  while (prefix < limit && mine[prefix] === theirs[prefix]) prefix++
  while (
    prefix > 0 &&
    !isSpace(mine[prefix - 1]) &&
    !(isSpace(mine[prefix]) && isSpace(theirs[prefix]))
  )
    prefix--
  let suffix = 0
  while (
    suffix < limit - prefix &&
    mine[mine.length - 1 - suffix] === theirs[theirs.length - 1 - suffix]
  )
    suffix++
  while (
    suffix > 0 &&
    !isSpace(mine[mine.length - suffix]) &&
    !(isSpace(mine[mine.length - suffix - 1]) && isSpace(theirs[theirs.length - suffix - 1]))
  )
    suffix--
  const mineMiddle = mine.slice(prefix, mine.length - suffix)
  const theirMiddle = theirs.slice(prefix, theirs.length - suffix)
  const space =
    mineMiddle.length > 0 &&
    theirMiddle.length > 0 &&
    !isSpace(mineMiddle[mineMiddle.length - 1]) &&
    !isSpace(theirMiddle[0])
      ? [' ']
      : []
  const text = [
    ...mine.slice(0, prefix),
    ...mineMiddle,
    ...space,
    ...theirMiddle,
    ...mine.slice(mine.length - suffix),
  ]
  const shift = space.length + theirMiddle.length
  return { text, mine: (k) => (k <= prefix + mineMiddle.length ? k : k + shift) }
}

const deletes = (hunk: Hunk) => hunk.text.length === 0
const covers = (hunk: Hunk, index: number) => index >= hunk.start && index < hunk.end

/** The base's text of a cluster with one side's changes in it applied. */
function apply(base: readonly string[], cluster: Cluster, changes: readonly Hunk[]): string[] {
  const result: string[] = []
  let at = cluster.start
  for (const hunk of changes) {
    for (let i = at; i < hunk.start; i++) result.push(base[i] as string)
    result.push(...hunk.text)
    at = hunk.end
  }
  for (let i = at; i < cluster.end; i++) result.push(base[i] as string)
  return result
}

function codes(points: readonly string[]): Int32Array {
  const result = new Int32Array(points.length)
  for (let i = 0; i < points.length; i++) result[i] = (points[i] as string).codePointAt(0) as number
  return result
}

/** The code point index a UTF-16 offset falls on (an offset inside a pair rounds up). */
function pointIndex(points: readonly string[], offset: number): number {
  let units = 0
  for (let i = 0; i < points.length; i++) {
    if (units >= offset) return i
    units += (points[i] as string).length
  }
  return points.length
}

function unitOffset(points: readonly string[], index: number): number {
  let units = 0
  for (let i = 0; i < index && i < points.length; i++) units += (points[i] as string).length
  return units
}

/**
 * For each index of `a`, the index of `b` it is matched to in a longest common subsequence of the
 * two, or -1. Matches are increasing in both.
 */
export function matchCommon(a: Int32Array, b: Int32Array): Int32Array {
  const match = new Int32Array(a.length).fill(-1)
  matchRange(a, b, 0, 0, match)
  return match
}

function matchRange(a: Int32Array, b: Int32Array, aAt: number, bAt: number, match: Int32Array) {
  // Common prefix and suffix first: typing changes little, so most of the work ends here.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) {
    match[aAt + start] = bAt + start
    start++
  }
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
    match[aAt + endA] = bAt + endB
  }
  if (start === endA || start === endB) return
  const middleA = a.subarray(start, endA)
  const middleB = b.subarray(start, endB)
  const split = middleSnake(middleA, middleB)
  if (split === null) return
  const [x, y] = split
  matchRange(middleA.subarray(0, x), middleB.subarray(0, y), aAt + start, bAt + start, match)
  matchRange(middleA.subarray(x), middleB.subarray(y), aAt + start + x, bAt + start + y, match)
}

/**
 * Myers' bisection: a point on an optimal edit path of `a` into `b` where the forward and the
 * reverse searches meet, or null when the two have nothing in common. `a` and `b` differ in
 * their first and in their last element (the caller trims both), so the point is strictly
 * inside and both halves are smaller.
 */
function middleSnake(a: Int32Array, b: Int32Array): [number, number] | null {
  const n = a.length
  const m = b.length
  const maxD = Math.ceil((n + m) / 2)
  const offset = maxD
  const size = 2 * maxD + 2
  const forward = new Int32Array(size).fill(-1)
  const reverse = new Int32Array(size).fill(-1)
  forward[offset + 1] = 0
  reverse[offset + 1] = 0
  const delta = n - m
  // With an odd delta the paths meet while extending forward, with an even one in reverse.
  const front = delta % 2 !== 0
  let k1start = 0
  let k1end = 0
  let k2start = 0
  let k2end = 0
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1Offset = offset + k1
      let x1: number
      if (
        k1 === -d ||
        (k1 !== d && (forward[k1Offset - 1] as number) < (forward[k1Offset + 1] as number))
      ) {
        x1 = forward[k1Offset + 1] as number
      } else {
        x1 = (forward[k1Offset - 1] as number) + 1
      }
      let y1 = x1 - k1
      while (x1 < n && y1 < m && a[x1] === b[y1]) {
        x1++
        y1++
      }
      forward[k1Offset] = x1
      if (x1 > n) k1end += 2
      else if (y1 > m) k1start += 2
      else if (front) {
        const k2Offset = offset + delta - k1
        if (k2Offset >= 0 && k2Offset < size && reverse[k2Offset] !== -1) {
          const x2 = n - (reverse[k2Offset] as number)
          if (x1 >= x2) return [x1, y1]
        }
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2Offset = offset + k2
      let x2: number
      if (
        k2 === -d ||
        (k2 !== d && (reverse[k2Offset - 1] as number) < (reverse[k2Offset + 1] as number))
      ) {
        x2 = reverse[k2Offset + 1] as number
      } else {
        x2 = (reverse[k2Offset - 1] as number) + 1
      }
      let y2 = x2 - k2
      while (x2 < n && y2 < m && a[n - x2 - 1] === b[m - y2 - 1]) {
        x2++
        y2++
      }
      reverse[k2Offset] = x2
      if (x2 > n) k2end += 2
      else if (y2 > m) k2start += 2
      else if (!front) {
        const k1Offset = offset + delta - k2
        if (k1Offset >= 0 && k1Offset < size && forward[k1Offset] !== -1) {
          const x1 = forward[k1Offset] as number
          const y1 = offset + x1 - k1Offset
          if (x1 >= n - x2) return [x1, y1]
        }
      }
    }
  }
  return null
}
