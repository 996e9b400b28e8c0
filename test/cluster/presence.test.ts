/**
 * Presence crosses processes: a person on one process sees who is on the others, with the role
 * and person id the board's owner vouches for. When a process dies (`kill -9`), its people
 * disappear from everyone else's people list within 10 s.
 */
import { PERSON_FIELD, type PersonPresence } from '@common-ground/shared/facilitation'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, participantOf } from '../support/boards.ts'
import { clusterSettings, ownerOf, startMember } from '../support/cluster.ts'
import { createDatabase, type TestDatabase } from '../support/postgres.ts'
import type { RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const session = useRestartableServers()
let database: TestDatabase
let members: RunningServer[] = []
beforeAll(async () => {
  database = await createDatabase()
  const settings = clusterSettings(database)
  members = await Promise.all([0, 1, 2].map(() => startMember(settings)))
})
afterAll(async () => {
  await Promise.all(members.map((member) => member.stop()))
  await database?.drop()
})

function present(client: YClient, personId: string, name: string): void {
  const who: PersonPresence = {
    personId,
    name,
    color: '#1c7ed6',
    role: 'facilitator', // what the app claims; the server says what the link is
    organization: null,
    idle: false,
  }
  client.provider.awareness.setLocalState({
    presence: null,
    user: { name, color: who.color },
    [PERSON_FIELD]: who,
  })
}

const personIn = (client: YClient, other: YClient) =>
  client.provider.awareness.getStates().get(other.doc.clientID)?.[PERSON_FIELD] as
    | PersonPresence
    | undefined

describe('presence across processes', () => {
  it('everyone sees everyone, vouched for by the owner; a dead process’s people go within 10 s', async () => {
    const board = await createBoard(members[0] as RunningServer, { title: 'People' })
    const people = []
    for (const member of members) {
      const person = participantOf(board.id)
      const client = session.client(member, board.id, { params: person.params })
      await client.whenSynced()
      people.push({ member, client, personId: person.personId })
    }
    const owner = await ownerOf(database, members, board.id)
    for (const [i, { client, personId }] of people.entries()) present(client, personId, `P${i}`)
    for (const { client } of people) {
      for (const [i, other] of people.entries()) {
        if (other.client === client) continue
        await waitFor(() => personIn(client, other.client)?.name === `P${i}`, {
          what: `P${i} seen across processes`,
        })
        // The role of the link and the person id of the device, whatever the app said.
        expect(personIn(client, other.client)).toMatchObject({
          role: 'participant',
          personId: other.personId,
        })
      }
    }
    // A process serving the board from a replica dies: its person goes from everyone's list.
    const doomed = people.find((person) => person.member !== owner)
    if (!doomed) throw new Error('no replica')
    const others = people.filter((person) => person !== doomed)
    await doomed.member.kill9()
    const killedAt = Date.now()
    for (const { client } of others) {
      await waitFor(() => personIn(client, doomed.client) === undefined, {
        timeoutMs: 10_000,
        what: 'the dead process’s person to disappear',
      })
    }
    expect(Date.now() - killedAt).toBeLessThan(10_000)
  })
})
