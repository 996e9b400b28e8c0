import { isLocale, LOCALE_NAMES, LOCALES } from '@common-ground/shared/i18n'
import { useId } from 'react'
import { useI18n } from './I18nProvider.tsx'

export function LanguageSelect() {
  const { locale, setLocale, t } = useI18n()
  const id = useId()
  return (
    <span className="cg-language">
      <label htmlFor={id} className="cg-visually-hidden">
        {t('toolbar.language')}
      </label>
      <select
        id={id}
        className="cg-select"
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value)
        }}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </span>
  )
}
