import { useMemo } from 'react'
import { drawQr, QR_QUIET_ZONE } from './qrCode.ts'

/**
 * `text` as an inline SVG QR code: black on white whatever the theme (phone cameras read dark on
 * light), with its quiet zone, named for screen readers by `label`.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const drawing = useMemo(() => drawQr(text), [text])
  if (!drawing) return null
  return (
    <svg
      className="cg-qr"
      role="img"
      aria-label={label}
      viewBox={drawing.viewBox}
      shapeRendering="crispEdges"
      data-testid="share-qr"
    >
      <rect
        x={-QR_QUIET_ZONE}
        y={-QR_QUIET_ZONE}
        width={drawing.side}
        height={drawing.side}
        fill="#ffffff"
      />
      <path d={drawing.path} fill="#000000" />
    </svg>
  )
}
