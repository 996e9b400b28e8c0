import { openBoardDoc } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyStoredUpdate } from './storedUpdate.ts'

/** The update read both ways: Yjs's own decoder and ours must build the same document. */
function expectSameDoc(update: Uint8Array): Y.Doc {
  const expected = new Y.Doc()
  Y.applyUpdate(expected, update)
  const actual = new Y.Doc()
  applyStoredUpdate(actual, update)
  expect(actual.toJSON()).toEqual(expected.toJSON())
  expect(Y.encodeStateAsUpdate(actual)).toEqual(Y.encodeStateAsUpdate(expected))
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected))
  expected.destroy()
  return actual
}

describe('applyStoredUpdate', () => {
  it('builds the same board as Y.applyUpdate: records, deletions, every kind of content', () => {
    const doc = new Y.Doc()
    const board = openBoardDoc(doc)
    doc.transact(() => {
      for (let i = 0; i < 300; i++) {
        const text = ['Note', 'Nota ñandú', 'ノート', 'emoji 🧭', 'x'.repeat(200)][i % 5] as string
        board.records.set(`shape:n${i}`, note(`n${i}`, `${text} ${i}`, { x: i, y: -i }) as never)
      }
    })
    doc.transact(() => {
      for (let i = 0; i < 300; i += 7) board.records.delete(`shape:n${i}`)
    })
    const values = doc.getArray<unknown>('values')
    values.push([
      [undefined, { missing: undefined }],
      null,
      0,
      -1,
      2 ** 40,
      0.5,
      Math.PI,
      { big: 123n, bytes: new Uint8Array([4, 5]) },
      true,
      false,
      '',
      'a',
      new Uint8Array([1, 2, 3]),
      { nested: [{ deep: ['é', { κλειδί: 'τιμή' }] }] },
    ])
    const text = doc.getText('text')
    text.insert(0, 'plain, then bold 🎉', {})
    text.format(7, 4, { bold: true, colour: 'ñ' })
    text.insertEmbed(3, { image: 'ü.png' })
    const element = new Y.XmlElement('párrafo')
    doc.getXmlFragment('xml').insert(0, [element])
    element.setAttribute('clase', 'título')
    doc.getMap('binary').set('bytes', new Uint8Array([0, 255]))
    doc.getMap('subdocs').set('child', new Y.Doc({ guid: 'sub-dóc' }))

    const restored = expectSameDoc(Y.encodeStateAsUpdate(doc))
    expect(openBoardDoc(restored).records.get('shape:n1')).toEqual(board.records.get('shape:n1'))
    restored.destroy()
    doc.destroy()
  })

  it('keeps apart short strings that share a slot of its table', () => {
    // "Aa" and "BB" hash alike (31 × 'A' + 'a' = 31 × 'B' + 'B'), and so do their repetitions.
    const doc = new Y.Doc()
    const map = doc.getMap<unknown>('m')
    const pairs = ['Aa', 'BB', 'AaAa', 'AaBB', 'BBAa', 'BBBB']
    doc.transact(() => {
      for (let i = 0; i < 60; i++) {
        const key = pairs[i % pairs.length] as string
        map.set(`${key}${i}`, { [key]: pairs[(i + 1) % pairs.length], k: key })
      }
    })
    const restored = expectSameDoc(Y.encodeStateAsUpdate(doc))
    expect(restored.getMap('m').get('BB1')).toEqual({ BB: 'AaAa', k: 'BB' })
    restored.destroy()
    doc.destroy()
  })

  it('reads any values as Yjs does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.jsonValue()), {
          maxLength: 20,
        }),
        (entries) => {
          const doc = new Y.Doc()
          const map = doc.getMap<unknown>('m')
          const list = doc.getArray<unknown>('a')
          doc.transact(() => {
            for (const [key, value] of entries) {
              map.set(key, value)
              list.push([value, key])
            }
          })
          expectSameDoc(Y.encodeStateAsUpdate(doc)).destroy()
          doc.destroy()
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses what Yjs refuses: invalid UTF-8, a truncated update', () => {
    const doc = new Y.Doc()
    doc.getMap('m').set('k', 'é')
    const update = Y.encodeStateAsUpdate(doc)
    const at = update.findIndex((byte, i) => byte === 0xc3 && update[i + 1] === 0xa9)
    const invalid = update.slice()
    invalid[at + 1] = 0x28 // 0xc3 0x28 is not UTF-8
    expect(() => Y.applyUpdate(new Y.Doc(), invalid)).toThrow()
    expect(() => applyStoredUpdate(new Y.Doc(), invalid)).toThrow()
    const truncated = update.slice(0, at)
    expect(() => Y.applyUpdate(new Y.Doc(), truncated)).toThrow()
    expect(() => applyStoredUpdate(new Y.Doc(), truncated)).toThrow()
    doc.destroy()
  })
})
