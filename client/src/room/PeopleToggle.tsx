import { canFacilitate } from '@common-ground/shared'
import { useBoardSession } from '../board/BoardSessionContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { PEOPLE_PANEL_ID, useDoneSummary } from './PeoplePanel.tsx'

/** The board bar's People button; facilitators see how many are done with the step on it. */
export function PeopleToggle() {
  const { t } = useI18n()
  const session = useBoardSession()
  const { done, of } = useDoneSummary()
  const counted = canFacilitate(session.role) && of > 0
  return (
    <button
      type="button"
      className="cg-button"
      aria-expanded={session.peopleOpen}
      aria-controls={PEOPLE_PANEL_ID}
      onClick={session.togglePeople}
      data-testid="people-toggle"
    >
      {counted ? t('people.showCount', { done, total: of }) : t('people.show')}
    </button>
  )
}
