import {
  isLoopbackHost,
  linkAtAddress,
  type ServerAddressesResponse,
  type ShareLinkKind,
} from '@common-ground/shared/board'
import { useEffect, useId, useRef, useState } from 'react'
import { getServerAddresses, rotateLink } from '../api.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel } from '../session/BoardModelContext.tsx'
import { type HeldLinks, loadBoardKey, updateBoardKey } from './boardKeys.ts'
import { copyText } from './copyText.ts'
import { QrCode } from './QrCode.tsx'

const LABELS = {
  facilitate: { name: 'share.facilitate', hint: 'share.facilitateHint' },
  edit: { name: 'share.edit', hint: 'share.editHint' },
  view: { name: 'share.view', hint: 'share.viewHint' },
  calendar: { name: 'share.calendar', hint: 'share.calendarHint' },
} as const

/**
 * The link most people need first; the facilitator's, which runs the day, after the other two
 * (the dialog may be on a projector); the calendar's, which opens no board, at the end.
 */
const ORDER: readonly ShareLinkKind[] = ['edit', 'view', 'facilitate', 'calendar']

/** The links held, in the order shown (a calendar link only once the server has given one). */
const shown = (links: HeldLinks) => ORDER.filter((kind) => links[kind])

/** What the server said about its network addresses: null while asking, 'unknown' if it could not. */
type Network = ServerAddressesResponse | 'unknown' | null

/**
 * The facilitator's sharing controls: the three links with what each lets people do (the
 * participant link first, with a QR code for the phones in the room) and the calendar link (the
 * action plan's due dates, for a calendar app), replacing a link that went too far, and closing
 * the board to edits when the retreat is over. A page opened at a loopback
 * address (127.0.0.1, localhost) hands out links that open nothing elsewhere: it says so, and
 * offers the same links at the server's LAN address when the server knows one. A native modal
 * <dialog>: focus stays inside, Escape closes it.
 */
