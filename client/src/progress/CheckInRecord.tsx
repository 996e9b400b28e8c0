/**
 * A check-in that was held, as it was kept: its name and date, then (opened) who attended, the
 * step updates posted and indicator values entered while it ran, blockers and decisions. The same words as plan.md and the
 * report (`checkInRecords`, shared).
 */
import { checkInRecords, formatDate } from '@common-ground/shared/export'
import { type CheckIn, localDate } from '@common-ground/shared/plan'
import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { usePlan } from '../session/BoardModelContext.tsx'

export function CheckInRecord({ checkIn }: { checkIn: CheckIn }) {
  const { t, locale } = useI18n()
  const plan = usePlan()
  const titleId = useId()
  const zone = readerTimeZone()
  const [record] = checkInRecords(
    { actionPlan: plan.actionPlan, evaluation: plan.evaluation, checkIns: [checkIn] },
    {
      locale,
      t,
      text: (text) => text,
      day: (at) => formatDate(locale, localDate(at, zone)),
      date: (iso) => formatDate(locale, iso),
    },
  )
  if (!record) return null
  return (
    <li className="cg-checkin" data-check-in-id={checkIn.id} data-state="finished">
      <article aria-labelledby={titleId}>
        <p className="cg-checkin-title" id={titleId}>
          <strong>{record.title}</strong>
          {' · '}
          <time dateTime={checkIn.date}>{formatDate(locale, checkIn.date)}</time>
        </p>
        <details className="cg-progress-history" data-testid="check-in-record">
          <summary>{t('checkIn.record')}</summary>
          <dl className="cg-checkin-record">
            <dt>{t('checkIn.attended')}</dt>
            <dd>{checkIn.attended.length > 0 ? checkIn.attended.join(', ') : t('export.none')}</dd>
            <dt>{t('checkIn.updates')}</dt>
            <dd>
              {record.updates.length === 0 ? (
                t('checkIn.noUpdates')
              ) : (
                <ul>
                  {record.updates.map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines of a kept record
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('checkIn.values')}</dt>
            <dd>
              {record.values.length === 0 ? (
                t('checkIn.noValues')
              ) : (
                <ul data-testid="check-in-values">
                  {record.values.map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines of a kept record
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('checkIn.section.blockers')}</dt>
            <dd className="cg-checkin-text">{checkIn.blockers.trim() || t('export.none')}</dd>
            <dt>{t('checkIn.section.decisions')}</dt>
            <dd className="cg-checkin-text">{checkIn.decisions.trim() || t('export.none')}</dd>
          </dl>
        </details>
      </article>
    </li>
  )
}
