/**
 * Creating boards over the public HTTP API, as a facilitator's browser does; and one written as
 * servers did before links existed.
 */
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { newParticipantSecret, participantIdFor, personIdFor } from '@common-ground/shared/board'
import { seedBoard } from '@common-ground/shared/plan'
import * as Y from 'yjs'
import type { RunningServer } from './server.ts'

export type LinkKind = 'facilitate' | 'edit' | 'view'
/** The three links' keys, and the calendar link's (which opens only the calendar feed). */
export type LinkTokens = Record<LinkKind, string> & { calendar?: string }

export interface CreatedBoard {
  id: string
  /** The board's facilitate link (its key in the fragment), to open in a browser. */
  url: string
  /** The three links, by kind, and the calendar feed's address with its key. */
  links: Record<LinkKind, string> & { calendar?: string }
  tokens: LinkTokens
}

/**
 * The tokens of every board the tests created, so clients and requests can present a link
 * without each test passing it along; tests about roles pass theirs explicitly.
 */
const createdTokens = new Map<string, LinkTokens>()

export function tokensOf(boardId: string): LinkTokens | undefined {
  return createdTokens.get(boardId)
}

export async function createBoard(
  server: RunningServer,
  body: { title?: string; template?: 'blank' | 'retreat'; locale?: string } = {},
): Promise<CreatedBoard> {
  const response = await fetch(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (response.status !== 201) throw new Error(`creating a board answered ${response.status}`)
  const created = (await response.json()) as Omit<CreatedBoard, 'url'>
  createdTokens.set(created.id, created.tokens)
  return { ...created, url: created.links.facilitate }
}

/** `path` (e.g. `/api/boards/<id>/plan.json`) with the board's facilitate key as `?token=`. */
export function withToken(url: string, boardId: string, kind: LinkKind = 'facilitate'): string {
  const token = createdTokens.get(boardId)?.[kind]
  if (!token) return url
  return `${url}${url.includes('?') ? '&' : '?'}token=${token}`
}

/**
 * A person on a created board: the connection params a browser would send (its link's key and
 * its device secret), the participant id the server keeps its ballots under and the person id
 * everyone sees it by (presence, done marks).
 */
export function participantOf(
  boardId: string,
  kind: LinkKind = 'edit',
): { params: Record<string, string>; participantId: string; personId: string } {
  const token = createdTokens.get(boardId)?.[kind]
  if (!token) throw new Error(`no ${kind} link known for board ${boardId}`)
  const secret = newParticipantSecret()
  return {
    params: { token, participant: secret },
    participantId: participantIdFor(secret, boardId),
    personId: personIdFor(secret, boardId),
  }
}

/**
 * Writes a board as servers did before links existed (a board row and its seed, no links)
 * straight into a server's SQLite file, in one transaction.
 */
export function insertBoardWithoutLinks(dataDir: string, boardId: string, title: string): void {
  const seed = new Y.Doc()
  seedBoard(seed, { title, createdAt: Date.now(), template: 'blank' })
  const db = new DatabaseSync(path.join(dataDir, 'common-ground.sqlite'), { timeout: 5000 })
  try {
    db.exec('BEGIN IMMEDIATE')
    db.prepare('INSERT INTO boards (id, title, template, created_at) VALUES (?, ?, ?, ?)').run(
      boardId,
      title,
      'blank',
      Date.now(),
    )
    db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(
      boardId,
      Y.encodeStateAsUpdate(seed),
    )
    db.exec('COMMIT')
  } finally {
    db.close()
    seed.destroy()
  }
}
