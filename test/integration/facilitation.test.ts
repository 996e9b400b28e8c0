/**
 * Running the room against a real server process: the agenda stage, the timer and "bring
 * everyone here" are facilitation keys that only a facilitate link may write; the server's
 * clock is readable for countdowns.
 */
import {
  FACILITATION,
  GATHER,
  nextGather,
  STAGE,
  setTimer,
  startTimer,
  TIMER,
} from '@common-ground/shared/facilitation'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, type LinkKind } from '../support/boards.ts'
import { useServer } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const running = useServer()

async function join(board: CreatedBoard, kind: LinkKind) {
  return (await running.join(board, kind)).client
}

const values = {
  [TIMER]: () => startTimer(setTimer(5), Date.now()),
  [STAGE]: () => 'issues',
  [GATHER]: () => nextGather(null, { x: 100, y: 200, w: 1200, h: 800 }, 'page:page'),
}

describe('facilitation keys', () => {
  let board: CreatedBoard
  let facilitator: YClient
  let participant: YClient

  beforeAll(async () => {
    board = await createBoard(running.server, { title: 'Running the room', template: 'retreat' })
    facilitator = await join(board, 'facilitate')
    participant = await join(board, 'edit')
  })

  for (const [key, value] of Object.entries(values)) {
    it(`${key}: a participant's write is taken back, a facilitator's reaches everyone`, async () => {
      participant.doc.getMap(FACILITATION).set(key, value())
      // Refused, then the participant's copy is loaded afresh from the board (without it).
      await waitFor(() => participant.notices.length > 1, { what: 'a notice' })
      await waitFor(
        () =>
          participant.provider.synced &&
          participant.doc.getMap(FACILITATION).get(key) === undefined,
        { what: `${key} from a participant reverted` },
      )
      expect(participant.notices).toContainEqual(
        expect.objectContaining({ kind: 'write-refused', code: 'facilitators-only' }),
      )
      expect(facilitator.doc.getMap(FACILITATION).get(key)).toBeUndefined()

      const kept = value()
      facilitator.doc.getMap(FACILITATION).set(key, kept)
      await waitFor(
        () =>
          JSON.stringify(participant.doc.getMap(FACILITATION).get(key)) === JSON.stringify(kept),
        { what: `${key} from the facilitator` },
      )
      // A newcomer sees it too: it was kept, not just relayed.
      const late = await join(board, 'view')
      expect(late.doc.getMap(FACILITATION).get(key)).toEqual(kept)
    })
  }

  it('refuses a facilitator value that does not fit the key', async () => {
    const observer = await join(board, 'view')
    const before = facilitator.doc.getMap(FACILITATION).get(TIMER)
    facilitator.doc.getMap(FACILITATION).set(TIMER, { durationMs: 1, startedAt: null })
    await waitFor(() => facilitator.notices.length > 1, { what: 'a notice' })
    await waitFor(
      () =>
        facilitator.provider.synced &&
        JSON.stringify(facilitator.doc.getMap(FACILITATION).get(TIMER)) === JSON.stringify(before),
      { what: 'an invalid timer reverted' },
    )
    expect(facilitator.notices).toContainEqual(
      expect.objectContaining({ kind: 'write-refused', code: 'invalid' }),
    )
    expect(observer.doc.getMap(FACILITATION).get(TIMER)).toEqual(before)
  })

  it("tells clients the server's time, on joining and over HTTP", async () => {
    const before = Date.now()
    const response = await fetch(`${running.server.url}/api/time`)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const { now } = (await response.json()) as { now: number }
    // Same machine, same clock: the reading falls within the request.
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
    const welcome = participant.notices.find(
      (notice) => (notice as { kind?: string }).kind === 'welcome',
    ) as { now?: unknown } | undefined
    expect(typeof welcome?.now).toBe('number')
  })
})
