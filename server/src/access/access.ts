/**
 * Roles, as a sync extension and an HTTP guard. A connection presents its link's secret as
 * `?token=` (and the person's device secret as `?participant=`); the role it resolves to is
 * checked against every write by `BoardRules` from `shared`. HTTP reads take the same secret as
 * `?token=` or `Authorization: Bearer`.
 */
import { timingSafeEqual } from 'node:crypto'
import {
  type BoardRole,
  BoardRules,
  isLinkToken,
  LINK_KINDS,
  type LinkKind,
  PARTICIPANT_SECRET_PATTERN,
  participantIdFor,
  ROLE_OF_LINK,
  type Writer,
} from '@common-ground/shared'
import type { Request } from 'express'
import type { ConnectionInfo, SyncHooks } from '../sync/hooks.ts'
import type { LinkStore } from './LinkStore.ts'

/** Close codes for refused links: in 4400-4499, so clients do not retry what cannot work. */
export const ACCESS_CLOSE = {
  missingToken: 4401,
  invalidToken: 4403,
} as const

export interface Access {
  role: BoardRole
  /** Which link granted it; null on an open board. */
  link: LinkKind | null
}

/** Which link (if any) a presented secret belongs to; compared in constant time. */
export async function resolveAccess(
  links: LinkStore,
  boardId: string,
  token: string | null | undefined,
): Promise<Access | 'missing' | 'invalid'> {
  const tokens = await links.get(boardId)
  if (!tokens) return { role: 'facilitator', link: null }
  if (!token) return 'missing'
  if (!isLinkToken(token)) return 'invalid'
  const presented = Buffer.from(token)
  for (const kind of LINK_KINDS) {
    const expected = Buffer.from(tokens[kind])
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
      return { role: ROLE_OF_LINK[kind], link: kind }
    }
  }
  return 'invalid'
}

/** The token of an HTTP request: `Authorization: Bearer …` or `?token=…`. */
export function requestToken(request: Request): string | null {
  const header = request.get('authorization')
  const bearer = header && /^Bearer\s+(\S+)$/i.exec(header)
  if (bearer?.[1]) return bearer[1]
  const query = request.query.token
  return typeof query === 'string' ? query : null
}

const WRITER = 'writer'
const LINK = 'link'

/** What a connection may write, as `onConnect` decided. */
export function writerOf(connection: ConnectionInfo): Writer {
  return (
    (connection.context[WRITER] as Writer | undefined) ?? { role: 'observer', participantId: null }
  )
}

export function linkOf(connection: ConnectionInfo): LinkKind | null {
  return (connection.context[LINK] as LinkKind | null | undefined) ?? null
}

export function accessHooks(links: LinkStore, rules: BoardRules = new BoardRules()): SyncHooks {
  return {
    async onConnect(connection) {
      const access = await resolveAccess(links, connection.boardId, connection.params.get('token'))
      if (access === 'missing') {
        return { code: ACCESS_CLOSE.missingToken, reason: 'this board needs a link with its key' }
      }
      if (access === 'invalid') {
        return {
          code: ACCESS_CLOSE.invalidToken,
          reason: 'this link is not valid (it may have been replaced)',
        }
      }
      const secret = connection.params.get('participant')
      const participantId =
        access.role !== 'observer' && secret && PARTICIPANT_SECRET_PATTERN.test(secret)
          ? participantIdFor(secret, connection.boardId)
          : null
      connection.context[WRITER] = { role: access.role, participantId } satisfies Writer
      connection.context[LINK] = access.link
      return undefined
    },
    welcome(connection) {
      const { role, participantId } = writerOf(connection)
      // A first reading of the server's clock; clients refine it over HTTP (latency ignored here).
      return { role, participantId, now: Date.now() }
    },
    reviewWrites({ connection, doc, writes }) {
      return rules.reviewUpdate(writes, writerOf(connection), doc) ?? undefined
    },
  }
}
