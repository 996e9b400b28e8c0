/**
 * Stage 3, "Issues we could take on": every sticky note inside the Issues stage frame is an
 * issue candidate. Notes the group puts in one tldraw group form a cluster.
 */
import { T } from '@tldraw/validate'

export interface IssueCandidate {
  /** The note's shape id. */
  id: string
  /** The note's text, without formatting. */
  text: string
  /** The note's colour (tldraw's colour name). */
  color: string
  /** The tldraw group the note sits in, or `null`. */
  cluster: string | null
}

export const issueCandidateValidator: T.Validator<IssueCandidate> = T.object({
  id: T.string,
  text: T.string,
  color: T.string,
  cluster: T.nullable(T.string),
})

interface RichTextNode {
  type?: unknown
  text?: unknown
  content?: unknown
}

const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock'])

/**
 * The plain text of a tldraw rich-text value (TipTap JSON): text nodes joined, one line per
 * block, `hardBreak` as a line break. Anything unexpected is skipped, never thrown.
 */
export function plainTextOf(richText: unknown): string {
  const lines: string[] = []
  let line = ''
  const walk = (node: unknown, depth: number) => {
    if (depth > 32 || typeof node !== 'object' || node === null) return
    const { type, text, content } = node as RichTextNode
    if (type === 'text' && typeof text === 'string') line += text
    else if (type === 'hardBreak') line += '\n'
    if (Array.isArray(content)) for (const child of content) walk(child, depth + 1)
    if (typeof type === 'string' && BLOCKS.has(type)) {
      lines.push(line)
      line = ''
    }
  }
  walk(richText, 0)
  if (line) lines.push(line)
  return lines.join('\n').trim()
}
