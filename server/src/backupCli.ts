/**
 * `pnpm backup [file]` and `pnpm restore <file>` (from the repository root; DATA_DIR as for the
 * server). Without a file name, a backup goes to `./backups/common-ground-<time>.sqlite`. For the
 * SQLite store only: with DATABASE_URL set they say to use pg_dump instead.
 */
import path from 'node:path'
import { BackupError, backup, backupFileName, restore } from './backup.ts'
import { ConfigError, loadConfig } from './config.ts'

const [command, file] = process.argv.slice(2)
try {
  const { dataDir, databaseUrl } = loadConfig()
  if (databaseUrl) {
    // These commands copy the SQLite file; PostgreSQL has its own tools for a live database.
    throw new BackupError(
      'DATABASE_URL is set: the boards are in PostgreSQL. Back it up with pg_dump ' +
        '(e.g. pg_dump --format=custom "$DATABASE_URL" > boards.dump) and restore with pg_restore',
    )
  }
  if (command === 'backup') {
    const target = path.resolve(file ?? path.join('backups', backupFileName()))
    const done = backup(dataDir, target)
    process.stdout.write(`backed up ${done.boards} boards from ${dataDir} to ${done.file}\n`)
  } else if (command === 'restore' && file) {
    const done = restore(dataDir, path.resolve(file))
    process.stdout.write(
      `restored ${done.boards} boards into ${dataDir}` +
        (done.replaced ? `; the previous database is kept as ${done.replaced}\n` : '\n'),
    )
  } else {
    process.stderr.write('usage: pnpm backup [file] | pnpm restore <file>\n')
    process.exit(2)
  }
} catch (error) {
  if (!(error instanceof BackupError || error instanceof ConfigError)) throw error
  process.stderr.write(`common-ground ${command}: ${error.message}\n`)
  process.exit(1)
}
