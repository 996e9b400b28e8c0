import { buildAgreement, readAgreementFields } from '@common-ground/shared/agreement'
import { planToCalendar, planToCsv, planToJson, planToMarkdown } from '@common-ground/shared/export'
import type { MessageKey } from '@common-ground/shared/i18n'
import type { PartnershipPlan } from '@common-ground/shared/plan'
import { useEffect, useId, useRef, useState } from 'react'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { boardImage, EmptyBoardError } from './boardImage.ts'
import { downloadBlob, downloadName, downloadText, localIsoDate } from './download.ts'
import { flushPendingFields } from './liveFields.ts'
import { PrintReport } from './PrintReport.tsx'

type Choice = 'markdown' | 'csv' | 'json' | 'ics' | 'print' | 'mou' | 'dsa' | 'png' | 'svg'

const GROUPS: readonly (readonly [Choice, MessageKey][])[] = [
  [
    ['markdown', 'export.markdown'],
    ['csv', 'export.csv'],
    ['json', 'export.json'],
    ['ics', 'export.ics'],
  ],
  [['print', 'export.print']],
  [
    ['mou', 'agreement.export.mou'],
    ['dsa', 'agreement.export.dsa'],
  ],
  [
    ['png', 'export.png'],
    ['svg', 'export.svg'],
  ],
]

/**
 * The plan's exports, made here in the browser from the live plan with the same exporters the
 * server uses (so they work offline and need no key in a URL), plus the printable report and
 * the board as an image. The `.ics` holds the same events, under the same UIDs, as the board's
 * calendar feed, so a calendar app that imported it and later subscribes does not double them.
 * The agreement drafts (a memorandum of understanding, a data-sharing agreement) are Word files
 * made here too; the Word renderer (and the `docx` package) is loaded only when one is asked
 * for. A disclosure: a button that shows a short list of buttons.
 */
export function ExportMenu({ plan }: { plan: PartnershipPlan }) {
  const { t, locale } = useI18n()
  const { editor } = useBoardView()
  const board = useBoardModel()
  const [open, setOpen] = useState(false)
  const [report, setReport] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  const listId = useId()
  const toggle = useRef<HTMLButtonElement>(null)
  const root = useRef<HTMLDivElement>(null)

  // Back from the report, the keyboard returns here (once the page behind is no longer inert).
  const reportClosed = useRef(false)
  useEffect(() => {
    if (!report && reportClosed.current) {
      reportClosed.current = false
      toggle.current?.focus()
    }
  }, [report])

  // Clicking or tabbing elsewhere closes the list.
  useEffect(() => {
    if (!open) return
    const away = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', away)
    document.addEventListener('focusin', away)
    return () => {
      document.removeEventListener('pointerdown', away)
      document.removeEventListener('focusin', away)
    }
  }, [open])

  async function choose(choice: Choice) {
    setOpen(false)
    setFailure(null)
    toggle.current?.focus()
    // The panel's plan is re-derived a moment after each write (throttled); a file holds the
    // board as it is now (`plan.get()` derives again after any change), so an edit made just
    // before exporting is never left out.
    const current = () => {
      flushPendingFields() // what someone is typing right now belongs in the export
      return board.plan.get()
    }
    const name = (extension: string) => downloadName(plan.title || t('plan.title'), extension)
    try {
      if (choice === 'markdown') {
        const text = planToMarkdown(current(), locale, {
          date: localIsoDate(),
          timeZone: readerTimeZone(),
        })
        downloadText(text, 'text/markdown;charset=utf-8', name('md'))
      } else if (choice === 'csv') {
        const csv = planToCsv(current(), locale, { timeZone: readerTimeZone() })
        downloadText(csv, 'text/csv;charset=utf-8', name('csv'))
      } else if (choice === 'json') {
        downloadText(planToJson(current()), 'application/json', name('json'))
      } else if (choice === 'ics') {
        const ics = planToCalendar(current(), {
          boardId: board.boardId,
          locale,
          boardUrl: `${window.location.origin}/b/${encodeURIComponent(board.boardId)}`,
        })
        downloadText(ics, 'text/calendar;charset=utf-8', name('ics'))
      } else if (choice === 'print') {
        setReport(true)
      } else if (choice === 'mou' || choice === 'dsa') {
        const draft = buildAgreement(current(), readAgreementFields(board.doc), {
          kind: choice,
          locale,
          date: localIsoDate(),
        })
        const docx = await import('@common-ground/shared/agreement/docx')
        const bytes = await docx.agreementToDocx(draft)
        downloadBlob(
          new Blob([bytes], { type: docx.DOCX_TYPE }),
          downloadName(`${plan.title || t('plan.title')} - ${draft.title}`, 'docx'),
        )
      } else if (editor) {
        downloadBlob(await boardImage(editor, choice), name(choice))
      }
    } catch (error) {
      setFailure(
        t('export.failed', {
          reason: error instanceof EmptyBoardError ? t('export.emptyBoard') : String(error),
        }),
      )
    }
  }

  return (
    <div className="cg-menu" ref={root}>
      <button
        ref={toggle}
        type="button"
        className="cg-button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((now) => !now)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            event.stopPropagation()
            setOpen(false)
          }
        }}
      >
        {t('export.menu')}
      </button>
      <ul
        id={listId}
        className="cg-menu-list"
        hidden={!open}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation()
            setOpen(false)
            toggle.current?.focus()
          }
        }}
      >
        {GROUPS.flatMap((group, index) =>
          group.map(([choice, label], position) => (
            <li
              key={choice}
              className={index > 0 && position === 0 ? 'cg-menu-group-start' : undefined}
            >
              <button
                type="button"
                className="cg-menu-item"
                disabled={(choice === 'png' || choice === 'svg') && !editor}
                onClick={() => choose(choice)}
              >
                {t(label)}
              </button>
            </li>
          )),
        )}
      </ul>
      <p className="cg-error" role="alert" hidden={!failure}>
        {failure}
      </p>
      {report && (
        <PrintReport
          plan={plan}
          onClose={() => {
            setReport(false)
            reportClosed.current = true
          }}
        />
      )}
    </div>
  )
}
