/** A board id: URL-safe, long enough to be unguessable when generated, short enough to share. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/

export function isBoardId(value: unknown): value is string {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value)
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/** 16 characters from a 64-letter alphabet: 96 random bits. */
export function newBoardId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte & 63]
  return id
}
