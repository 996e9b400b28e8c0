/**
 * Board history against a real server process: named versions, preview, restore as a new change
 * that connected clients receive and that survives a restart, automatic snapshots only of boards
 * that changed, and `pnpm backup` / `pnpm restore` of the data directory.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { note } from '@common-ground/shared/fixtures'
import { describe, expect, it } from 'vitest'
import { type CreatedBoard, createBoard } from '../support/boards.ts'
import { makeDataDir, type RunningServer } from '../support/server.ts'
import { useRestartableServers } from '../support/session.ts'
import { waitFor, type YClient } from '../support/yclient.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const { start, client, removeAfter } = useRestartableServers()

/** `…/api/boards/<id><rest>`, with the board's key when boards have keys. */
function api(server: RunningServer, board: CreatedBoard, rest: string): string {
  const token = (board as { tokens?: { facilitate?: string } }).tokens?.facilitate
  const url = `${server.url}/api/boards/${board.id}${rest}`
  return token ? `${url}${url.includes('?') ? '&' : '?'}token=${token}` : url
}

// biome-ignore lint/suspicious/noExplicitAny: the assertions below check the shapes they read
async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init)
  return { status: response.status, body: await response.json() }
}

function post(url: string, body?: unknown) {
  return json(url, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
}

const textOf = (yclient: YClient, key: string) =>
  JSON.stringify((yclient.board.records.get(note(key, '').id) as { props?: unknown })?.props)

describe('history', () => {
  it('saves a named version, previews it, and restores it as a new change everyone receives', async () => {
    const server = await start({ env: { SNAPSHOT_INTERVAL_MS: '0' } })
    const board = await createBoard(server)
    const [ana, ben] = [client(server, board.id), client(server, board.id)]
    await Promise.all([ana.whenSynced(), ben.whenSynced()])
    const put = (key: string, text: string) => {
      const shape = note(key, text)
      ana.board.records.set(shape.id, shape)
    }
    put('childcare', 'Shared childcare rota')
    put('transport', 'Minibus between sites')
    await waitFor(() => ben.board.records.get(note('transport', '').id), { what: 'notes' })

    const saved = await post(api(server, board, '/versions'), { name: '  after   brainstorm ' })
    expect(saved.status).toBe(201)
    expect(saved.body).toMatchObject({ name: 'after brainstorm', auto: false })

    // Later edits: one changed, one deleted, one added.
    const before = textOf(ana, 'childcare')
    put('childcare', 'Childcare rota, evenings only')
    ana.board.records.delete(note('transport', '').id)
    put('later', 'Written after the version')
    await waitFor(() => ben.board.records.get(note('later', '').id), { what: 'later edits' })

    const preview = await json(api(server, board, `/versions/${saved.body.id}`))
    expect(preview.status).toBe(200)
    const ids = preview.body.records.map((record: { id: string }) => record.id)
    expect(ids).toContain(note('transport', '').id)
    expect(ids).not.toContain(note('later', '').id)
    expect(preview.body.plan).toBeTypeOf('object')

    const restored = await post(api(server, board, `/versions/${saved.body.id}/restore`))
    expect(restored.status).toBe(200)
    expect(restored.body.changed).toBe(true)
    expect(restored.body.savedBefore.name).toBe('before restoring "after brainstorm"')

    // Both connected clients receive the restore.
    for (const yclient of [ana, ben]) {
      await waitFor(() => yclient.board.records.get(note('transport', '').id), {
        what: 'the deleted note back',
      })
      await waitFor(() => !yclient.board.records.get(note('later', '').id), {
        what: 'the later note gone',
      })
      expect(textOf(yclient, 'childcare')).toBe(before)
    }

    // The later edits did not vanish without trace: the version saved before the restore has them.
    const list = await json(api(server, board, '/versions'))
    expect(list.body.versions.map((v: { name: string }) => v.name)).toEqual([
      'before restoring "after brainstorm"',
      'after brainstorm',
    ])
    const kept = await json(api(server, board, `/versions/${restored.body.savedBefore.id}`))
    expect(kept.body.records.map((r: { id: string }) => r.id)).toContain(note('later', '').id)

    // Restoring with nobody connected loads the board for the while; it survives a restart.
    ana.provider.destroy()
    ben.provider.destroy()
    const back = await post(api(server, board, `/versions/${restored.body.savedBefore.id}/restore`))
    expect(back.body.changed).toBe(true)
    expect((await post(api(server, board, `/versions/${saved.body.id}/restore`))).status).toBe(200)
    await server.stop()
    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, board.id)
    await fresh.whenSynced()
    expect(fresh.board.records.get(note('transport', '').id)).toBeDefined()
    expect(fresh.board.records.get(note('later', '').id)).toBeUndefined()
    expect(textOf(fresh, 'childcare')).toBe(before)
    await restarted.stop()
  })

  it('answers bad requests with specific errors', async () => {
    const server = await start()
    const board = await createBoard(server)
    expect((await post(api(server, board, '/versions'), { name: '' })).body.error.code).toBe(
      'invalid_name',
    )
    expect((await json(api(server, board, '/versions/99'))).body.error.code).toBe(
      'version_not_found',
    )
    expect((await json(api(server, board, '/versions/abc'))).body.error.code).toBe(
      'invalid_version_id',
    )
    expect((await post(api(server, board, '/versions/7/restore'))).status).toBe(404)
    const missing = await json(`${server.url}/api/boards/no-such-board/versions`)
    expect(missing.status).toBe(404)
    await server.stop()
  })

  it('takes automatic snapshots only of boards that changed, keeping SNAPSHOTS_KEPT', async () => {
    const server = await start({ env: { SNAPSHOT_INTERVAL_MS: '200', SNAPSHOTS_KEPT: '2' } })
    const [busy, quiet] = [await createBoard(server), await createBoard(server)]
    const writer = client(server, busy.id)
    await writer.whenSynced()
    const autos = async (board: CreatedBoard) =>
      (await json(api(server, board, '/versions'))).body.versions.filter(
        (v: { auto: boolean }) => v.auto,
      ).length
    for (let i = 0; i < 4; i++) {
      const shape = note(`auto-${i}`, `edit ${i}`)
      writer.board.records.set(shape.id, shape)
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    expect(await autos(busy)).toBe(2) // one per round with a change, pruned to 2
    expect(await autos(quiet)).toBe(0)
    await server.stop()
  })

  it('backs up the data directory while the server runs and restores it once stopped', async () => {
    const server = await start()
    const board = await createBoard(server)
    const writer = client(server, board.id)
    await writer.whenSynced()
    const kept = note('kept', 'in the backup')
    writer.board.records.set(kept.id, kept)
    const watcher = client(server, board.id)
    await waitFor(() => watcher.board.records.get(kept.id), { what: 'the note' })

    const backups = await makeDataDir()
    removeAfter(backups)
    const file = path.join(backups, 'retreat.sqlite')
    const run = (...args: string[]) =>
      spawnSync('pnpm', ['--silent', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: server.dataDir },
        encoding: 'utf8',
      })
    const backedUp = run('backup', file)
    expect(backedUp.stderr).toBe('')
    expect(backedUp.status).toBe(0)
    expect(backedUp.stdout).toMatch(/backed up 1 boards/)
    expect(existsSync(file)).toBe(true)

    const after = note('after', 'after the backup')
    writer.board.records.set(after.id, after)
    await waitFor(() => watcher.board.records.get(after.id), { what: 'the later note' })
    const refused = run('restore', file)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/in use: stop the server/)

    writer.provider.destroy()
    watcher.provider.destroy()
    await server.stop()
    const restored = run('restore', file)
    expect(restored.status).toBe(0)
    expect(restored.stdout).toMatch(/restored 1 boards .*previous database is kept/)

    const restarted = await start({ dataDir: server.dataDir })
    const fresh = client(restarted, board.id)
    await fresh.whenSynced()
    expect(fresh.board.records.get(kept.id)).toBeDefined()
    expect(fresh.board.records.get(after.id)).toBeUndefined()
    await restarted.stop()
  })
})
