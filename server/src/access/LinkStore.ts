/**
 * The secret of each of a board's links (facilitate, edit, view, and the calendar feed's, which
 * gives no role: the access rules below never read it). They live in the board store,
 * beside the board and never in its document (a document goes to every client, these never do):
 * `BoardStore.createBoard` writes a board, its first update and its links in one transaction,
 * so no crash can leave a board without them; `getLinks`, `addLinks` and `rotateLink` read and
 * change them. The access rules only read them, through the small interface below.
 *
 * A board with no links was made before links existed, or by connecting to a new id when the
 * server still allowed that. It opens read-only (observer) for anyone with its address until an
 * operator gives it links with `pnpm board-links <id>` (see boardLinksCli.ts).
 */
import { type LinkKind, newLinkToken } from '@common-ground/shared/board'
import type { BoardLinkTokens, BoardStore } from '../store/BoardStore.ts'

export type { BoardLinkTokens } from '../store/BoardStore.ts'

/** What the access rules need: a board's link keys (any `BoardStore` is one). */
export type LinkStore = Pick<BoardStore, 'getLinks'>

/** Fresh keys for every link of a board, the calendar's too (192 random bits each). */
export function newLinkTokens(): Required<BoardLinkTokens> {
  return {
    facilitate: newLinkToken(),
    edit: newLinkToken(),
    view: newLinkToken(),
    calendar: newLinkToken(),
  }
}

/**
 * Links without a board store, for unit tests of the access rules and benchmarks that keep
 * their board elsewhere.
 */
export class MemoryLinkStore implements LinkStore {
  #links = new Map<string, BoardLinkTokens>()

  /** Makes (or remakes) all three links of a board. */
  async create(boardId: string): Promise<BoardLinkTokens> {
    const tokens = newLinkTokens()
    this.#links.set(boardId, tokens)
    return { ...tokens }
  }

  async getLinks(boardId: string): Promise<BoardLinkTokens | null> {
    const tokens = this.#links.get(boardId)
    return tokens ? { ...tokens } : null
  }

  /** Replaces one link's secret; the old one stops working. */
  async rotate(boardId: string, kind: LinkKind): Promise<string> {
    const tokens = this.#links.get(boardId)
    const token = newLinkToken()
    if (tokens) tokens[kind] = token
    return token
  }
}
