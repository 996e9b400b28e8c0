import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_TEXT_LENGTH } from '../board/text.ts'
import { matchCommon, mergeText, mergeTextKeeping } from './textMerge.ts'

const points = (text: string) => Int32Array.from(Array.from(text), (c) => c.codePointAt(0) ?? 0)

/** Length of a longest common subsequence, by the textbook table (small inputs only). */
function lcsLength(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  let previous = new Array<number>(y.length + 1).fill(0)
  for (let i = 1; i <= x.length; i++) {
    const row = new Array<number>(y.length + 1).fill(0)
    for (let j = 1; j <= y.length; j++) {
      row[j] =
        x[i - 1] === y[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, row[j - 1] as number)
    }
    previous = row
  }
  return previous[y.length] as number
}

/** Small alphabets make many matches and many conflicts. */
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '😀'), maxLength: 40 })

describe('matchCommon', () => {
  it('finds a longest common subsequence, increasing in both', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const match = matchCommon(points(a), points(b))
        const bPoints = Array.from(b)
        const aPoints = Array.from(a)
        let last = -1
        let count = 0
        match.forEach((j, i) => {
          if (j === -1) return
          expect(j).toBeGreaterThan(last)
          expect(bPoints[j]).toBe(aPoints[i])
          last = j
          count++
        })
        expect(count).toBe(lcsLength(a, b))
      }),
      { numRuns: 500 },
    )
  })
})

