/**
 * The Progress view's "Indicators": each indicator of the plan with who measures it, its unit,
 * baseline, target and how often, its latest value and progress toward the target, its chart and
 * table, and a form to add a value (from a phone, by keyboard). Kept apart from the steps so the
 * view's other sections change without touching it.
 */
import { formatDate, formatReading } from '@common-ground/shared/export'
import {
  type Indicator,
  indicatorSeries,
  localDate,
  MAX_GROUP_LENGTH,
  MAX_VALUE_NOTE_LENGTH,
  MAX_VALUE_TEXT_LENGTH,
  MAX_VALUES_PER_INDICATOR,
  type Organization,
} from '@common-ground/shared/plan'
import { useValue } from '@tldraw/state-react'
import { type FormEvent, memo, useId, useMemo, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { readerTimeZone } from '../i18n/timeZone.ts'
import { IndicatorChart } from '../plan/IndicatorChart.tsx'
import { parseTypedNumber } from '../plan/typedNumber.ts'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { FormEnd } from './FormEnd.tsx'

export function IndicatorsSection(props: {
  indicators: readonly Indicator[]
  organizations: readonly Organization[]
  editable: boolean
  facilitator: boolean
  announce(text: string): void
}) {
  const { t } = useI18n()
  const headingId = useId()
  return (
    <section
      aria-labelledby={headingId}
      className="cg-progress-indicators"
      data-testid="indicators"
    >
      <h2 id={headingId}>{t('indicators.heading')}</h2>
      {props.indicators.length === 0 ? (
        <p className="cg-hint">{t('indicators.none')}</p>
      ) : (
        <>
          <p className="cg-hint">{t('indicators.intro')}</p>
          {props.indicators.map((indicator) => (
            <IndicatorCard
              key={indicator.id}
              indicator={indicator}
              organizations={props.organizations}
              editable={props.editable}
              facilitator={props.facilitator}
              announce={props.announce}
            />
          ))}
        </>
      )}
    </section>
  )
}

interface IndicatorCardProps {
  indicator: Indicator
  organizations: readonly Organization[]
  editable: boolean
  facilitator: boolean
  announce(text: string): void
}

/**
 * Whether a card would draw the same: the plan is derived afresh each time anyone types anywhere
 * on the board, and a phone should redraw only the indicators that changed. Values are never
 * changed once written, so their ids say whether the list changed.
 */
function sameIndicatorCard(a: IndicatorCardProps, b: IndicatorCardProps): boolean {
  const [x, y] = [a.indicator, b.indicator]
  const name = (props: IndicatorCardProps, id: string | null) =>
    id === null ? null : props.organizations.find((org) => org.id === id)?.name
  return (
    a.editable === b.editable &&
    a.facilitator === b.facilitator &&
    a.announce === b.announce &&
    x.id === y.id &&
    x.name === y.name &&
    x.kind === y.kind &&
    x.unit === y.unit &&
    x.baseline === y.baseline &&
    x.target === y.target &&
    x.frequency === y.frequency &&
    x.organization === y.organization &&
    name(a, x.organization) === name(b, y.organization) &&
    x.values.length === y.values.length &&
    x.values.every((value, i) => value.id === y.values[i]?.id)
  )
}

const IndicatorCard = memo(function IndicatorCard(props: IndicatorCardProps) {
  const { t, locale } = useI18n()
  const { indicator } = props
  const titleId = useId()
  const name = indicator.name || t('evaluation.untitled')
  const organization = indicator.organization
    ? props.organizations.find((org) => org.id === indicator.organization)?.name ||
      t('card.org.untitled')
    : null
  const reading = (value: number | null) =>
    value === null ? t('evaluation.notSet') : formatReading(locale, value, indicator.unit)
  const series = indicatorSeries(indicator)
  return (
    <article
      aria-labelledby={titleId}
      className="cg-progress-indicator"
      data-indicator-id={indicator.id}
    >
      <h3 id={titleId}>{name}</h3>
      <dl className="cg-progress-facts">
        {organization !== null && (
          <div>
            <dt>{t('action.organization')}</dt>
            <dd>{organization}</dd>
          </div>
        )}
        {indicator.kind === 'quantitative' && (
          <>
            <div>
              <dt>{t('evaluation.baseline')}</dt>
              <dd>{reading(indicator.baseline)}</dd>
            </div>
            <div>
              <dt>{t('evaluation.target')}</dt>
              <dd>{reading(indicator.target)}</dd>
            </div>
          </>
        )}
        {indicator.frequency && (
          <div>
            <dt>{t('evaluation.frequency')}</dt>
            <dd>{t(`evaluation.cadence.${indicator.frequency}`)}</dd>
          </div>
        )}
      </dl>
      {series.length > 0 && (
        <ul className="cg-indicator-latest" data-testid="indicator-latest">
          {series.map((line) =>
            line.latest ? (
              <li key={line.group}>
                {series.length > 1 && (
                  <strong>{line.group || t('evaluation.value.everyone')}: </strong>
                )}
                {t('indicators.latest', {
                  value: formatReading(locale, line.latest.value, indicator.unit),
                  date: formatDate(locale, line.latest.date),
                })}
                {line.progress !== null && (
                  <>
                    {' · '}
                    {/* Below the baseline, "-6% of the way" says little: say where it stands. */}
                    {t(line.progress < 0 ? 'indicators.belowBaseline' : 'indicators.progress', {
                      percent: new Intl.NumberFormat(locale, {
                        style: 'percent',
                        maximumFractionDigits: 0,
                      }).format(Math.abs(line.progress)),
                    })}
                  </>
                )}
              </li>
            ) : null,
          )}
        </ul>
      )}
      <IndicatorChart indicator={indicator} />
      {props.editable && (
        <AddValue indicator={indicator} titleId={titleId} announce={props.announce} />
      )}
      {props.facilitator && props.editable && indicator.values.length > 0 && (
        <RemoveValues indicator={indicator} />
      )}
    </article>
  )
}, sameIndicatorCard)

/**
 * "Add a value" and, once pressed, its form; the keyboard goes back to the button when the form
 * closes. The Progress view's indicator cards and a check-in's agenda both use it.
 */
export function AddValue(props: {
  indicator: Indicator
  /** The id of the indicator's name, which labels the form. */
  titleId: string
  announce(text: string): void
}) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const toggleRef = useRef<HTMLButtonElement>(null)
  const name = props.indicator.name || t('evaluation.untitled')
  return open ? (
    <ValueForm
      indicator={props.indicator}
      titleId={props.titleId}
      onDone={(posted) => {
        if (posted) props.announce(t('indicators.form.posted', { name }))
        setOpen(false)
        requestAnimationFrame(() => toggleRef.current?.focus())
      }}
    />
  ) : (
    <button
      ref={toggleRef}
      type="button"
      className="cg-button cg-progress-update-open"
      aria-label={t('indicators.addTo', { name })}
      onClick={() => setOpen(true)}
    >
      {t('indicators.add')}
    </button>
  )
}

