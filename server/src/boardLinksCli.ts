/**
 * `pnpm board-links <board id> [address]` (from the repository root; DATA_DIR or DATABASE_URL as
 * for the server):
 * gives a board without links (made before links existed, or by connecting to a new id when the
 * server still allowed it) its three links and its calendar link and prints them, so an operator
 * can hand them out. Until then such a board opens read-only for anyone with its address. A board
 * that has links keeps them; they are printed again (with a calendar link, made now if it had
 * none). Safe while the server runs: the next connection uses them.
 *
 * `address` is what people type to reach the server (`http://192.168.1.20:8787`); by default the
 * server's HOST and PORT.
 */
import { hostname } from 'node:os'
import { isBoardId, newLinkToken } from '@common-ground/shared/board'
import { newLinkTokens } from './access/LinkStore.ts'
import { loadConfig } from './config.ts'
import { calendarLink } from './shareLinks.ts'
import { openBoardStore } from './store/openBoardStore.ts'

class UsageError extends Error {}

const USAGE = 'usage: pnpm board-links <board id> [address, e.g. http://192.168.1.20:8787]\n'

async function main(args: readonly string[]): Promise<string> {
  const [boardId, address, ...rest] = args
  if (!boardId || rest.length > 0) throw new UsageError(USAGE)
  if (!isBoardId(boardId)) throw new UsageError(`not a board id: ${boardId}\n${USAGE}`)
  const config = loadConfig()
  const base = baseUrl(address, config.host, config.port)
  const { store, location } = await openBoardStore(config)
  try {
    const board = await store.getBoard(boardId)
    if (!board) throw new Error(`no board ${boardId} in ${location}`)
    const created = await store.addLinks(boardId, newLinkTokens())
    const tokens = await store.getLinks(boardId)
    if (!tokens) throw new Error(`board ${boardId} has an incomplete set of links; nothing done`)
    const calendar = tokens.calendar ?? (await store.ensureCalendarKey(boardId, newLinkToken()))
    const page = `${base}/b/${boardId}`
    return (
      `board ${boardId} "${board.title}": ${created ? 'links created' : 'already had links'}\n` +
      `facilitate  ${page}#key=${tokens.facilitate}\n` +
      `edit        ${page}#key=${tokens.edit}\n` +
      `view        ${page}#key=${tokens.view}\n` +
      (calendar ? `calendar    ${calendarLink(base, boardId, calendar)}\n` : '')
    )
  } finally {
    await store.close()
  }
}

/** `http(s)://host[:port]` without a trailing slash. */
function baseUrl(address: string | undefined, host: string, port: number): string {
  if (address) {
    let url: URL
    try {
      url = new URL(address)
    } catch {
      throw new UsageError(`not an address: ${address}\n${USAGE}`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`the address must start with http:// or https://\n${USAGE}`)
    }
    return url.origin
  }
  // A server listening on every interface: this machine's name is the best guess.
  const shown = host === '0.0.0.0' || host === '::' ? hostname() : host
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
}

try {
  process.stdout.write(await main(process.argv.slice(2)))
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(error.message)
    process.exit(2)
  }
  // A bad DATA_DIR or variable (ConfigError), a damaged file (DamagedStoreError), an unknown
  // board: one line naming it.
  if (!(error instanceof Error)) throw error
  process.stderr.write(`common-ground board-links: ${error.message}\n`)
  process.exit(1)
}
