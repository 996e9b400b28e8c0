/**
 * The column that holds the open side panel (plan, vote, people or sort) beside the canvas: the
 * canvas gives up that width. On a phone the panel takes the whole screen under the bar. Opening
 * a panel puts the keyboard in it (before, its first control was two dozen Tabs away, past the
 * canvas's own controls); its close button sits on top, Escape inside it (outside a field)
 * closes it too, and closing puts the keyboard back on the bar's button for that panel.
 */
import { type ReactNode, useEffect, useRef } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'

export function SidePanelFrame(props: {
  /** The id of the panel inside (the bar's toggle names it in aria-controls). */
  panelId: string
  onClose(): void
  children: ReactNode
}) {
  const { t } = useI18n()
  const frame = useRef<HTMLDivElement>(null)
  const close = () => {
    props.onClose()
    document.querySelector<HTMLElement>(`.cg-bar [aria-controls="${props.panelId}"]`)?.focus()
  }
  const closeNow = useRef(close)
  closeNow.current = close
  // Each panel as it opens (not on every render: the focus stays where the person put it).
  useEffect(() => {
    if (props.panelId) frame.current?.focus({ preventScroll: true })
  }, [props.panelId])
  useEffect(() => {
    const element = frame.current
    if (!element) return
    // A shortcut of the whole panel, like a dialog's, not a control of its own: listened to on
    // the element. A control that uses Escape itself (an open menu) stops it first, and in a
    // field Escape is the field's (leaving what one typed), never a reason to lose the panel.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      if (isTextEntry(event.target)) return
      event.preventDefault()
      closeNow.current()
    }
    element.addEventListener('keydown', onKeyDown)
    return () => element.removeEventListener('keydown', onKeyDown)
  }, [])
  return (
    <div className="cg-side" data-testid="side-panel" ref={frame} tabIndex={-1}>
      <div className="cg-side-head">
        <button
          type="button"
          className="cg-button cg-side-close"
          aria-controls={props.panelId}
          onClick={close}
        >
          <span aria-hidden="true">✕ </span>
          {t('panel.close')}
        </button>
      </div>
      {props.children}
    </div>
  )
}

/** A place to type: a text-like input, a text area, a select's list, editable text. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true
  if (target instanceof HTMLSelectElement) return true
  return (
    target instanceof HTMLInputElement &&
    !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(
      target.type,
    )
  )
}