describe('mergeText', () => {
  it('keeps both people’s words typed at different places', () => {
    expect(mergeText('Ask the school', 'Ana: Ask the school', 'Ask the school about rooms')).toBe(
      'Ana: Ask the school about rooms',
    )
    expect(mergeText('one two three', 'one 2 three', 'one two 3')).toBe('one 2 3')
  })

  it('keeps deletions from either side', () => {
    expect(mergeText('buses and vans', 'buses', 'buses and vans, soon')).toBe('buses, soon')
    // Overlapping deletions: whatever either deleted goes.
    expect(mergeText('one two three four', 'one four', 'one two four')).toBe('one four')
    expect(mergeText('abcd', 'ad', 'ab')).toBe('a')
  })

  it('replaces a rewritten word as a word', () => {
    // Not letter by letter through the letters the words share.
    expect(mergeText('w1x0 w2x2', 'w1x0 w1x1 w2x2', 'w3x3')).toBe('w1x0 w1x1 w2x2 w3x3')
    expect(mergeText('the cat sat', 'the cat sat down', 'the dog sat')).toBe('the dog sat down')
  })

  it('keeps both when both changed the same place: mine first, then theirs', () => {
    expect(mergeText('', 'hello', 'world')).toBe('hello world')
    expect(mergeText('', 'hello ', 'world')).toBe('hello world')
    expect(mergeText('a  b', 'a X b', 'a Y b')).toBe('a X Y b')
    expect(mergeText('the cat', 'the dog', 'the cow')).toBe('the dog cow')
  })

  it('takes once a version that already holds the other', () => {
    // Theirs typed on from my text (the base was older than it should have been).
    expect(mergeText('ab', 'aXb', 'aXYb')).toBe('aXYb')
  })

  it('is stable when nothing or the same changed', () => {
    expect(mergeText('same', 'same', 'same')).toBe('same')
    expect(mergeText('base', 'both did this', 'both did this')).toBe('both did this')
  })

  it('never splits a character made of two UTF-16 units', () => {
    const merged = mergeText('a😀b', 'a😁b', 'a😂b')
    expect(merged).toBe('a😁b a😂b')
    // A lone surrogate would make this throw.
    expect(() => encodeURIComponent(merged)).not.toThrow()
    expect(mergeText('😀', '😀😁', '😂😀')).toBe('😂😀😁')
  })

  it('takes a change from one side: merge(b, m, b) = m and merge(b, b, t) = t', () => {
    fc.assert(
      fc.property(text, text, (base, other) => {
        expect(mergeText(base, other, base)).toBe(other)
        expect(mergeText(base, base, other)).toBe(other)
      }),
      { numRuns: 500 },
    )
  })

  it('takes a change both made alike once: merge(b, x, x) = x', () => {
    fc.assert(
      fc.property(text, text, (base, both) => {
        expect(mergeText(base, both, both)).toBe(both)
      }),
      { numRuns: 500 },
    )
  })

  it('keeps insertions of both sides made at different places', () => {
    // A base of distinct words, and insertions that each side makes between different words.
    const words = fc.uniqueArray(fc.stringMatching(/^[a-z]{2,6}$/), { minLength: 2, maxLength: 12 })
    const insertion = fc.stringMatching(/^[A-Z0-9]{1,8}$/)
    fc.assert(
      fc.property(
        words,
        fc.nat(),
        fc.nat(),
        insertion,
        insertion,
        (list, i, j, mineWord, theirWord) => {
          const slots = list.length + 1
          const mineAt = i % slots
          const theirAt = j % slots
          fc.pre(mineAt !== theirAt)
          const withWord = (at: number, word: string) => {
            const copy = [...list]
            copy.splice(at, 0, word)
            return copy.join(' ')
          }
          const both = [...list]
          // Insert the later one first so the earlier index still holds.
          const [first, second] = mineAt < theirAt ? [theirAt, mineAt] : [mineAt, theirAt]
          both.splice(first, 0, first === mineAt ? mineWord : theirWord)
          both.splice(second, 0, second === mineAt ? mineWord : theirWord)
          const merged = mergeText(
            list.join(' '),
            withWord(mineAt, mineWord),
            withWord(theirAt, theirWord),
          )
          expect(merged).toBe(both.join(' '))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('keeps every character each side inserted, whatever the edits', () => {
    // Each side's inserted characters are marked (upper case for mine, digits for theirs), so
    // they can be counted in the result.
    const edited = (unit: fc.Arbitrary<string>) =>
      fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ unit, maxLength: 4 })), { maxLength: 5 })
    const apply = (base: string, edits: [number, number, string][]) => {
      let result = base
      for (const [at, remove, insert] of edits) {
        const start = result.length === 0 ? 0 : at % (result.length + 1)
        result = result.slice(0, start) + insert + result.slice(start + remove)
      }
      return result
    }
    const baseText = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 30 })
    fc.assert(
      fc.property(
        baseText,
        edited(fc.constantFrom('X', 'Y')),
        edited(fc.constantFrom('1', '2')),
        (base, mineEdits, theirEdits) => {
          const mine = apply(base, mineEdits)
          const theirs = apply(base, theirEdits)
          const merged = mergeText(base, mine, theirs)
          const count = (s: string, re: RegExp) => (s.match(re) ?? []).length
          expect(count(merged, /[XY]/g)).toBe(count(mine, /[XY]/g))
          expect(count(merged, /[12]/g)).toBe(count(theirs, /[12]/g))
          // Deterministic.
          expect(mergeText(base, mine, theirs)).toBe(merged)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('merges two full-length fields quickly', () => {
    const base = 'x'.repeat(MAX_TEXT_LENGTH)
    const mine = `start ${base.slice(6)}`
    const theirs = `${base.slice(0, -4)} end`
    const started = performance.now()
    const merged = mergeText(base, mine, theirs)
    expect(merged.startsWith('start ')).toBe(true)
    expect(merged.endsWith(' end')).toBe(true)
    // Entirely different texts: the worst case of the diff.
    const a = Array.from({ length: MAX_TEXT_LENGTH }, (_, i) =>
      String.fromCharCode(97 + (i % 13)),
    ).join('')
    const b = Array.from({ length: MAX_TEXT_LENGTH }, (_, i) =>
      String.fromCharCode(97 + (i % 7)),
    ).join('')
    expect(mergeText('', a, b)).toBe(`${a} ${b}`)
    mergeText(a, b, a.toUpperCase())
    expect(performance.now() - started).toBeLessThan(5000)
  })
})

describe('mergeTextKeeping', () => {
  it('keeps the caret after my own typing when theirs lands before it', () => {
    // I typed "Ben" at the end and my caret is after it; they typed at the start.
    const mine = 'rooms Ben'
    const { text, carets } = mergeTextKeeping('rooms', mine, 'Ana rooms', [mine.length])
    expect(text).toBe('Ana rooms Ben')
    expect(carets).toEqual([text.length])
  })

  it('leaves the caret before text they put right at it', () => {
    const { text, carets } = mergeTextKeeping('aXb', 'aXb', 'aXYb', [2])
    expect(text).toBe('aXYb')
    expect(carets).toEqual([2])
  })

  it('moves a caret in a stretch only they changed to its end', () => {
    const { text, carets } = mergeTextKeeping('one two', 'one two', 'one three', [7])
    expect(text).toBe('one three')
    expect(carets).toEqual([9])
  })

  it('counts carets in UTF-16 units', () => {
    const mine = '😀 mine'
    const { text, carets } = mergeTextKeeping('😀', mine, 'theirs 😀', [mine.length, 2])
    expect(text).toBe('theirs 😀 mine')
    expect(carets).toEqual([text.length, 'theirs 😀'.length])
  })

  it('keeps every caret inside the merged text', () => {
    fc.assert(
      fc.property(text, text, text, fc.nat(), (base, mine, theirs, at) => {
        const caret = at % (mine.length + 1)
        const result = mergeTextKeeping(base, mine, theirs, [caret])
        expect(result.text).toBe(mergeText(base, mine, theirs))
        expect(result.carets[0]).toBeGreaterThanOrEqual(0)
        expect(result.carets[0]).toBeLessThanOrEqual(result.text.length)
      }),
      { numRuns: 500 },
    )
  })
})
