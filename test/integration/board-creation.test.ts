/**
 * Where boards come from, against real server processes: only `POST /api/boards` creates them
 * (a connection to an unknown id is closed with 4404 and creates nothing), creation is rate
 * limited per address and capped (MAX_BOARDS, MAX_DATABASE_BYTES), every board is stored with
 * its links in one transaction (and backed up with them), and a board without links (made
 * before links existed) opens read-only until `pnpm board-links` gives it links.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { fileURLToPath } from 'node:url'
import { newBoardId } from '@common-ground/shared/board'
import { note } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createBoard, insertBoardWithoutLinks } from '../support/boards.ts'
import { makeDataDir, type RunningServer, removeDataDir } from '../support/server.ts'
import { useServer } from '../support/session.ts'
import { closeOf, openSocket, upgradeStatus } from '../support/socket.ts'
import { waitFor } from '../support/yclient.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DATABASE = 'common-ground.sqlite'

interface ApiAnswer {
  status: number
  retryAfter: string | null
  body: { id?: string; error?: { code: string; message: string } }
}

async function post(server: RunningServer, body: object = {}): Promise<ApiAnswer> {
  const response = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as ApiAnswer['body'],
  }
}

/** A read-only look at the server's database, beside the running server (WAL). */
function readDatabase<T>(server: RunningServer, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path.join(server.dataDir, DATABASE), { readOnly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

const count = (db: DatabaseSync, sql: string) =>
  Number(Object.values(db.prepare(sql).get() ?? {})[0])

async function scrape(server: RunningServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text()
}

function runNode(script: string, args: string[], dataDir: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'server/src', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  })
}

describe('boards come from the API only', () => {
  const running = useServer()

  it('closes a connection to an unknown board id with 4404 and creates nothing', async () => {
    const { server } = running
    const boardId = newBoardId()
    const closed = await closeOf(await openSocket(`${server.wsUrl}/sync/${boardId}`))
    expect(closed).toEqual({ code: 4404, reason: 'board not found' })
    expect((await fetch(`${server.url}/api/boards/${boardId}`)).status).toBe(404)
    const metrics = await scrape(server)
    expect(metrics).toMatch(/^cg_room_loads_total 0$/m)
    expect(metrics).toMatch(/^cg_rooms_loaded 0$/m)
    expect(readDatabase(server, (db) => count(db, 'SELECT count(*) FROM boards'))).toBe(0)
    // The board id check is unchanged: a malformed id is still refused on the upgrade.
    expect(await upgradeStatus(`${server.wsUrl}/sync/short`)).toBe(400)
  })

  it('y-websocket stops retrying on 4404', async () => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(`${running.server.wsUrl}/sync`, newBoardId(), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 100,
    })
    let closes = 0
    provider.on('connection-close', () => {
      closes++
    })
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      provider.on('closed', (event) => resolve(event)),
    )
    expect(closed.code).toBe(4404)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(closes).toBe(1)
    expect(provider.shouldConnect).toBe(false)
    provider.destroy()
    doc.destroy()
  })

  it('stores every created board with its links (the calendar key too), and a backup carries them', async () => {
    const { server } = running
    const boards = [await createBoard(server), await createBoard(server, { template: 'retreat' })]
    const stored = readDatabase(server, (db) =>
      db.prepare('SELECT board_id, kind, token FROM board_links ORDER BY board_id, kind').all(),
    )
    for (const board of boards) {
      const rows = stored.filter((row) => row.board_id === board.id)
      expect(Object.fromEntries(rows.map((row) => [row.kind, row.token]))).toEqual(board.tokens)
    }

    const backups = await makeDataDir()
    try {
      const file = path.join(backups, 'retreat.sqlite')
      const backedUp = runNode('backupCli.ts', ['backup', file], server.dataDir)
      expect(backedUp.stderr).toBe('')
      expect(backedUp.status).toBe(0)
      const backup = new DatabaseSync(file, { readOnly: true })
      try {
        for (const board of boards) {
          const rows = backup
            .prepare('SELECT kind, token FROM board_links WHERE board_id = ?')
            .all(board.id)
          expect(Object.fromEntries(rows.map((row) => [row.kind, row.token]))).toEqual(board.tokens)
        }
      } finally {
        backup.close()
      }
    } finally {
      await removeDataDir(backups)
    }
  })

  it('opens a board without links read-only until pnpm board-links gives it links', async () => {
    const { server } = running
    // A board as servers before links left it: a row and its seed, no links.
    const boardId = newBoardId()
    insertBoardWithoutLinks(server.dataDir, boardId, 'From before links')

    // Anyone with the address may look, as an observer, and change nothing.
    const meta = await fetch(`${server.url}/api/boards/${boardId}`)
    expect(meta.status).toBe(200)
    const metaBody = (await meta.json()) as Record<string, unknown>
    expect(metaBody).toMatchObject({ id: boardId, title: 'From before links', role: 'observer' })
    expect(metaBody.links).toBeUndefined()
    const rotate = await fetch(`${server.url}/api/boards/${boardId}/links/edit/rotate`, {
      method: 'POST',
    })
    expect(rotate.status).toBe(403)

    const visitor = running.client(boardId, { params: {} })
    await visitor.whenSynced()
    await waitFor(() => visitor.notices.find((n) => (n as { kind?: string }).kind === 'welcome'), {
      what: 'the welcome notice',
    })
    expect(visitor.notices).toContainEqual(expect.objectContaining({ role: 'observer' }))
    visitor.board.records.set('shape:sneaky', note('sneaky', 'written by anyone'))
    await waitFor(
      () => visitor.notices.find((n) => (n as { kind?: string }).kind === 'write-refused'),
      { what: 'the refusal' },
    )
    expect(visitor.notices).toContainEqual(
      expect.objectContaining({ kind: 'write-refused', code: 'read-only' }),
    )

    // The operator gives it links; from then on its address alone opens nothing.
    const given = runNode('boardLinksCli.ts', [boardId, 'http://venue.local:8787'], server.dataDir)
    expect(given.stderr).toBe('')
    expect(given.status).toBe(0)
    expect(given.stdout).toMatch(new RegExp(`^board ${boardId} "From before links": links created`))
    const keys = Object.fromEntries(
      [...given.stdout.matchAll(/^(facilitate|edit|view) +(\S+)$/gm)].map((m) => {
        const url = new URL(m[2] as string)
        expect(`${url.origin}${url.pathname}`).toBe(`http://venue.local:8787/b/${boardId}`)
        return [m[1], url.hash.replace(/^#key=/, '')]
      }),
    )
    expect(Object.keys(keys).sort()).toEqual(['edit', 'facilitate', 'view'])
    // And the calendar link, which opens the board's calendar feed and nothing else.
    const calendarLine = given.stdout.split('\n').find((line) => line.startsWith('calendar '))
    const calendarUrl = new URL(calendarLine?.split(/ +/)[1] ?? 'http://missing')
    expect(`${calendarUrl.origin}${calendarUrl.pathname}`).toBe(
      `http://venue.local:8787/api/boards/${boardId}/calendar.ics`,
    )
    const calendarKey = calendarUrl.searchParams.get('token')
    expect(
      (await fetch(`${server.url}/api/boards/${boardId}/calendar.ics?token=${calendarKey}`)).status,
    ).toBe(200)
    expect((await fetch(`${server.url}/api/boards/${boardId}?token=${calendarKey}`)).status).toBe(
      403,
    )

    expect(await closeOf(await openSocket(`${server.wsUrl}/sync/${boardId}`))).toMatchObject({
      code: 4401,
    })
    const asFacilitator = await fetch(
      `${server.url}/api/boards/${boardId}?token=${keys.facilitate}`,
    )
    expect(await asFacilitator.json()).toMatchObject({
      role: 'facilitator',
      tokens: keys,
    })

    // Run again, it keeps the links it gave.
    const again = runNode('boardLinksCli.ts', [boardId], server.dataDir)
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/already had links/)
    expect(again.stdout).toContain(`#key=${keys.facilitate}`)

    const unknown = runNode('boardLinksCli.ts', [newBoardId()], server.dataDir)
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toMatch(/no board/)
  })
})