/**
 * Date, value, group and a line, entered together. Like a step's update, entering needs the live
 * connection: the value is stamped with the server's time.
 */
function ValueForm(props: {
  indicator: Indicator
  titleId: string
  onDone(posted: boolean): void
}) {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const live = useValue('live', () => board.connection.status.get() === 'live', [board])
  const { indicator } = props
  const quantitative = indicator.kind === 'quantitative'
  const today = useMemo(() => localDate(serverNow(), readerTimeZone()), [])
  const [date, setDate] = useState(today)
  const [value, setValue] = useState('')
  const [group, setGroup] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const ids = {
    date: useId(),
    value: useId(),
    hint: useId(),
    group: useId(),
    groupHint: useId(),
    note: useId(),
    error: useId(),
    groups: useId(),
  }
  const groups = [...new Set(indicator.values.map((v) => v.group.trim()).filter(Boolean))]
  const full = indicator.values.length >= MAX_VALUES_PER_INDICATOR

  function submit(event: FormEvent) {
    event.preventDefault()
    const line = (text: string) => text.replace(/\s+/g, ' ').trim()
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setError(t('indicators.form.noDate'))
    let reading: number | string
    if (quantitative) {
      const parsed = parseTypedNumber(value, locale)
      if (parsed === null) return setError(t('indicators.form.notNumber'))
      reading = parsed
    } else {
      reading = line(value)
      if (reading === '') return setError(t('indicators.form.empty'))
    }
    if (full) return setError(t('indicators.form.full', { max: MAX_VALUES_PER_INDICATOR }))
    if (!live) return setError(t('progress.form.needsConnection'))
    try {
      board.commands.postIndicatorValue(indicator.id, {
        date,
        value: reading,
        group: line(group),
        note: line(note),
        by: board.identity.get().name.trim() || '—',
        at: serverNow(),
      })
    } catch (caught) {
      return setError(t('progress.form.failed', { reason: (caught as Error).message }))
    }
    props.onDone(true)
  }

  const describedBy = (hint: string) => (error ? `${hint} ${ids.error}` : hint)
  return (
    <form
      className="cg-progress-form"
      aria-labelledby={props.titleId}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onDone(false)
      }}
      noValidate
      data-testid="indicator-form"
    >
      <div className="cg-progress-form-field">
        <label htmlFor={ids.value}>{t('indicators.form.value')}</label>
        <input
          id={ids.value}
          className="cg-input"
          value={value}
          inputMode={quantitative ? 'decimal' : 'text'}
          maxLength={quantitative ? 40 : MAX_VALUE_TEXT_LENGTH}
          autoComplete="off"
          // The form opens on the value: what the person came to enter.
          // biome-ignore lint/a11y/noAutofocus: opened on purpose by the button just pressed
          autoFocus
          aria-describedby={describedBy(ids.hint)}
          aria-invalid={error !== null}
          onChange={(event) => {
            setValue(event.target.value)
            setError(null)
          }}
        />
        <p id={ids.hint} className="cg-hint">
          {quantitative
            ? t('indicators.form.numberHint', {
                unit: indicator.unit.trim() ? ` (${indicator.unit.trim()})` : '',
              })
            : t('indicators.form.textHint', { max: MAX_VALUE_TEXT_LENGTH })}
        </p>
      </div>
      <div className="cg-progress-form-field">
        <label htmlFor={ids.date}>{t('indicators.form.date')}</label>
        <input
          id={ids.date}
          type="date"
          className="cg-input"
          value={date}
          required
          onChange={(event) => {
            setDate(event.target.value)
            setError(null)
          }}
        />
      </div>
      <div className="cg-progress-form-field">
        <label htmlFor={ids.group}>{t('indicators.form.group')}</label>
        <input
          id={ids.group}
          className="cg-input"
          value={group}
          maxLength={MAX_GROUP_LENGTH}
          autoComplete="off"
          list={groups.length > 0 ? ids.groups : undefined}
          aria-describedby={ids.groupHint}
          onChange={(event) => setGroup(event.target.value)}
        />
        {groups.length > 0 && (
          <datalist id={ids.groups}>
            {groups.map((label) => (
              <option key={label} value={label} />
            ))}
          </datalist>
        )}
        <p id={ids.groupHint} className="cg-hint">
          {t('indicators.form.groupHint')}
        </p>
      </div>
      <div className="cg-progress-form-field">
        <label htmlFor={ids.note}>{t('indicators.form.note')}</label>
        <input
          id={ids.note}
          className="cg-input"
          value={note}
          maxLength={MAX_VALUE_NOTE_LENGTH}
          enterKeyHint="send"
          autoComplete="off"
          onChange={(event) => setNote(event.target.value)}
        />
      </div>
      <FormEnd
        error={error}
        errorId={ids.error}
        submitLabel={t('indicators.form.post')}
        cancel={{ label: t('progress.form.cancel'), onCancel: () => props.onDone(false) }}
      />
    </form>
  )
}

/** A facilitator's list of the values, each with its Remove button (drawn only while open). */
function RemoveValues({ indicator }: { indicator: Indicator }) {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const [open, setOpen] = useState(false)
  return (
    <details
      className="cg-progress-history"
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t('indicators.entered', { count: indicator.values.length })}</summary>
      {open && (
        <ol>
          {[...indicator.values].reverse().map((value) => (
            <li key={value.id} data-value-id={value.id}>
              {formatDate(locale, value.date)}
              {value.group ? ` · ${value.group}` : ''}
              {' · '}
              {formatReading(locale, value.value, indicator.unit)}
              {' · '}
              {value.by}{' '}
              <button
                type="button"
                className="cg-link-button"
                onClick={() => {
                  if (!window.confirm(t('indicators.removeConfirm'))) return
                  board.commands.removeIndicatorValue(indicator.id, value.id)
                }}
              >
                {t('indicators.remove', { date: formatDate(locale, value.date), by: value.by })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </details>
  )
}
