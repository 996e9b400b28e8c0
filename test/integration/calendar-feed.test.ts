/**
 * The calendar feed against a real server process: `GET /api/boards/:id/calendar.ics` read by a
 * real RFC 5545 parser (ical.js) with every kind of key; the calendar key opening the feed and
 * nothing else (not the socket, not the plan, not the board); replaced and wrong keys; the
 * filters and the language; bad input; and a board made before calendar links getting its key
 * when a facilitator's answer first needs it.
 */
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { newBoardId } from '@common-ground/shared/board'
import { stepUid } from '@common-ground/shared/export'
import { organizationCard, putRecords } from '@common-ground/shared/fixtures'
import { addStep, setActionIssue } from '@common-ground/shared/plan'
import { beforeAll, describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard, insertBoardWithoutLinks } from '../support/boards.ts'
import { readCalendar } from '../support/ical.ts'
import { useServer } from '../support/session.ts'
import { closeOf, openSocket } from '../support/socket.ts'
import { coversStateOf, waitFor } from '../support/yclient.ts'

const running = useServer()

type Tokens = { facilitate: string; edit: string; view: string; calendar: string }

interface Board extends CreatedBoard {
  tokens: Tokens
}

const ISSUE = 'shape:childcare'

async function feed(boardId: string, query: string, init?: RequestInit): Promise<Response> {
  return fetch(`${running.server.url}/api/boards/${boardId}/calendar.ics${query}`, init)
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } }
  expect(body.error.message.length).toBeGreaterThan(0)
  return { status: response.status, code: body.error.code }
}

