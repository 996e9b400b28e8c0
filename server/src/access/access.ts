/**
 * Roles, as a sync extension and an HTTP guard. A connection presents its link's secret as
 * `?token=` (and the person's device secret as `?participant=`); the role it resolves to is
 * checked against every write by `BoardRules` from `shared`. HTTP reads take the same secret as
 * `?token=` or `Authorization: Bearer`.
 */
import { timingSafeEqual } from 'node:crypto'
import {
  BOARD_ROLES,
  type BoardRole,
  BoardRules,
  CALENDAR_LINK,
  CLOSE,
  canEdit,
  isLinkToken,
  LINK_KINDS,
  type LinkKind,
  PARTICIPANT_SECRET_PATTERN,
  participantIdFor,
  personIdFor,
  ROLE_OF_LINK,
  type ShareLinkKind,
  type Writer,
} from '@common-ground/shared/board'
import type { Request } from 'express'
import { DEVICE } from '../sync/ClientOwners.ts'
import type { ConnectionInfo, SyncHooks } from '../sync/hooks.ts'
import type { BoardLinkTokens, LinkStore } from './LinkStore.ts'

export interface Access {
  role: BoardRole
  /** Which link granted it; null on a board without links (made before links existed). */
  link: LinkKind | null
}

/**
 * What anyone gets on a board without links: it opens read-only until an operator gives it
 * links (`pnpm board-links <id>`). Such boards once let anyone facilitate; whoever knew the
 * address could then close it, restore versions or wipe it.
 */
export const LINKLESS_ACCESS: Access = { role: 'observer', link: null }

/**
 * Which link (if any) a presented secret belongs to; compared in constant time. Only the three
 * role links count: the calendar key gives no role, so here it is as wrong as any other string.
 */
export async function resolveAccess(
  links: LinkStore,
  boardId: string,
  token: string | null | undefined,
): Promise<Access | 'missing' | 'invalid'> {
  const tokens = await links.getLinks(boardId)
  if (!tokens) return { ...LINKLESS_ACCESS }
  if (!token) return 'missing'
  const kind = linkOfToken(tokens, token, LINK_KINDS)
  return kind ? { role: ROLE_OF_LINK[kind], link: kind } : 'invalid'
}

/**
 * Who may read the calendar feed (`calendar.ics`), the one thing the calendar key opens: any of
 * the board's keys, the calendar's and each role's. `open` on a board without links, which
 * anyone with its address may read (as an observer reads everything else of it).
 */
export async function resolveCalendarAccess(
  links: LinkStore,
  boardId: string,
  token: string | null | undefined,
): Promise<ShareLinkKind | 'open' | 'missing' | 'invalid'> {
  const tokens = await links.getLinks(boardId)
  if (!tokens) return 'open'
  if (!token) return 'missing'
  return linkOfToken(tokens, token, [...LINK_KINDS, CALENDAR_LINK]) ?? 'invalid'
}

/** The link among `kinds` whose key `token` is, compared in constant time; null for none. */
function linkOfToken<K extends ShareLinkKind>(
  tokens: BoardLinkTokens,
  token: string,
  kinds: readonly K[],
): K | null {
  if (!isLinkToken(token)) return null
  const presented = Buffer.from(token)
  for (const kind of kinds) {
    const key = tokens[kind]
    if (!key) continue
    const expected = Buffer.from(key)
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) return kind
  }
  return null
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
    (connection.context[WRITER] as Writer | undefined) ?? {
      role: 'observer',
      participantId: null,
      personId: null,
    }
  )
}

export function linkOf(connection: ConnectionInfo): LinkKind | null {
  return (connection.context[LINK] as LinkKind | null | undefined) ?? null
}

/**
 * Who a connection is, as `onConnect` decided: its role and ids, its link and its device. Cluster
 * mode sends this to the process that owns the board, which judges the connection's messages
 * as if it were its own (see cluster/ForwardedConnections.ts).
 */
export interface ConnectionIdentity {
  writer: Writer
  link: LinkKind | null
  device: string | null
}

export function identityOf(connection: ConnectionInfo): ConnectionIdentity {
  const device = connection.context[DEVICE]
  return {
    writer: writerOf(connection),
    link: linkOf(connection),
    device: typeof device === 'string' ? device : null,
  }
}

/**
 * Gives a connection the identity another process checked (`identityOf` there). It comes from our
 * own processes, but is read as strictly as anything else: false (and nothing set) when it is
 * not of that shape.
 */
export function adoptIdentity(connection: ConnectionInfo, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const { writer, link, device } = value as Record<string, unknown>
  if (typeof writer !== 'object' || writer === null) return false
  const { role, participantId, personId } = writer as Record<string, unknown>
  const id = (v: unknown) => v === null || (typeof v === 'string' && /^[\w-]{1,64}$/.test(v))
  if (!BOARD_ROLES.includes(role as BoardRole) || !id(participantId) || !id(personId ?? null)) {
    return false
  }
  if (link !== null && !LINK_KINDS.includes(link as LinkKind)) return false
  if (device !== null && !(typeof device === 'string' && /^[\w-]{1,64}$/.test(device))) {
    return false
  }
  connection.context[WRITER] = {
    role: role as BoardRole,
    participantId: participantId as string | null,
    personId: (personId ?? null) as string | null,
  } satisfies Writer
  connection.context[LINK] = link
  if (device !== null) connection.context[DEVICE] = device
  return true
}

export function accessHooks(links: LinkStore, rules: BoardRules = new BoardRules()): SyncHooks {
  return {
    async onConnect(connection) {
      const access = await resolveAccess(links, connection.boardId, connection.params.get('token'))
      if (access === 'missing') {
        return { code: CLOSE.linkRequired, reason: 'this board needs a link with its key' }
      }
      if (access === 'invalid') {
        return {
          code: CLOSE.linkRefused,
          reason: 'this link is not valid (it may have been replaced)',
        }
      }
      const secret = connection.params.get('participant')
      const valid = secret && PARTICIPANT_SECRET_PATTERN.test(secret) ? secret : null
      const device = valid && participantIdFor(valid, connection.boardId)
      // The device owns the Yjs client ids it uses (ClientOwners), whatever its role.
      if (device) connection.context[DEVICE] = device
      // Two ids (shared access.ts): ballots are kept under the participant id, which never
      // leaves the server but to this person; everyone sees the person id, observers' too
      // (they are listed among the people like anyone).
      const participantId = access.role !== 'observer' ? device : null
      const personId = valid && personIdFor(valid, connection.boardId)
      connection.context[WRITER] = { role: access.role, participantId, personId } satisfies Writer
      connection.context[LINK] = access.link
      return undefined
    },
    welcome(connection) {
      const { role, participantId, personId = null } = writerOf(connection)
      // A first reading of the server's clock; clients refine it over HTTP (latency ignored here).
      return { role, participantId, personId, now: Date.now() }
    },
    presenceIdentity(connection) {
      const writer = connection.context[WRITER] as Writer | undefined
      if (!writer) return undefined
      return { role: writer.role, personId: writer.personId }
    },
    voter(connection) {
      const writer = writerOf(connection)
      return writer.participantId ? writer : undefined
    },
    mayChange(connection) {
      return canEdit(writerOf(connection).role)
        ? undefined
        : { code: 'read-only', message: 'this link can only view the board' }
    },
    reviewWrites({ connection, doc, writes }) {
      return rules.reviewUpdate(writes, writerOf(connection), doc) ?? undefined
    },
  }
}
