import { type BoardTemplate, MAX_TITLE_LENGTH } from '@common-ground/shared/board'
import { MAX_NAME_LENGTH } from '@common-ground/shared/facilitation'
import { type FormEvent, useId, useRef, useState } from 'react'
import { forgetBoardKey, saveBoardKey } from '../access/boardKeys.ts'
import { createBoard } from '../api.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LanguageSelect } from '../i18n/LanguageSelect.tsx'
import { createIdentity, loadIdentity, normalizeName, saveIdentity } from '../identity/identity.ts'
import { forgetLocalCopy } from '../sync/BoardConnection.ts'
import { forgetRecentBoard, loadRecentBoards } from './recentBoards.ts'

export function HomePage() {
  const { t, locale } = useI18n()
  const titleId = useId()
  const nameId = useId()
  const [title, setTitle] = useState(() => t('home.titleDefault'))
  // The creator names themselves here, so the board opens straight away (no join dialog).
  const [name, setName] = useState(() => loadIdentity()?.name ?? '')
  const [nameInvalid, setNameInvalid] = useState(false)
  const nameInput = useRef<HTMLInputElement>(null)
  const [template, setTemplate] = useState<BoardTemplate>('retreat')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [recent, setRecent] = useState(loadRecentBoards)

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    const myName = normalizeName(name)
    if (!myName) {
      setNameInvalid(true)
      nameInput.current?.focus()
      return
    }
    const known = loadIdentity()
    saveIdentity(known ? { ...known, name: myName } : createIdentity(myName))
    setBusy(true)
    setError(null)
    const result = await createBoard(title.trim() || t('home.titleDefault'), template, locale)
    if (result.ok) {
      const { id, tokens, links } = result.value
      saveBoardKey(id, { token: tokens.facilitate, role: 'facilitator', links })
      window.location.assign(`/b/${encodeURIComponent(id)}`)
      return
    }
    setBusy(false)
    const reason =
      result.kind === 'network'
        ? t('error.network')
        : result.kind === 'server'
          ? `${t('error.server', { status: result.status })} (${result.message})`
          : t('error.server', { status: result.kind === 'not-found' ? 404 : 403 })
    setError(t('home.createFailed', { reason }))
  }

  return (
    <main className="cg-page">
      <header className="cg-page-header">
        <p className="cg-brand">{t('app.name')}</p>
        <LanguageSelect />
      </header>
      <h1>{t('home.heading')}</h1>
      <p className="cg-lead">{t('home.intro')}</p>
      <form className="cg-card" onSubmit={onSubmit}>
        <label htmlFor={titleId}>{t('home.titleLabel')}</label>
        <input
          id={titleId}
          className="cg-input"
          value={title}
          maxLength={MAX_TITLE_LENGTH}
          onChange={(event) => setTitle(event.target.value)}
          required
        />
        <label htmlFor={nameId}>{t('join.nameLabel')}</label>
        <input
          id={nameId}
          ref={nameInput}
          className="cg-input"
          value={name}
          autoComplete="name"
          maxLength={MAX_NAME_LENGTH}
          placeholder={t('join.namePlaceholder')}
          aria-required="true"
          aria-invalid={nameInvalid}
          aria-describedby={nameInvalid ? `${nameId}-error` : undefined}
          onChange={(event) => {
            setName(event.target.value)
            setNameInvalid(false)
          }}
        />
        {nameInvalid && (
          <p id={`${nameId}-error`} className="cg-error" role="alert">
            {t('join.nameRequired', { max: MAX_NAME_LENGTH })}
          </p>
        )}
        <fieldset className="cg-choice">
          <legend>{t('home.templateLabel')}</legend>
          {(['retreat', 'blank'] as const).map((option) => (
            <label key={option} className="cg-choice-option">
              <input
                type="radio"
                name="template"
                value={option}
                checked={template === option}
                onChange={() => setTemplate(option)}
              />
              <span>
                <strong>
                  {t(option === 'retreat' ? 'home.templateRetreat' : 'home.templateBlank')}
                </strong>
                <br />
                <span className="cg-hint">
                  {t(option === 'retreat' ? 'home.templateRetreatHint' : 'home.templateBlankHint')}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="cg-button cg-button-primary" disabled={busy}>
          {busy ? t('home.creating') : t('home.create')}
        </button>
        {error && (
          <p role="alert" className="cg-error">
            {error}
          </p>
        )}
      </form>
      <section aria-labelledby={`${titleId}-recent`}>
        <h2 id={`${titleId}-recent`}>{t('home.recent')}</h2>
        {recent.length === 0 ? (
          <p>{t('home.noRecent')}</p>
        ) : (
          <ul className="cg-recent">
            {recent.map((board) => (
              <li key={board.id}>
                <a href={`/b/${encodeURIComponent(board.id)}`}>{board.title}</a>{' '}
                <time dateTime={new Date(board.openedAt).toISOString()}>
                  {new Date(board.openedAt).toLocaleString(locale, {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                  })}
                </time>{' '}
                <button
                  type="button"
                  className="cg-link-button"
                  aria-label={t('home.forgetNamed', { title: board.title })}
                  onClick={async () => {
                    if (!window.confirm(t('home.forgetConfirm', { title: board.title }))) return
                    await forgetLocalCopy(board.id)
                    forgetRecentBoard(board.id)
                    forgetBoardKey(board.id)
                    setRecent(loadRecentBoards())
                  }}
                >
                  {t('home.forget')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}
