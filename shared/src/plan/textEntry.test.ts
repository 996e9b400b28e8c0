import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mergeIntoField, type TextEntryChange, TextEntryWatch } from './textEntry.ts'

const KEY = 'action/steps/care/s1/what'

function replica(clientID: number) {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const map = doc.getMap<unknown>('plan')
  const watch = new TextEntryWatch(map, KEY)
  const changes: TextEntryChange[] = []
  watch.subscribe((change) => changes.push(change))
  return { doc, map, watch, changes, write: (text: string) => map.set(KEY, text) }
}

/** Sends `from` everything `to` lacks, as one update (what a reconnect does). */
function send(from: Y.Doc, to: Y.Doc) {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote')
}

describe('TextEntryWatch', () => {
  it('gives the value a new one was written over', () => {
    const ana = replica(1)
    const ben = replica(2)
    ana.write('Ask the school')
    send(ana.doc, ben.doc)
    ben.write('Ask the school about rooms')
    send(ben.doc, ana.doc)
    expect(ana.changes.at(-1)).toEqual({
      value: 'Ask the school about rooms',
      base: 'Ask the school',
      local: false,
      lost: null,
    })
    expect(ben.changes.at(-1)).toMatchObject({ local: true, value: 'Ask the school about rooms' })
  })

  it('reports a value of mine that lost the key to a concurrent one, once', () => {
    const ana = replica(1)
    const ben = replica(2)
    ana.write('rooms')
    send(ana.doc, ben.doc)
    ana.write('Ana: rooms')
    ben.write('rooms and buses')
    send(ana.doc, ben.doc)
    send(ben.doc, ana.doc)
    // One of the two won the key in both documents; the other person learns what they lost.
    expect(ana.map.get(KEY)).toBe(ben.map.get(KEY))
    const loser = ana.map.get(KEY) === 'rooms and buses' ? ana : ben
    const winner = loser === ana ? ben : ana
    expect(loser.changes.at(-1)).toMatchObject({
      base: 'rooms',
      local: false,
      lost: loser === ana ? 'Ana: rooms' : 'rooms and buses',
    })
    // Nothing changed where the key was won.
    expect(winner.changes.at(-1)?.local).toBe(true)
    // The merge the loser writes comes after both: nobody loses anything more.
    const merged = mergeIntoField(
      loser.changes.at(-1) as TextEntryChange,
      loser.changes.at(-1)?.lost ?? null,
    )
    expect(merged).toMatchObject({ text: 'Ana: rooms and buses', write: true })
    loser.write(merged?.text as string)
    send(loser.doc, winner.doc)
    expect(winner.changes.at(-1)).toMatchObject({ value: 'Ana: rooms and buses', lost: null })
  })

  it("still reports my lost value when the winner's deletion of it arrives before the winner", () => {
    const server = new Y.Doc()
    const ana = replica(2) // the higher client id: Ana's value wins the key
    const ben = replica(1)
    ana.write('rooms')
    send(ana.doc, server)
    send(server, ben.doc)
    ana.write('Book rooms')
    ben.write('rooms and buses')
    send(ana.doc, server)
    send(ben.doc, server) // Ben's value loses there, and is deleted
    // Ben gets the server's deletions first (a delete set alone), then Ana's value.
    Y.applyUpdate(ben.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(server)), 'remote')
    expect(ben.map.get(KEY)).toBeUndefined()
    send(server, ben.doc)
    expect(ben.changes.at(-1)).toEqual({
      value: 'Book rooms',
      base: 'rooms',
      local: false,
      lost: 'rooms and buses',
    })
  })

  it('finds the base through values it never saw (several edits arriving at once)', () => {
    const ana = replica(1)
    const ben = replica(2)
    ana.write('one')
    send(ana.doc, ben.doc)
    ben.write('one two')
    ben.write('one two three')
    ana.write('zero one')
    send(ben.doc, ana.doc)
    send(ana.doc, ben.doc)
    const [first, second] = [ana, ben].map((side) => side.changes.at(-1) as TextEntryChange)
    const received = ana.map.get(KEY) === 'one two three' ? first : second
    expect(received).toMatchObject({ base: 'one', local: false })
  })

  it('takes an entry both created at once as written over nothing', () => {
    const ana = replica(1)
    const ben = replica(2)
    ana.write('ana')
    ben.write('ben')
    send(ana.doc, ben.doc)
    send(ben.doc, ana.doc)
    const loser = ana.map.get(KEY) === 'ben' ? ana : ben
    expect(loser.changes.at(-1)).toMatchObject({ base: '', lost: loser === ana ? 'ana' : 'ben' })
  })

  it('stops with destroy', () => {
    const ana = replica(1)
    ana.watch.destroy()
    ana.write('x')
    expect(ana.changes).toEqual([])
  })
})

