/**
 * The identity a cluster process forwards with a socket's messages (`identityOf` there,
 * `adoptIdentity` on the board's owner): read back as checked, or refused whole when it is not
 * of that shape.
 */
import { describe, expect, it } from 'vitest'
import { Connection } from '../sync/Connection.ts'
import { adoptIdentity, identityOf } from './access.ts'

const socket = { isOpen: true, send() {}, close() {} }
const connectionOn = (boardId = 'board-0001') =>
  new Connection(socket, { boardId, remoteAddress: 'r' })

describe('forwarded identity', () => {
  it('reads back what the replica checked', () => {
    const there = connectionOn()
    const identity = {
      writer: { role: 'participant', participantId: 'pAbc_-123', personId: 'hXyz-987' },
      link: 'edit',
      device: 'pAbc_-123',
    }
    expect(adoptIdentity(there, JSON.parse(JSON.stringify(identity)))).toBe(true)
    const here = connectionOn()
    expect(adoptIdentity(here, JSON.parse(JSON.stringify(identityOf(there))))).toBe(true)
    expect(identityOf(here)).toEqual(identity)
  })

  it.each([
    ['no writer', { link: 'edit', device: null }],
    [
      'an unknown role',
      { writer: { role: 'admin', participantId: null }, link: null, device: null },
    ],
    [
      'an unknown link',
      { writer: { role: 'observer', participantId: null }, link: 'own', device: null },
    ],
    [
      'an id that is no id',
      { writer: { role: 'participant', participantId: 'a b' }, link: 'edit', device: null },
    ],
    [
      'a device that is no device',
      { writer: { role: 'observer', participantId: null }, link: 'view', device: 7 },
    ],
    ['not an object', 'facilitator'],
  ])('refuses %s, setting nothing', (_what, value) => {
    const connection = connectionOn()
    expect(adoptIdentity(connection, value)).toBe(false)
    expect(connection.context).toEqual({})
  })
})
