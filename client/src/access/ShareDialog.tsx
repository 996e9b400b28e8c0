import { LINK_KINDS, type LinkKind } from '@common-ground/shared'
import { useEffect, useId, useRef, useState } from 'react'
import { rotateLink, setBoardClosed } from '../api.ts'
import { useBoardSession } from '../board/BoardSessionContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { loadBoardKey, updateBoardKey } from './boardKeys.ts'
import { copyText } from './copyText.ts'

const LABELS = {
  facilitate: { name: 'share.facilitate', hint: 'share.facilitateHint' },
  edit: { name: 'share.edit', hint: 'share.editHint' },
  view: { name: 'share.view', hint: 'share.viewHint' },
} as const

/**
 * The facilitator's sharing controls: the three links with what each lets people do, replacing
 * a link that went too far, and closing the board to edits when the retreat is over. A native
 * modal <dialog>: focus stays inside, Escape closes it.
 */
export function ShareDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n()
  const session = useBoardSession()
  const headingId = useId()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const [links, setLinks] = useState(() => loadBoardKey(session.boardId)?.links ?? null)
  const [copied, setCopied] = useState<LinkKind | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])

  async function copy(kind: LinkKind, url: string) {
    await copyText(url, t('share.copy'))
    setCopied(kind)
  }

  async function replace(kind: LinkKind) {
    if (
      !session.token ||
      !window.confirm(t('share.replaceConfirm', { link: t(LABELS[kind].name) }))
    )
      return
    const result = await rotateLink(session.boardId, kind, session.token)
    if (!result.ok) {
      setProblem(t('share.replaceFailed'))
      return
    }
    setProblem(null)
    updateBoardKey(session.boardId, { links: result.value.links })
    setLinks(result.value.links)
  }

  async function setClosed(closed: boolean) {
    if (!session.token) return
    const result = await setBoardClosed(session.boardId, closed, session.token)
    setProblem(result.ok ? null : t('share.closeFailed'))
  }

  return (
    <dialog
      ref={dialogRef}
      className="cg-dialog cg-share"
      aria-labelledby={headingId}
      onClose={onClose}
    >
      <h2 id={headingId}>{t('share.title')}</h2>
      {links ? (
        <ul className="cg-share-links">
          {LINK_KINDS.map((kind) => (
            <li key={kind}>
              <label htmlFor={`${headingId}-${kind}`} className="cg-share-name">
                {t(LABELS[kind].name)}
              </label>
              <p className="cg-share-hint">{t(LABELS[kind].hint)}</p>
              <div className="cg-share-row">
                <input
                  id={`${headingId}-${kind}`}
                  className="cg-input"
                  readOnly
                  value={links[kind]}
                  onFocus={(event) => event.currentTarget.select()}
                  data-testid={`share-link-${kind}`}
                />
                <button type="button" className="cg-button" onClick={() => copy(kind, links[kind])}>
                  {copied === kind ? t('share.copied') : t('share.copy')}
                </button>
                <button
                  type="button"
                  className="cg-button"
                  aria-label={t('share.replaceNamed', { link: t(LABELS[kind].name) })}
                  onClick={() => replace(kind)}
                >
                  {t('share.replace')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('share.openBoard')}</p>
      )}
      {problem && (
        <p className="cg-error" role="alert">
          {problem}
        </p>
      )}
      <section className="cg-share-close" aria-label={t('share.closeHeading')}>
        <p>{t(session.closed ? 'share.closedNow' : 'share.closeHint')}</p>
        <button type="button" className="cg-button" onClick={() => setClosed(!session.closed)}>
          {t(session.closed ? 'share.reopen' : 'share.close')}
        </button>
      </section>
      <form method="dialog" className="cg-dialog-actions">
        <button type="submit" className="cg-button cg-button-primary">
          {t('share.done')}
        </button>
      </form>
    </dialog>
  )
}
