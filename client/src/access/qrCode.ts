/**
 * A QR code drawn here, from the link alone: no service is asked (the app makes no request
 * outside its own origin, and a venue may have no internet at all).
 */
import { correction, generate } from 'lean-qr'
import { toSvgPath } from 'lean-qr/extras/svg'

/** Light modules around the code, in modules: the 4 the QR standard asks for. */
export const QR_QUIET_ZONE = 4

export interface QrDrawing {
  /** Modules per side, without the quiet zone. */
  size: number
  /** The dark modules as one SVG path, one unit per module, (0, 0) top left. */
  path: string
  /** Modules per side with the quiet zone on both sides. */
  side: number
  /** `viewBox` that adds the quiet zone on every side. */
  viewBox: string
}

/**
 * The code of `text` at error correction M (a smudged or glared screen still scans), or null
 * when it cannot hold it.
 */
export function drawQr(text: string): QrDrawing | null {
  try {
    const code = generate(text, { minCorrectionLevel: correction.M })
    const side = code.size + 2 * QR_QUIET_ZONE
    return {
      size: code.size,
      path: toSvgPath(code),
      side,
      viewBox: `${-QR_QUIET_ZONE} ${-QR_QUIET_ZONE} ${side} ${side}`,
    }
  } catch {
    return null
  }
}
