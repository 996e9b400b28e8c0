/**
 * iCalendar (RFC 5545) text, written by hand: a calendar of all-day events. It knows nothing of
 * plans; `calendar.ts` turns a plan's steps into `CalendarEvent`s (and check-ins will add theirs
 * beside them), this file writes any list of them.
 *
 * What the RFC asks of the text, and where it is done here:
 * - lines end with CRLF (3.1), and a content line longer than 75 octets is folded: CRLF and one
 *   space, the space counting in the next line's 75 (`foldLine`). Folds fall between code points,
 *   never inside a UTF-8 sequence, so any unfolding gives the text back byte for byte;
 * - TEXT values escape `\`, `;` and `,` with a backslash and write a line break as `\n`
 *   (3.3.11); control characters other than tab, which TEXT may not hold, are dropped
 *   (`escapeText`);
 * - all-day events are `DTSTART;VALUE=DATE` and an exclusive `DTEND;VALUE=DATE` of the next
 *   day (3.6.1: a one-day event), and every event has a `UID` and a UTC `DTSTAMP` (3.6.1).
 */

/** One all-day event. */
export interface CalendarEvent {
  /**
   * Unique and stable: the same thing keeps the same UID every time the calendar is made, so a
   * calendar app that fetches it again updates the event instead of adding a copy.
   */
  uid: string
  /** The day, `yyyy-mm-dd` (a real date). */
  date: string
  summary: string
  description?: string
  /** A page about the event (`URL`, 3.8.4.6): the board, never with a key in it. */
  url?: string
}

export interface CalendarDocument {
  /** What calendar apps call it (`X-WR-CALNAME`, and RFC 7986's `NAME`). */
  name: string
  events: readonly CalendarEvent[]
  /** When the calendar was made (each event's `DTSTAMP`), in milliseconds since the epoch. */
  now: number
  /** How often a subscribed app should fetch it again (RFC 7986 `REFRESH-INTERVAL`), minutes. */
  refreshMinutes?: number
}

/** `PRODID` (3.7.3): who made the calendar. */
export const CALENDAR_PRODUCT_ID = '-//Common Ground//Action plan//EN'

/** The longest content line, in octets, before it is folded (3.1). */
export const MAX_LINE_OCTETS = 75

const CRLF = '\r\n'

/** The whole calendar: `BEGIN:VCALENDAR` … `END:VCALENDAR`, every line ended with CRLF. */
export function writeCalendar(calendar: CalendarDocument): string {
  const stamp = icsUtcDateTime(calendar.now)
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${CALENDAR_PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `NAME:${escapeText(calendar.name)}`,
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ]
  if (calendar.refreshMinutes !== undefined) {
    const minutes = Math.max(1, Math.round(calendar.refreshMinutes))
    lines.push(`REFRESH-INTERVAL;VALUE=DURATION:PT${minutes}M`, `X-PUBLISHED-TTL:PT${minutes}M`)
  }
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(event.date)}`,
    )
    // Without DTEND a DATE event lasts one day too (3.6.1): only 9999-12-31 has no next day.
    const end = nextDay(event.date)
    if (end) lines.push(`DTEND;VALUE=DATE:${icsDate(end)}`)
    lines.push(`SUMMARY:${escapeText(event.summary)}`)
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`)
    if (event.url) lines.push(`URL:${uriValue(event.url)}`)
    // A due date is not time taken: the day stays free in free/busy searches.
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map((line) => `${foldLine(line)}${CRLF}`).join('')
}

/**
 * A TEXT value (3.3.11): backslash, semicolon and comma escaped, every line break (CRLF, CR,
 * LF, and the Unicode line and paragraph separators) as `\n`, control characters but tab dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n|[\r\n\u2028\u2029]/g, '\n')
      // TEXT may hold HTAB but no other control character (3.3.11, 3.1 CONTROL); C1 controls
      // go too, as nobody means them.
      .replace(/[^\P{Cc}\t\n]/gu, '')
      .replace(/[\\;,\n]/g, (character) => (character === '\n' ? '\\n' : `\\${character}`))
  )
}

/** A URI value (3.3.13): not escaped, but no control character or space may break the line. */
function uriValue(value: string): string {
  return value.replace(/[\p{Cc} ]/gu, (character) => encodeURIComponent(character))
}

/**
 * One content line folded (3.1): at most 75 octets of UTF-8 per line, each continuation
 * starting with one space (counted in its 75), broken only between code points.
 */
export function foldLine(line: string): string {
  if (line.length <= MAX_LINE_OCTETS / 4 || utf8Length(line) <= MAX_LINE_OCTETS) return line
  const parts: string[] = []
  let start = 0
  let octets = 0
  // The first line has 75 octets of content; each later one has a space and 74.
  let room = MAX_LINE_OCTETS
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i) ?? 0
    const units = code > 0xffff ? 2 : 1
    const size = octetsOf(code)
    if (octets + size > room) {
      parts.push(line.slice(start, i))
      start = i
      octets = 0
      room = MAX_LINE_OCTETS - 1
    }
    octets += size
    i += units
  }
  parts.push(line.slice(start))
  return parts.join(`${CRLF} `)
}

/** Octets of a string in UTF-8 (a lone surrogate counts as U+FFFD would: 3). */
export function utf8Length(text: string): number {
  let octets = 0
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) ?? 0
    octets += octetsOf(code)
    i += code > 0xffff ? 2 : 1
  }
  return octets
}

/** Octets of one code point in UTF-8. */
function octetsOf(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
}

/** `yyyy-mm-dd` → a DATE value, `yyyymmdd` (3.3.4). */
export function icsDate(isoDate: string): string {
  return isoDate.replaceAll('-', '')
}

/** Milliseconds → a UTC DATE-TIME value, `yyyymmddThhmmssZ` (3.3.5, form 2). */
export function icsUtcDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`
}

/** The day after a `yyyy-mm-dd` date, as `yyyy-mm-dd`; null after 9999-12-31. */
export function nextDay(isoDate: string): string | null {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number]
  const next = new Date(Date.UTC(year, month - 1, day + 1))
  return next.getUTCFullYear() > 9999 ? null : next.toISOString().slice(0, 10)
}
