/**
 * Backing up and restoring the data directory's database (`pnpm backup`, `pnpm restore`).
 *
 * A backup is safe while the server runs: `VACUUM INTO` reads one consistent snapshot through a
 * connection of its own (WAL lets it read beside the writer) and writes a compact copy. A restore
 * replaces the database and is refused while a server has it open (checked with an exclusive
 * lock, which a running server's connection prevents); the replaced file is kept beside it.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { DATABASE_FILE } from './store/SqliteBoardStore.ts'

export class BackupError extends Error {
  override name = 'BackupError'
}

/** `common-ground-2026-11-24T15-04-05-123Z.sqlite` */
export function backupFileName(now = new Date()): string {
  return `common-ground-${now.toISOString().replace(/[:.]/g, '-')}.sqlite`
}

/** Copies the live database of `dataDir` into `target` (which must not exist yet). */
export function backup(dataDir: string, target: string): { file: string; boards: number } {
  const source = path.join(dataDir, DATABASE_FILE)
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`)
  if (existsSync(target)) throw new BackupError(`${target} exists already; choose another name`)
  mkdirSync(path.dirname(target), { recursive: true })
  const db = new DatabaseSync(source, { timeout: 5000 })
  try {
    db.prepare('VACUUM INTO ?').run(target)
  } finally {
    db.close()
  }
  return { file: target, boards: check(target) }
}

/**
 * Replaces the database of `dataDir` with the backup `file`. The server must be stopped. The
 * database it replaces is renamed to `<name>.replaced-<time>`, never deleted.
 */
export function restore(
  dataDir: string,
  file: string,
): { replaced: string | null; boards: number } {
  if (!existsSync(file)) throw new BackupError(`no backup at ${file}`)
  const boards = check(file)
  const live = path.join(dataDir, DATABASE_FILE)
  let replaced: string | null = null
  if (existsSync(live)) {
    assertNotInUse(live)
    replaced = `${live}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(live, replaced)
    // Closing the last connection (ours, above) checkpointed the WAL into the file.
    for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true })
  }
  mkdirSync(dataDir, { recursive: true })
  const staged = `${live}.restoring`
  rmSync(staged, { force: true })
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    db.prepare('VACUUM INTO ?').run(staged)
  } finally {
    db.close()
  }
  renameSync(staged, live)
  return { replaced, boards }
}

/** A readable Common Ground database: resolves its board count, throws if damaged. */
function check(file: string): number {
  let db: DatabaseSync
  try {
    db = new DatabaseSync(file, { readOnly: true })
  } catch (error) {
    throw new BackupError(`${file} cannot be opened: ${(error as Error).message}`)
  }
  try {
    const result = db.prepare('PRAGMA quick_check').all()
    const problems = result.map((row) => String(Object.values(row)[0]))
    if (problems.join() !== 'ok')
      throw new BackupError(`${file} is damaged: ${problems.join('; ')}`)
    const row = db.prepare('SELECT count(*) AS boards FROM boards').get()
    return Number(row?.boards)
  } catch (error) {
    if (error instanceof BackupError) throw error
    throw new BackupError(`${file} is not a Common Ground database: ${(error as Error).message}`)
  } finally {
    db.close()
  }
}

/** Throws when another connection (a running server) has the database open. */
function assertNotInUse(file: string): void {
  const db = new DatabaseSync(file, { timeout: 0 })
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
  } catch {
    throw new BackupError(
      `${file} is in use: stop the server before restoring (a backup can be taken while it runs)`,
    )
  } finally {
    db.close()
  }
}
