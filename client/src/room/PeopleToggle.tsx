import { canFacilitate } from '@common-ground/shared/board'
import { PanelToggle } from '../board/PanelToggle.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess } from '../session/BoardModelContext.tsx'
import { PEOPLE_PANEL_ID, useDoneSummary } from './PeoplePanel.tsx'

/** The board bar's People button; facilitators see how many are done with the step on it. */
export function PeopleToggle() {
  const { t } = useI18n()
  const { role } = useBoardAccess()
  const { done, of } = useDoneSummary()
  const counted = canFacilitate(role) && of > 0
  return (
    <PanelToggle panel="people" controls={PEOPLE_PANEL_ID} testId="people-toggle">
      {counted ? t('people.showCount', { done, total: of }) : t('people.show')}
    </PanelToggle>
  )
}
