/**
 * Applies a stored Yjs update (a board's snapshot, a log row) faster than `Y.applyUpdate`, to the
 * same document. Most of a big board's load went into lib0 decoding each string with a
 * `TextDecoder` call (a trip into C++ per string), and a board's records are objects of many
 * short strings whose keys repeat on every record. This decoder reads ASCII strings in
 * JavaScript and hands back one string for the same short bytes; every other string still goes
 * through a fatal UTF-8 `TextDecoder`, as in lib0, so the document and the errors are the same.
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/** lib0's decoder of non-ASCII strings: invalid UTF-8 throws. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Strings up to this many bytes are looked up before one is made (keys, types, colours). */
const SHARED_MAX_BYTES = 24
/** Slots of the table of recent short strings (a power of two); a collision only costs a miss. */
const SLOTS = 4096

/** Reads lib0's var-strings out of one update, sharing repeated short ASCII strings. */
class StringReader {
  readonly #bytes: Uint8Array
  #buffer: Buffer | null = null
  readonly #recent: (string | undefined)[] = new Array(SLOTS)

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  /** The string of `length` bytes at `start` (the decoder has moved past them). */
  read(start: number, length: number): string {
    const bytes = this.#bytes
    const end = start + length
    let hash = length
    for (let i = start; i < end; i++) {
      const byte = bytes[i] as number
      if (byte > 0x7f) return utf8.decode(bytes.subarray(start, end))
      hash = (Math.imul(hash, 31) + byte) | 0
    }
    if (length > SHARED_MAX_BYTES) return this.#ascii(start, end)
    const slot = hash & (SLOTS - 1)
    const known = this.#recent[slot]
    if (known !== undefined && known.length === length && sameAscii(known, bytes, start)) {
      return known
    }
    const made = this.#ascii(start, end)
    this.#recent[slot] = made
    return made
  }

  /** ASCII is Latin-1: one flat string, made natively. */
  #ascii(start: number, end: number): string {
    const bytes = this.#bytes
    this.#buffer ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    return this.#buffer.toString('latin1', start, end)
  }
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false
  return true
}

/** Yjs's V1 update decoder with lib0's string and "any" reading replaced (see above). */
class StoredUpdateDecoder extends Y.UpdateDecoderV1 {
  readonly #strings: StringReader

  constructor(decoder: decoding.Decoder) {
    super(decoder)
    this.#strings = new StringReader(decoder.arr)
  }

  override readString(): string {
    return this.#string()
  }

  override readKey(): string {
    return this.#string()
  }

  override readJSON(): unknown {
    return JSON.parse(this.#string())
  }

  override readAny(): unknown {
    return this.#any()
  }

  #string(): string {
    const decoder = this.restDecoder
    const length = decoding.readVarUint(decoder)
    const start = decoder.pos
    if (start + length > decoder.arr.length) throw new Error('Unexpected end of array')
    decoder.pos = start + length
    return this.#strings.read(start, length)
  }

  /** lib0's `readAny`, case by case (its type bytes count down from 127). */
  #any(): unknown {
    const decoder = this.restDecoder
    const type = decoding.readUint8(decoder)
    switch (type) {
      case 127:
        return undefined
      case 126:
        return null
      case 125:
        return decoding.readVarInt(decoder)
      case 124:
        return decoding.readFloat32(decoder)
      case 123:
        return decoding.readFloat64(decoder)
      case 122:
        return decoding.readBigInt64(decoder)
      case 121:
        return false
      case 120:
        return true
      case 119:
        return this.#string()
      case 118: {
        const length = decoding.readVarUint(decoder)
        const object: Record<string, unknown> = {}
        for (let i = 0; i < length; i++) {
          const key = this.#string()
          object[key] = this.#any()
        }
        return object
      }
      case 117: {
        const length = decoding.readVarUint(decoder)
        const array: unknown[] = []
        for (let i = 0; i < length; i++) array.push(this.#any())
        return array
      }
      case 116:
        return decoding.readVarUint8Array(decoder)
      default:
        throw new TypeError(`unknown value type ${type} in an update`)
    }
  }
}

/** `Y.applyUpdate(doc, update, origin)`, reading the update with `StoredUpdateDecoder`. */
export function applyStoredUpdate(doc: Y.Doc, update: Uint8Array, origin?: unknown): void {
  Y.applyUpdateV2(doc, update, origin, StoredUpdateDecoder)
}
