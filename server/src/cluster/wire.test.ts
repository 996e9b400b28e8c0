import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import {
  decodeBoardNews,
  decodeClusterNews,
  decodeInbox,
  encodeBoardNews,
  encodeClusterNews,
  encodeInbox,
  type InboxMessage,
  MAX_ANSWERS,
} from './wire.ts'

const board = 'aBoardId_123456'
const from = '0123456789abcdef'

describe('what cluster processes say to each other', () => {
  it('reads back every message as it was written', () => {
    const messages: InboxMessage[] = [
      { kind: 'join', board, from, conn: 7, identity: '{"writer":null}', remote: '10.0.0.1' },
      { kind: 'message', board, from, conn: 7, n: 3, floor: 2, data: new Uint8Array([0, 2, 1, 0]) },
      { kind: 'leave', board, from, conn: 7 },
      { kind: 'send', board, conn: 7, data: new Uint8Array([100, 1, 65]) },
      { kind: 'close', board, conn: 7, code: 4403, reason: 'this link was replaced' },
      { kind: 'ack', board, conn: 7, n: 3, answers: [] },
      {
        kind: 'ack',
        board,
        conn: 7,
        n: 4,
        answers: [new Uint8Array([100, 1, 65]), new Uint8Array([1])],
      },
      {
        kind: 'change',
        board,
        from,
        request: 1,
        change: 'restore',
        update: new Uint8Array([0, 0]),
      },
      { kind: 'changed', board, request: 1, outcome: 'not-stored' },
    ]
    for (const message of messages) expect(decodeInbox(encodeInbox(message))).toEqual(message)
    const news = [
      { kind: 'committed', epoch: 2, boardSeq: 41, update: new Uint8Array([0, 0]) },
      { kind: 'presence', update: new Uint8Array([1, 2, 3]) },
      { kind: 'owner', epoch: 3, process: from },
    ] as const
    for (const item of news) expect(decodeBoardNews(encodeBoardNews(item))).toEqual(item)
    const replaced = { kind: 'link-replaced', board, link: 'edit' } as const
    expect(decodeClusterNews(encodeClusterNews(replaced))).toEqual(replaced)
  })

  it('drops what is cut, padded or out of shape instead of half reading it', () => {
    const join = encodeInbox({ kind: 'join', board, from, conn: 1, identity: '{}', remote: 'x' })
    expect(decodeInbox(join.subarray(0, join.byteLength - 1))).toBeNull()
    expect(decodeInbox(new Uint8Array([...join, 0]))).toBeNull()
    expect(decodeInbox(new Uint8Array([99]))).toBeNull()
    const badBoard = encodeInbox({ kind: 'leave', board: 'no/slashes', from, conn: 1 })
    expect(decodeInbox(badBoard)).toBeNull()
    const badProcess = encodeInbox({ kind: 'leave', board, from: 'NOT-HEX', conn: 1 })
    expect(decodeInbox(badProcess)).toBeNull()
    const tooManyAnswers = encodeInbox({
      kind: 'ack',
      board,
      conn: 1,
      n: 1,
      answers: Array.from({ length: MAX_ANSWERS + 1 }, () => new Uint8Array([1])),
    })
    expect(decodeInbox(tooManyAnswers)).toBeNull()
    const badCode = encodeInbox({ kind: 'close', board, conn: 1, code: 99, reason: '' })
    expect(decodeInbox(badCode)).toBeNull()
    // A length that claims more than is there.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 2 ** 31)
    expect(decodeBoardNews(encoding.toUint8Array(encoder))).toBeNull()
    expect(
      decodeClusterNews(encodeClusterNews({ kind: 'link-replaced', board, link: 'x' as never })),
    ).toBeNull()
  })
})