async function rotate(board: Board, kind: string, token: string): Promise<Response> {
  return fetch(`${running.server.url}/api/boards/${board.id}/links/${kind}/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
}

/** A board with a small action plan, written by one client and seen by another (so stored). */
async function boardWithPlan(title: string): Promise<Board> {
  const board = (await createBoard(running.server, { title, template: 'retreat' })) as Board
  const writer = (await running.join(board, 'facilitate')).client
  const watcher = (await running.join(board, 'view')).client
  putRecords(writer.doc, [
    organizationCard('aldea', { name: 'Aldea Niños' }),
    organizationCard('bank', { name: 'First Bank' }, { x: 400 }),
  ])
  setActionIssue(writer.doc, ISSUE, { title: 'Childcare, evenings', rank: 1, sessionId: null })
  addStep(writer.doc, ISSUE, {
    id: 'hall',
    order: 'a1',
    what: 'Book the hall; ask for the big one',
    person: 'Ana López',
    organization: 'shape:aldea',
    due: '2026-09-15',
    status: 'in-progress',
  })
  addStep(writer.doc, ISSUE, {
    id: 'funds',
    order: 'a2',
    what: 'Apply for the grant',
    person: 'Ben',
    organization: 'shape:bank',
    due: '2026-08-01',
  })
  addStep(writer.doc, ISSUE, { id: 'undated', order: 'a3', what: 'Someday', person: 'Ana López' })
  await waitFor(() => coversStateOf(watcher.doc, writer.doc), { what: 'the plan stored and sent' })
  return board
}

describe('calendar.ics', () => {
  let board: Board

  beforeAll(async () => {
    board = await boardWithPlan('Café «Unión» retreat')
  })

  it('is an iCalendar every key of the board opens, the calendar key too', async () => {
    expect(Object.keys(board.tokens).sort()).toEqual(['calendar', 'edit', 'facilitate', 'view'])
    expect(new Set(Object.values(board.tokens)).size).toBe(4)
    for (const kind of ['facilitate', 'edit', 'view', 'calendar'] as const) {
      const response = await feed(board.id, `?token=${board.tokens[kind]}`)
      expect(response.status, kind).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
      expect(response.headers.get('cache-control')).toBe('private, no-store')
      const calendar = readCalendar(await response.text())
      expect(calendar.name).toBe('Café «Unión» retreat')
      expect(calendar.events.map((event) => [event.start, event.summary, event.allDay])).toEqual([
        ['2026-08-01', 'Apply for the grant', true],
        ['2026-09-15', 'Book the hall; ask for the big one', true],
      ])
      const [, hall] = calendar.events
      expect(hall?.uid).toBe(stepUid(board.id, ISSUE, 'hall'))
      expect(hall?.description).toBe(
        [
          'Issue: 1. Childcare, evenings',
          'Person responsible: Ana López',
          'Organization responsible: Aldea Niños',
          'Status: In progress',
        ].join('\n'),
      )
      expect(hall?.url).toBe(`${running.server.url}/b/${board.id}`)
    }
    // As an Authorization header too, like every board route.
    const bearer = await feed(board.id, '', {
      headers: { authorization: `Bearer ${board.tokens.calendar}` },
    })
    expect(bearer.status).toBe(200)
  })

  it('hands the facilitator the calendar link, which opens the feed as it is', async () => {
    expect(board.links.calendar).toBe(
      `${running.server.url}/api/boards/${board.id}/calendar.ics?token=${board.tokens.calendar}`,
    )
    const asFacilitator = await fetch(
      `${running.server.url}/api/boards/${board.id}?token=${board.tokens.facilitate}`,
    )
    expect(await asFacilitator.json()).toMatchObject({
      links: { calendar: board.links.calendar },
      tokens: board.tokens,
    })
    // Not to a participant or an observer.
    for (const kind of ['edit', 'view'] as const) {
      const other = await fetch(
        `${running.server.url}/api/boards/${board.id}?token=${board.tokens[kind]}`,
      )
      const body = (await other.json()) as Record<string, unknown>
      expect(body.links).toBeUndefined()
      expect(body.tokens).toBeUndefined()
    }
    const response = await fetch(board.links.calendar as string)
    expect(response.status).toBe(200)
    expect(readCalendar(await response.text()).events).toHaveLength(2)
  })

  it('the calendar key opens nothing else: no socket, no plan, no board, no versions', async () => {
    const key = board.tokens.calendar
    const socket = await closeOf(
      await openSocket(`${running.server.wsUrl}/sync/${board.id}?token=${key}`),
    )
    expect(socket.code).toBe(4403)
    const base = `${running.server.url}/api/boards/${board.id}`
    const reads = ['', '/plan.json', '/plan.md', '/plan.csv', '/versions']
    for (const route of reads) {
      const response = await fetch(`${base}${route}?token=${key}`)
      expect(await errorOf(response), route).toEqual({ status: 403, code: 'invalid_link' })
    }
    for (const route of ['/links/calendar/rotate', '/links/edit/rotate', '/versions']) {
      const response = await fetch(`${base}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      })
      expect(await errorOf(response), route).toEqual({ status: 403, code: 'invalid_link' })
    }
    const close = await fetch(`${base}/closed?token=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ closed: true }),
    })
    expect(close.status).toBe(403)
  })

  it('refuses a missing, wrong or malformed key, and an unknown or malformed board', async () => {
    expect(await errorOf(await feed(board.id, ''))).toEqual({
      status: 401,
      code: 'link_required',
    })
    expect(await errorOf(await feed(board.id, `?token=${'A'.repeat(32)}`))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    expect(await errorOf(await feed(board.id, '?token=short'))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    // Another board's calendar key opens only its own board's feed.
    const other = (await createBoard(running.server, { title: 'Other' })) as Board
    expect(await errorOf(await feed(board.id, `?token=${other.tokens.calendar}`))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    expect(await errorOf(await feed(newBoardId(), `?token=${board.tokens.calendar}`))).toEqual({
      status: 404,
      code: 'board_not_found',
    })
    expect(await errorOf(await feed('bad!', `?token=${board.tokens.calendar}`))).toEqual({
      status: 400,
      code: 'invalid_board_id',
    })
  })

  it('filters by organization or person, words it in Spanish, and says what input is wrong', async () => {
    const key = `?token=${board.tokens.calendar}`
    const summaries = async (query: string) => {
      const response = await feed(board.id, `${key}${query}`)
      expect(response.status, query).toBe(200)
      const calendar = readCalendar(await response.text())
      return { name: calendar.name, summaries: calendar.events.map((event) => event.summary) }
    }
    expect(await summaries('&organization=shape:aldea')).toEqual({
      name: 'Café «Unión» retreat · Aldea Niños',
      summaries: ['Book the hall; ask for the big one'],
    })
    expect((await summaries(`&person=${encodeURIComponent('  ana LÓPEZ ')}`)).summaries).toEqual([
      'Book the hall; ask for the big one',
    ])
    expect((await summaries('&person=Ben&organization=shape:aldea')).summaries).toEqual([])
    expect((await summaries('&organization=shape:nobody')).summaries).toEqual([])

    const spanish = readCalendar(await (await feed(board.id, `${key}&lang=es`)).text())
    expect(spanish.events[1]?.description).toContain('Estado: En curso')

    const refusals: [string, number, string][] = [
      ['&organization=aldea', 400, 'invalid_organization'],
      ['&organization=shape:aldea&organization=shape:bank', 400, 'invalid_organization'],
      [`&organization=shape:${'x'.repeat(65)}`, 400, 'invalid_organization'],
      ['&person=', 400, 'invalid_person'],
      ['&person=%20%20', 400, 'invalid_person'],
      [`&person=${'a'.repeat(201)}`, 400, 'invalid_person'],
      ['&person=Ana&person=Ben', 400, 'invalid_person'],
      ['&lang=fr', 400, 'invalid_language'],
      ['&lang=es&lang=en', 400, 'invalid_language'],
      [`&note=${'x'.repeat(2100)}`, 414, 'uri_too_long'],
    ]
    for (const [query, status, code] of refusals) {
      expect(await errorOf(await feed(board.id, `${key}${query}`)), query).toEqual({
        status,
        code,
      })
    }
  })

  it('a replaced calendar key stops working; replacing a board link closes it to the feed too', async () => {
    const own = await boardWithPlan('Rotations')
    // Only a facilitator replaces links, the calendar's too.
    for (const kind of ['edit', 'view'] as const) {
      expect((await rotate(own, 'calendar', own.tokens[kind])).status).toBe(403)
    }
    expect(await errorOf(await rotate(own, 'nonsense', own.tokens.facilitate))).toEqual({
      status: 400,
      code: 'invalid_link_kind',
    })

    const rotated = await rotate(own, 'calendar', own.tokens.facilitate)
    expect(rotated.status).toBe(200)
    const { links, tokens } = (await rotated.json()) as { links: Tokens; tokens: Tokens }
    expect(tokens.calendar).not.toBe(own.tokens.calendar)
    expect({ ...tokens, calendar: '' }).toEqual({ ...own.tokens, calendar: '' })
    expect(links.calendar).toContain(`token=${tokens.calendar}`)
    expect(await errorOf(await feed(own.id, `?token=${own.tokens.calendar}`))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    expect((await fetch(links.calendar)).status).toBe(200)
    // Replacing the calendar link lets no one on the board go.
    const stillThere = running.client(own.id, { params: { token: own.tokens.edit } })
    await stillThere.whenSynced()

    const edit = await rotate(own, 'edit', own.tokens.facilitate)
    const afterEdit = (await edit.json()) as { tokens: Tokens }
    expect(afterEdit.tokens.calendar).toBe(tokens.calendar)
    expect(await errorOf(await feed(own.id, `?token=${own.tokens.edit}`))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    expect((await feed(own.id, `?token=${afterEdit.tokens.edit}`)).status).toBe(200)
  })

  it('a board made before calendar links gets its key when a facilitator first needs it', async () => {
    const old = await boardWithPlan('From before calendars')
    // As servers before calendar links left it: the three keys and no calendar key.
    const db = new DatabaseSync(path.join(running.server.dataDir, 'common-ground.sqlite'), {
      timeout: 5000,
    })
    try {
      db.prepare("DELETE FROM board_links WHERE board_id = ? AND kind = 'calendar'").run(old.id)
    } finally {
      db.close()
    }
    expect(await errorOf(await feed(old.id, `?token=${old.tokens.calendar}`))).toEqual({
      status: 403,
      code: 'invalid_link',
    })
    // The board's own keys still open the feed meanwhile.
    expect((await feed(old.id, `?token=${old.tokens.view}`)).status).toBe(200)

    const meta = async (token: string) =>
      (await (await fetch(`${running.server.url}/api/boards/${old.id}?token=${token}`)).json()) as {
        links?: { calendar?: string }
        tokens?: Partial<Tokens>
      }
    expect((await meta(old.tokens.edit)).tokens).toBeUndefined()
    const first = await meta(old.tokens.facilitate)
    const calendar = first.tokens?.calendar
    expect(calendar).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(calendar).not.toBe(old.tokens.calendar)
    expect(first.links?.calendar).toContain(`token=${calendar}`)
    // Asked again, the same key; it opens the feed and still nothing else.
    expect((await meta(old.tokens.facilitate)).tokens?.calendar).toBe(calendar)
    expect((await feed(old.id, `?token=${calendar}`)).status).toBe(200)
    expect(
      (await fetch(`${running.server.url}/api/boards/${old.id}/plan.json?token=${calendar}`))
        .status,
    ).toBe(403)
    expect(running.server.output()).toContain('calendar link created')
  })

  it('a board without links (made before links existed) shows its feed to anyone', async () => {
    const boardId = newBoardId()
    insertBoardWithoutLinks(running.server.dataDir, boardId, 'From before links')
    const response = await feed(boardId, '')
    expect(response.status).toBe(200)
    expect(readCalendar(await response.text())).toEqual({ name: 'From before links', events: [] })
    // Nobody facilitates it, so nobody can give it a calendar key.
    const rotated = await fetch(
      `${running.server.url}/api/boards/${boardId}/links/calendar/rotate`,
      { method: 'POST' },
    )
    expect(rotated.status).toBe(403)
  })
})
