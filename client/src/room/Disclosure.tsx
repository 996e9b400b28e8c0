/**
 * A button that shows and hides a small panel below it (the disclosure pattern: no menu roles,
 * so Tab moves through the panel like any other content). Escape or a click elsewhere closes it,
 * and focus returns to the button.
 */
import { type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'

export function Disclosure(props: {
  /** What the button shows. */
  label: ReactNode
  /** The button's accessible name, when its visible label says less. */
  ariaLabel?: string
  className?: string
  buttonClassName?: string
  testId?: string
  children: (close: () => void) => ReactNode
}) {
  const [open, setOpen] = useState(false)
  const id = useId()
  const button = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown, true)
    return () => document.removeEventListener('pointerdown', onPointerDown, true)
  }, [open])

  // The panel opens under its button; near the screen's edge it moves in to stay whole.
  useLayoutEffect(() => {
    const element = panel.current
    if (!open || !element) return
    element.style.translate = ''
    const box = element.getBoundingClientRect()
    const margin = 8
    const over = box.right - (document.documentElement.clientWidth - margin)
    if (over > 0) element.style.translate = `${-Math.min(over, box.left - margin)}px 0`
    else if (box.left < margin) element.style.translate = `${margin - box.left}px 0`
  }, [open])

  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      // Not tldraw's Escape (it would clear the selection or leave a tool).
      event.stopPropagation()
      close()
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the panel from anywhere inside
    <div className={`cg-room-item ${props.className ?? ''}`} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className={`cg-button ${props.buttonClassName ?? ''}`}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={props.ariaLabel}
        data-testid={props.testId}
        onClick={() => setOpen((was) => !was)}
      >
        {props.label}
      </button>
      {open && (
        <div id={id} ref={panel} className="cg-room-panel">
          {props.children(close)}
        </div>
      )}
    </div>
  )
}