describe('board creation per address', () => {
  const running = useServer({ env: { MAX_BOARDS_PER_HOUR_PER_IP: '3' } })

  it('answers 429 rate_limited with Retry-After past the hourly budget', async () => {
    const { server } = running
    for (let i = 0; i < 3; i++) expect((await post(server)).status).toBe(201)
    const refused = await post(server)
    expect(refused.status).toBe(429)
    expect(refused.body.error?.code).toBe('rate_limited')
    expect(refused.body.error?.message).toMatch(/try again/)
    // One board every 20 minutes flows back in.
    const seconds = Number(refused.retryAfter)
    expect(seconds).toBeGreaterThan(1100)
    expect(seconds).toBeLessThanOrEqual(1200)
    expect(await scrape(server)).toMatch(
      /^cg_board_creations_refused_total\{code="rate_limited"\} 1$/m,
    )
    expect(await scrape(server)).toMatch(/^cg_boards_created_total 3$/m)
    expect(readDatabase(server, (db) => count(db, 'SELECT count(*) FROM boards'))).toBe(3)
  })
})

describe('MAX_BOARDS', () => {
  const running = useServer({ env: { MAX_BOARDS: '2' } })

  it('answers 507 board_limit_reached once the server holds that many boards', async () => {
    const { server } = running
    const first = await createBoard(server)
    await createBoard(server)
    const refused = await post(server)
    expect(refused.status).toBe(507)
    expect(refused.body.error?.code).toBe('board_limit_reached')
    // The boards it has keep working.
    const meta = await fetch(`${server.url}/api/boards/${first.id}?token=${first.tokens.view}`)
    expect(meta.status).toBe(200)
    expect(readDatabase(server, (db) => count(db, 'SELECT count(*) FROM boards'))).toBe(2)
  })
})

describe('MAX_DATABASE_BYTES', () => {
  const running = useServer({
    env: { MAX_DATABASE_BYTES: String(160 * 1024), MAX_BOARDS_PER_HOUR_PER_IP: '0' },
  })

  it('answers 507 storage_full when the database is full, leaving no board without links', async () => {
    const { server } = running
    let created = 0
    let refused: ApiAnswer | null = null
    for (let i = 0; i < 300 && !refused; i++) {
      const answer = await post(server, { template: 'retreat', title: `Retreat ${i}` })
      if (answer.status === 201) created++
      else refused = answer
    }
    expect(created).toBeGreaterThan(0)
    expect(refused?.status).toBe(507)
    expect(refused?.body.error?.code).toBe('storage_full')
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    // Every board has its four keys: the three links' and the calendar link's.
    const [boards, linked] = readDatabase(server, (db) => [
      count(db, 'SELECT count(*) FROM boards'),
      count(
        db,
        `SELECT count(*) FROM boards WHERE
           (SELECT count(*) FROM board_links WHERE board_id = boards.id) = 4`,
      ),
    ])
    expect(boards).toBe(created)
    expect(linked).toBe(created)
    expect(await scrape(server)).toMatch(
      /^cg_board_creations_refused_total\{code="storage_full"\} 1$/m,
    )
  })
})
