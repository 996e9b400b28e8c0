/** "You: <name>" in a bar: shows who this person is here, and opens the rename dialog. */
import { useI18n } from '../i18n/I18nProvider.tsx'

export function YouButton(props: { name: string; onRename: () => void }) {
  const { t } = useI18n()
  return (
    <button
      type="button"
      className="cg-button"
      title={t('toolbar.rename')}
      onClick={props.onRename}
    >
      {t('toolbar.you', { name: props.name })}
    </button>
  )
}
