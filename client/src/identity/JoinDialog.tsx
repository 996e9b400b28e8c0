import { MAX_NAME_LENGTH } from '@common-ground/shared/facilitation'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LanguageSelect } from '../i18n/LanguageSelect.tsx'
import { normalizeName } from './identity.ts'

/** Asks for the name others will see; shown on a first visit and when changing one's name. */
export function JoinDialog(props: {
  boardTitle: string
  initialName?: string
  onSubmit(name: string): void
  onCancel?: () => void
}) {
  const { t } = useI18n()
  const headingId = useId()
  const inputId = useId()
  const errorId = useId()
  const [name, setName] = useState(props.initialName ?? '')
  const [invalid, setInvalid] = useState(false)
  const inputRef = useRef<HTMLInputElement>(null)

  useEffect(() => inputRef.current?.focus(), [])

  function submit(event: FormEvent) {
    event.preventDefault()
    const normalized = normalizeName(name)
    if (!normalized) {
      setInvalid(true)
      inputRef.current?.focus()
      return
    }
    props.onSubmit(normalized)
  }

  return (
    <div className="cg-backdrop">
      <div
        className="cg-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && props.onCancel) props.onCancel()
        }}
      >
        <div className="cg-dialog-top">
          <p className="cg-brand">{t('app.name')}</p>
          <LanguageSelect />
        </div>
        <h1 id={headingId}>{t('join.heading', { title: props.boardTitle })}</h1>
        <form onSubmit={submit} noValidate>
          <label htmlFor={inputId}>{t('join.nameLabel')}</label>
          <input
            id={inputId}
            ref={inputRef}
            className="cg-input"
            value={name}
            autoComplete="name"
            maxLength={MAX_NAME_LENGTH}
            placeholder={t('join.namePlaceholder')}
            aria-invalid={invalid}
            aria-describedby={invalid ? errorId : undefined}
            onChange={(event) => {
              setName(event.target.value)
              setInvalid(false)
            }}
          />
          {invalid && (
            <p id={errorId} className="cg-error" role="alert">
              {t('join.nameRequired', { max: MAX_NAME_LENGTH })}
            </p>
          )}
          <button type="submit" className="cg-button cg-button-primary">
            {t('join.submit')}
          </button>
        </form>
      </div>
    </div>
  )
}
