/**
 * The printed report's check-ins (as plan.md lists them): each by date with its state and, once
 * it has started, who attended, the step updates posted and indicator values entered while it
 * ran, blockers and decisions.
 */
import { checkInRecords, formatDate } from '@common-ground/shared/export'
import { localDate, type PartnershipPlan } from '@common-ground/shared/plan'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'

export function ReportCheckIns(props: { plan: PartnershipPlan; heading: ReactNode }) {
  const { t, locale } = useI18n()
  const zone = readerTimeZone()
  const records = checkInRecords(props.plan, {
    locale,
    t,
    text: (text) => text,
    day: (at) => formatDate(locale, localDate(at, zone)),
    date: (iso) => formatDate(locale, iso),
  })
  return (
    <section>
      {props.heading}
      {records.map(({ checkIn, title, state, updates, values }) => (
        <div key={checkIn.id} className="cg-report-block" data-check-in={checkIn.id}>
          <h3>
            {title} · {formatDate(locale, checkIn.date)}
          </h3>
          <p className="cg-report-label">{t(`checkIn.state.${state}`)}</p>
          {state !== 'scheduled' && (
            <>
              {checkIn.attended.length > 0 && (
                <p>
                  <strong>{t('checkIn.attended')}:</strong> {checkIn.attended.join(', ')}
                </p>
              )}
              <p className="cg-report-label">{t('checkIn.updates')}</p>
              {updates.length === 0 ? (
                <p className="cg-report-none">{t('checkIn.noUpdates')}</p>
              ) : (
                <ul>
                  {updates.map((line, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: lines of a static document
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
              {values.length > 0 && (
                <>
                  <p className="cg-report-label">{t('checkIn.values')}</p>
                  <ul>
                    {values.map((line, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: lines of a static document
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                </>
              )}
              {checkIn.blockers.trim() && (
                <div className="cg-report-field">
                  <p className="cg-report-label">{t('checkIn.section.blockers')}</p>
                  <p>{checkIn.blockers}</p>
                </div>
              )}
              {checkIn.decisions.trim() && (
                <div className="cg-report-field">
                  <p className="cg-report-label">{t('checkIn.section.decisions')}</p>
                  <p>{checkIn.decisions}</p>
                </div>
              )}
            </>
          )}
        </div>
      ))}
    </section>
  )
}
