/**
 * Escaping user text for the exports. Markdown: every character that could start markup (a link,
 * an image, raw HTML, an entity, emphasis, code, a table cell) is backslash-escaped, and so is
 * whatever would start a block at the beginning of a line (heading, list, quote, setext line), so
 * a note's text reads as text and never as a link or a script. CSV: RFC 4180 quoting, and cells
 * that a spreadsheet would run as a formula are neutralised.
 */

/**
 * Characters escaped wherever they appear (CommonMark allows a backslash before any of them); an
 * `&` only where it could start an entity (`&lt;`, `&#60;`), so "Food & jobs" reads as written.
 */
const ALWAYS = /[\\`*_[\]<>|~#]|&(?=#?[A-Za-z0-9]+;)/g
/** What starts a block at the beginning of a line: list markers, quotes, setext underlines, `1.`. */
const LINE_START = /^([+\-=>]|\d+(?=[.)]))/

/** Lines of a text: CRLF and lone CR count as line breaks. */
export function linesOf(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n')
}

/** One line of user text as Markdown text. Leading spaces go (four would start a code block). */
export function escapeMarkdownLine(line: string): string {
  const escaped = line.trimStart().replace(ALWAYS, (char) => `\\${char}`)
  return escaped.replace(LINE_START, (start) => (/^\d/.test(start) ? `${start}\\` : `\\${start}`))
}

/** User text inside a line (a heading, a list item, a table cell): line breaks become `<br>`. */
export function markdownInline(text: string): string {
  return linesOf(text.trim()).map(escapeMarkdownLine).join('<br>')
}

/** User text as a paragraph: each line kept, with a hard line break (`\` at the end). */
export function markdownBlock(text: string): string {
  return linesOf(text.trim()).map(escapeMarkdownLine).join('\\\n')
}

/** What a spreadsheet takes as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/** One CSV field: formula starts neutralised with a leading `'`, quoted when it must be. */
export function csvField(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: readonly (string | number)[]): string {
  return values.map(csvField).join(',')
}