/**
 * A plan field as CommitText keeps it, without React: the person's text, whether it still has to
 * be written, and the board's new values merged in as they arrive.
 */
function field(clientID: number) {
  const side = replica(clientID)
  const state = { text: '', unwritten: false, focused: false, words: [] as string[] }
  side.watch.subscribe((change) => {
    // In the field, what it shows is theirs; out of it, only text not yet written, or their
    // value that lost.
    const mine = state.focused || state.unwritten ? state.text : change.lost
    const merged = mergeIntoField(change, mine)
    if (!merged) {
      if (!change.local) state.text = change.value
      return
    }
    state.text = merged.text
    state.unwritten = merged.write
  })
  return {
    ...side,
    state,
    /** Types `word ` before the `at`-th word. */
    type(word: string, at: number) {
      const words = state.text.split(' ').filter(Boolean)
      const index = at % (words.length + 1)
      const before = words.slice(0, index).join(' ')
      const prefix = before ? `${before} ` : ''
      // Keep what else is in the text as it is: insert at the word boundary.
      state.text =
        prefix +
        word +
        (state.text.length > prefix.length ? ' ' : '') +
        state.text.slice(prefix.length)
      state.unwritten = true
      state.focused = true
      state.words.push(word)
    },
    /** Leaves the field: what is waiting is written. */
    leave() {
      this.flush()
      state.focused = false
    },
    flush() {
      if (!state.unwritten) return
      state.unwritten = false
      if (side.map.get(KEY) !== state.text) side.write(state.text)
    },
  }
}

describe('people typing in one field at once', () => {
  /**
   * Random typing, writing, leaving the field and partial syncs; then everyone stops and what is
   * left is written and sent until nothing changes.
   */
  function typeAtOnce(count: number, exactly: boolean) {
    type Step =
      | { kind: 'type'; who: number; at: number }
      | { kind: 'write'; who: number }
      | { kind: 'leave'; who: number }
      | { kind: 'send'; from: number; to: number }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), who: fc.nat(2), at: fc.nat() }),
      fc.record({ kind: fc.constant('write' as const), who: fc.nat(2) }),
      fc.record({ kind: fc.constant('leave' as const), who: fc.nat(2) }),
      fc.record({ kind: fc.constant('send' as const), from: fc.nat(2), to: fc.nat(2) }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const people = [1, 2, 3].slice(0, count).map(field)
        let counter = 0
        for (const s of steps) {
          if (s.kind === 'type') {
            const person = people[s.who % people.length]
            person?.type(`w${person.doc.clientID}x${counter++}`, s.at)
          } else if (s.kind === 'write') people[s.who % people.length]?.flush()
          else if (s.kind === 'leave') people[s.who % people.length]?.leave()
          else {
            const from = people[s.from % people.length]
            const to = people[s.to % people.length]
            if (from && to && from !== to) send(from.doc, to.doc)
          }
        }
        // Everyone stops typing: what is left is written and sent until nothing changes.
        for (let round = 0; round < 20; round++) {
          for (const person of people) person.flush()
          for (const from of people)
            for (const to of people) if (from !== to) send(from.doc, to.doc)
          if (people.every((person) => !person.state.unwritten)) break
        }
        const final = people[0]?.map.get(KEY) ?? ''
        for (const person of people) {
          expect(person.state.unwritten).toBe(false)
          expect(person.map.get(KEY) ?? '').toBe(final)
          expect(person.state.text).toBe(final)
        }
        const words = (final as string).split(' ').filter(Boolean)
        const typed = people.flatMap((person) => person.state.words)
        if (exactly) expect([...words].sort()).toEqual([...typed].sort())
        else expect([...new Set(words)].sort()).toEqual([...typed].sort())
      }),
      { numRuns: 500 },
    )
  }

  it('two: both pages end with the same text, holding each word each typed, once', () => {
    typeAtOnce(2, true)
  })

  it('three: all pages end with the same text, holding every word anyone typed', () => {
    // (A word two of them had from the first, whose values both lost to the third's, can come
    // back twice: each brings back their own value. Nothing is lost.)
    typeAtOnce(3, false)
  })
})
