import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_CLIENT_DIST, loadConfig } from './config.ts'

describe('config', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}, '/srv/cg')).toEqual({
      host: '127.0.0.1',
      port: 8787,
      dataDir: '/srv/cg/data',
      databaseUrl: null,
      redisUrl: null,
      clusterPrefix: 'cg:',
      maxFrameBytes: 1_048_576,
      roomGraceMs: 30_000,
      compactAfterUpdates: 500,
      pingIntervalMs: 30_000,
      maxSendBufferBytes: 33_554_432,
      maxConnectionsPerBoard: 500,
      maxConnectionsPerIp: 200,
      maxUpdatesPerSecond: 300,
      maxLoadedBoards: 1000,
      maxBoardBytes: 67_108_864,
      maxDatabaseBytes: 0,
      maxBoardsPerHourPerIp: 60,
      maxBoards: 0,
      snapshotIntervalMs: 600_000,
      snapshotsKept: 48,
      logLevel: 'info',
      clientDist: DEFAULT_CLIENT_DIST,
    })
    expect(DEFAULT_CLIENT_DIST).toBe(path.resolve(import.meta.dirname, '../../client/dist'))
  })

  it('reads the environment, treating empty values as unset', () => {
    const config = loadConfig(
      {
        HOST: '0.0.0.0',
        PORT: '0',
        DATA_DIR: 'boards',
        ROOM_GRACE_MS: '0',
        LOG_LEVEL: 'debug',
        MAX_FRAME_BYTES: '',
      },
      '/srv/cg',
    )
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      dataDir: '/srv/cg/boards',
      roomGraceMs: 0,
      logLevel: 'debug',
      maxFrameBytes: 1_048_576,
    })
  })

  it.each([
    ['PORT', '80a'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['MAX_FRAME_BYTES', '1.5'],
    ['COMPACT_AFTER_UPDATES', '0'],
    ['MAX_UPDATES_PER_SECOND', '0'],
    ['MAX_BOARD_BYTES', '100'],
    ['MAX_SEND_BUFFER_BYTES', '1000'],
    ['MAX_BOARDS_PER_HOUR_PER_IP', '-5'],
    ['MAX_BOARDS', '1e3'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://root@127.0.0.1/boards'],
    ['DATABASE_URL', '127.0.0.1:5432'],
    ['CLUSTER_PREFIX', 'no spaces'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`))
  })

  it('stores boards in PostgreSQL when DATABASE_URL is set, without echoing it', () => {
    const url = 'postgresql://cg:secret@db.example:5432/boards'
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url)
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/cg' }).databaseUrl).toBe(
      'postgres://127.0.0.1/cg',
    )
    expect(() => loadConfig({ DATABASE_URL: 'mysql://cg:secret@db/boards' })).toThrow(
      /^DATABASE_URL must be a postgresql:\/\/user@host:port\/database URL$/,
    )
    // MAX_DATABASE_BYTES caps the SQLite file; with PostgreSQL it would silently do nothing.
    expect(() => loadConfig({ DATABASE_URL: url, MAX_DATABASE_BYTES: '1000000' })).toThrow(
      /^MAX_DATABASE_BYTES applies to the SQLite store only/,
    )
  })

  it('runs in cluster mode with REDIS_URL and DATABASE_URL, never with Redis alone', () => {
    const database = 'postgresql://cg@db.example:5432/boards'
    const config = loadConfig({ DATABASE_URL: database, REDIS_URL: 'redis://bus.example:6379' })
    expect(config).toMatchObject({ redisUrl: 'redis://bus.example:6379', clusterPrefix: 'cg:' })
    expect(() => loadConfig({ REDIS_URL: 'redis://bus.example:6379' })).toThrow(
      /^REDIS_URL needs DATABASE_URL/,
    )
    expect(() => loadConfig({ DATABASE_URL: database, REDIS_URL: 'http://bus:6379' })).toThrow(
      /^REDIS_URL must be a redis:\/\/host:port URL$/,
    )
  })
})
