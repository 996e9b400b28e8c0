/**
 * The column that holds the open side panel (plan, vote or people) beside the canvas: the canvas
 * gives up that width. On a phone the panel takes the whole screen under the bar. Its own close
 * button sits on top; closing puts the keyboard back on the bar's button for that panel.
 */
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'

export function SidePanelFrame(props: {
  /** The id of the panel inside (the bar's toggle names it in aria-controls). */
  panelId: string
  onClose(): void
  children: ReactNode
}) {
  const { t } = useI18n()
  const close = () => {
    props.onClose()
    document.querySelector<HTMLElement>(`.cg-bar [aria-controls="${props.panelId}"]`)?.focus()
  }
  return (
    <div className="cg-side" data-testid="side-panel">
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