export function ShareDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n()
  const session = useBoardModel()
  const { closed } = useBoardAccess()
  const headingId = useId()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const firstCopyRef = useRef<HTMLButtonElement>(null)
  const [links, setLinks] = useState(() => loadBoardKey(session.boardId)?.links ?? null)
  const [copied, setCopied] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const pageHost = window.location.hostname
  const onLoopback = isLoopbackHost(pageHost)
  const [network, setNetwork] = useState<Network>(null)
  const [chosenAddress, setChosenAddress] = useState<string | null>(null)

  useEffect(() => {
    const dialog = dialogRef.current
    if (dialog && !dialog.open) {
      dialog.showModal()
      // Not the first field, which would select a link's text for the whole room to read: the
      // participant link's Copy button, or the heading when there are no links.
      ;(firstCopyRef.current ?? headingRef.current)?.focus()
    }
  }, [])

  useEffect(() => {
    if (!onLoopback) return
    let current = true
    void getServerAddresses().then((result) => {
      if (current) setNetwork(result.ok ? result.value : 'unknown')
    })
    return () => {
      current = false
    }
  }, [onLoopback])

  const known = network && network !== 'unknown' ? network : null
  const lanAddresses = known?.lanAddresses ?? []
  const lanAddress =
    chosenAddress && lanAddresses.includes(chosenAddress) ? chosenAddress : lanAddresses[0]
  const lanLinks =
    links && known && lanAddress
      ? (Object.fromEntries(
          shown(links).map((kind) => [
            kind,
            linkAtAddress(links[kind] as string, lanAddress, known.port),
          ]),
        ) as HeldLinks)
      : null

  async function copy(id: string, url: string) {
    await copyText(url, t('share.copy'))
    setCopied(id)
  }

  async function replace(kind: ShareLinkKind) {
    const question = kind === 'calendar' ? 'share.replaceCalendarConfirm' : 'share.replaceConfirm'
    if (!session.token || !window.confirm(t(question, { link: t(LABELS[kind].name) }))) return
    const result = await rotateLink(session.boardId, kind, session.token)
    if (!result.ok) {
      setProblem(t('share.replaceFailed'))
      return
    }
    setProblem(null)
    updateBoardKey(session.boardId, { links: result.value.links })
    setLinks(result.value.links)
  }

  async function setClosed(next: boolean) {
    const done = await session.closeBoard(next)
    setProblem(done ? null : t('share.closeFailed'))
  }

  /** One list of the links; the QR code goes with the participant link of the first. */
  const linkList = (scope: 'lan' | 'local', urls: HeldLinks, withQr: boolean) => (
    <ul className="cg-share-links">
      {shown(urls).map((kind) => {
        const id = `${headingId}-${scope}-${kind}`
        const plainName = t(LABELS[kind].name)
        const name = scope === 'lan' ? t('share.lanLink', { link: plainName }) : plainName
        const isCopied = copied === id
        return (
          <li key={kind}>
            <label htmlFor={id} className="cg-share-name">
              {name}
            </label>
            <p className="cg-share-hint">{t(LABELS[kind].hint)}</p>
            <div className="cg-share-row">
              <input
                id={id}
                className="cg-input"
                readOnly
                value={urls[kind] ?? ''}
                onFocus={(event) => event.currentTarget.select()}
                data-testid={scope === 'lan' ? `share-lan-link-${kind}` : `share-link-${kind}`}
              />
              <button
                type="button"
                className="cg-button"
                ref={scope === 'local' && kind === 'edit' ? firstCopyRef : undefined}
                aria-label={t(isCopied ? 'share.copiedNamed' : 'share.copyNamed', { link: name })}
                onClick={() => copy(id, urls[kind] ?? '')}
              >
                {isCopied ? t('share.copied') : t('share.copy')}
              </button>
              {scope === 'local' && (
                <button
                  type="button"
                  className="cg-button"
                  aria-label={t('share.replaceNamed', { link: plainName })}
                  onClick={() => replace(kind)}
                >
                  {t('share.replace')}
                </button>
              )}
            </div>
            {withQr && kind === 'edit' && (
              <figure className="cg-share-qr">
                <QrCode text={urls.edit} label={t('share.qrLabel')} />
                <figcaption>{t('share.qrHint')}</figcaption>
              </figure>
            )}
          </li>
        )
      })}
    </ul>
  )

  return (
    <dialog
      ref={dialogRef}
      className="cg-dialog cg-share"
      aria-labelledby={headingId}
      onClose={onClose}
    >
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('share.title')}
      </h2>
      {links && onLoopback && (
        <div className="cg-share-warning" data-testid="share-loopback">
          <p>
            <strong>{t('share.loopbackWarning', { host: pageHost })}</strong>
          </p>
          {known?.loopbackOnly && <p>{t('share.loopbackServer')}</p>}
          {lanLinks && <p>{t('share.loopbackUseLan')}</p>}
          {(network === 'unknown' || (known && !known.loopbackOnly && !lanLinks)) && (
            <p>{t('share.loopbackNoLan', { host: pageHost })}</p>
          )}
        </div>
      )}
      {links && lanLinks && (
        <section className="cg-share-section" aria-labelledby={`${headingId}-lan`}>
          <h3 id={`${headingId}-lan`}>{t('share.lanHeading')}</h3>
          {lanAddresses.length > 1 && (
            <div className="cg-share-address">
              <label htmlFor={`${headingId}-address`}>{t('share.lanAddress')}</label>
              <select
                id={`${headingId}-address`}
                className="cg-select"
                value={lanAddress}
                onChange={(event) => setChosenAddress(event.currentTarget.value)}
              >
                {lanAddresses.map((address) => (
                  <option key={address} value={address}>
                    {address}
                  </option>
                ))}
              </select>
            </div>
          )}
          {linkList('lan', lanLinks, true)}
        </section>
      )}
      {links ? (
        <section
          className="cg-share-section"
          aria-labelledby={lanLinks ? `${headingId}-local` : undefined}
        >
          {lanLinks && <h3 id={`${headingId}-local`}>{t('share.localHeading')}</h3>}
          {linkList('local', links, !lanLinks)}
        </section>
      ) : (
        <p>{t('share.openBoard')}</p>
      )}
      {problem && (
        <p className="cg-error" role="alert">
          {problem}
        </p>
      )}
      <section className="cg-share-close" aria-label={t('share.closeHeading')}>
        <p>{t(closed ? 'share.closedNow' : 'share.closeHint')}</p>
        <button type="button" className="cg-button" onClick={() => setClosed(!closed)}>
          {t(closed ? 'share.reopen' : 'share.close')}
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
