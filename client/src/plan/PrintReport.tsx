import { formatDate } from '@common-ground/shared/export'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import { useEffect, useId, useRef } from 'react'
import { createPortal } from 'react-dom'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { localIsoDate } from './download.ts'
import { ReportDocument } from './ReportDocument.tsx'
import './report.css'

/**
 * The printable report over the whole page: the document as it will print, with Print (the
 * browser's dialog saves it as PDF) and Back. The print stylesheet prints only this document.
 */
export function PrintReport({ plan, onClose }: { plan: PartnershipPlan; onClose(): void }) {
  const { t, locale } = useI18n()
  const titleId = useId()
  const dialog = useRef<HTMLDivElement>(null)

  // While the report is open the board behind it is out of reach (keyboard, screen reader).
  useEffect(() => {
    const app = document.getElementById('root')
    app?.setAttribute('inert', '')
    dialog.current?.focus()
    return () => app?.removeAttribute('inert')
  }, [])

  return createPortal(
    <div
      ref={dialog}
      className="cg-report-root"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose()
      }}
    >
      <div className="cg-report-toolbar">
        <button
          type="button"
          className="cg-button cg-button-primary"
          onClick={() => window.print()}
        >
          {t('report.print')}
        </button>
        <button type="button" className="cg-button" onClick={onClose}>
          {t('report.back')}
        </button>
      </div>
      <ReportDocument plan={plan} titleId={titleId} date={formatDate(locale, localIsoDate())} />
    </div>,
    document.body,
  )
}
