import type { CheckIn } from '@common-ground/shared/plan'
import { useI18n } from '../i18n/I18nProvider.tsx'

/** A check-in's name as people read it: its own, or "Check-in" when it has none. */
export function useCheckInTitle(): (checkIn: CheckIn) => string {
  const { t } = useI18n()
  return (checkIn) => checkIn.title.trim() || t('checkIn.untitled')
}
