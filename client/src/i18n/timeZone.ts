/**
 * This device's time zone (an IANA name): "today", overdue and due soon, and the day an update
 * was posted, are on the reader's calendar. UTC when the browser does not say.
 */
export function readerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}
