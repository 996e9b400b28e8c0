/**
 * The column that holds the open side panel (plan, vote, people or sort) beside the canvas: the
 * canvas gives up that width. On a phone the panel takes the whole screen under the bar. Opening
 * a panel puts the keyboard in it (before, its first control was two dozen Tabs away, past the
 * canvas's own controls); its close button sits on top, Escape inside it closes it too, and
 * closing puts the keyboard back on the bar's button for that panel.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useRef } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'

export function SidePanelFrame(props: {
  /** The id of the panel inside (the bar's toggle names it in aria-controls). */
  panelId: string
  onClose(): void
  children: ReactNode
}) {
  const { t } = useI18n()
  const frame = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (props.panelId) frame.current?.focus({ preventScroll: true })
  }, [props.panelId])
  const close = () => {
    props.onClose()
    document.querySelector<HTMLElement>(`.cg-bar [aria-controls="${props.panelId}"]`)?.focus()
  }
  // A control that uses Escape itself (an open menu, a field's own undo) stops it first.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return
    event.preventDefault()
    close()
  }
  return (
    <div
      className="cg-side"
      data-testid="side-panel"
      ref={frame}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
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
