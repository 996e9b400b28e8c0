/**
 * The answers of stages 0 and 6-8, entered as structured fields beside the canvas. Each field is
 * one entry of the plan map (see shared/src/plan/planData.ts), written through `setPlanEntry`,
 * which validates it; two people answering different fields never overwrite each other.
 */
import { newBoardId } from '@common-ground/shared/board'
import { formatNumber } from '@common-ground/shared/export'
import type { MessageKey } from '@common-ground/shared/i18n'
import {
  AGREEMENT_STATUSES,
  ANSWERS,
  type Answer,
  blankIndicatorEntry,
  type CapacityAssessment,
  type CommunityAssessment,
  type EvaluationPlan,
  GOVERNING_BODIES,
  INDICATOR_KINDS,
  type Indicator,
  MAX_UNIT_LENGTH,
  PARTNERSHIP_ROLES,
  type PartnershipStructure,
  REVIEW_CADENCES,
  type ReadinessItem,
} from '@common-ground/shared/plan'
import { type ReactNode, useId, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { parseTypedNumber } from './typedNumber.ts'
import { usePending } from './usePending.ts'

/**
 * A text field that shows what the plan says, except while this person is typing in it: the
 * plan is re-derived a moment later, and must not move the text under their fingers.
 */
function DraftText(props: {
  label: string
  value: string
  multiline?: boolean
  onChange(value: string): void
}) {
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const common = {
    id,
    className: 'cg-input cg-plan-input',
    value: draft ?? props.value,
    onFocus: () => setDraft(props.value),
    onBlur: () => setDraft(null),
    onChange: (event: { target: { value: string } }) => {
      setDraft(event.target.value)
      props.onChange(event.target.value)
    },
  }
  return (
    <div className="cg-plan-field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? <textarea rows={2} {...common} /> : <input {...common} />}
    </div>
  )
}

function AnswerChoice(props: {
  legend: string
  value: Answer | null
  onChange(answer: Answer): void
}) {
  const { t } = useI18n()
  const name = useId()
  const [shown, setShown] = usePending(props.value)
  return (
    <fieldset className="cg-plan-choice">
      <legend>{props.legend}</legend>
      {ANSWERS.map((answer) => (
        <label key={answer}>
          <input
            type="radio"
            name={name}
            checked={shown === answer}
            onChange={() => {
              setShown(answer)
              props.onChange(answer)
            }}
          />{' '}
          {t(`answer.${answer}`)}
        </label>
      ))}
    </fieldset>
  )
}

export function ReadinessAnswers({ items }: { items: ReadinessItem[] }) {
  const { commands } = useBoardModel()
  const { t } = useI18n()
  // Template questions are stored without their text: everyone reads them in their language.
  const write = (item: ReadinessItem, change: Partial<Pick<ReadinessItem, 'answer' | 'note'>>) =>
    commands.updatePlanEntry(`readiness/${item.id}`, change, {
      question: '',
      answer: null,
      note: '',
    })
  return (
    <div className="cg-plan-answers">
      {items.map((item) => (
        <div key={item.id} className="cg-plan-question">
          <AnswerChoice
            legend={item.question}
            value={item.answer}
            onChange={(answer) => write(item, { answer })}
          />
          <DraftText
            label={t('plan.note')}
            value={item.note}
            onChange={(note) => write(item, { note })}
          />
        </div>
      ))}
    </div>
  )
}

const COMMUNITY_FIELDS: ReadonlyArray<[keyof CommunityAssessment, MessageKey]> = [
  ['needs', 'community.needs'],
  ['resources', 'community.resources'],
  ['whoWeServe', 'community.whoWeServe'],
  ['demographics', 'community.demographics'],
  ['howToReach', 'community.howToReach'],
  ['trends', 'community.trends'],
]

/** Free-text answers of one part of the plan, each its own plan entry (`<part>/<field>`). */
function TextAnswers<F extends string>(props: {
  part: string
  fields: ReadonlyArray<[F, MessageKey]>
  values: Record<F, string>
}) {
  const { commands } = useBoardModel()
  const { t } = useI18n()
  return props.fields.map(([field, label]) => (
    <DraftText
      key={field}
      label={t(label)}
      multiline
      value={props.values[field]}
      onChange={(text) => commands.setPlanEntry(`${props.part}/${field}`, text)}
    />
  ))
}

export function CommunityAnswers({ values }: { values: CommunityAssessment }) {
  return (
    <div className="cg-plan-answers">
      <TextAnswers part="community" fields={COMMUNITY_FIELDS} values={values} />
    </div>
  )
}

const CAPACITY_TEXT_FIELDS: ReadonlyArray<
  [Exclude<keyof CapacityAssessment, 'leadershipDiverse'>, MessageKey]
> = [
  ['leadership', 'capacity.leadership'],
  ['organizationsInvolved', 'capacity.organizationsInvolved'],
  ['trainingNeeded', 'capacity.trainingNeeded'],
  ['staffHours', 'capacity.staffHours'],
  ['barriers', 'capacity.barriers'],
]

export function CapacityAnswers({ values }: { values: CapacityAssessment }) {
  const { commands } = useBoardModel()
  const { t } = useI18n()
  return (
    <div className="cg-plan-answers">
      <TextAnswers part="capacity" fields={CAPACITY_TEXT_FIELDS} values={values} />
      <AnswerChoice
        legend={t('capacity.leadershipDiverse')}
        value={values.leadershipDiverse}
        onChange={(answer) => commands.setPlanEntry('capacity/leadershipDiverse', answer)}
      />
    </div>
  )
}

/** A choice from a short list; `null` (the first option) until someone decides. */
function ChoiceSelect<V extends string>(props: {
  label: string
  value: V | null
  options: readonly V[]
  optionLabel(option: V): string
  unsetLabel?: string
  disabled?: boolean
  /** A line under the field (why it is disabled). */
  hint?: string
  onChange(value: V | null): void
}) {
  const id = useId()
  const hintId = useId()
  const [shown, setShown] = usePending(props.value)
  return (
    <div className="cg-plan-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        className="cg-select cg-plan-input"
        disabled={props.disabled}
        aria-describedby={props.hint ? hintId : undefined}
        value={shown ?? ''}
        onChange={(event) => {
          const value = (event.target.value || null) as V | null
          setShown(value)
          props.onChange(value)
        }}
      >
        {props.unsetLabel !== undefined && <option value="">{props.unsetLabel}</option>}
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.optionLabel(option)}
          </option>
        ))}
      </select>
      {props.hint && (
        <p id={hintId} className="cg-hint">
          {props.hint}
        </p>
      )}
    </div>
  )
}

/**
 * A number field (a baseline, a target): written as soon as it reads as a number in the
 * person's language, cleared when emptied; anything else is said and not written.
 */
function DraftNumber(props: {
  label: string
  value: number | null
  onChange(value: number | null): void
}) {
  const { t, locale } = useI18n()
  const id = useId()
  const errorId = useId()
  const shownValue = props.value === null ? '' : formatNumber(locale, props.value)
  const [draft, setDraft] = useState<string | null>(null)
  const text = draft ?? shownValue
  const parsed = text.trim() === '' ? null : parseTypedNumber(text, locale)
  const invalid = text.trim() !== '' && parsed === null
  return (
    <div className="cg-plan-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        className="cg-input cg-plan-input"
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
        onFocus={() => setDraft(shownValue)}
        onBlur={() => setDraft(null)}
        onChange={(event) => {
          const next = event.target.value
          setDraft(next)
          const value = next.trim() === '' ? null : parseTypedNumber(next, locale)
          if (next.trim() === '' || value !== null) props.onChange(value)
        }}
      />
      {invalid && (
        <p id={errorId} className="cg-error">
          {t('evaluation.numberInvalid')}
        </p>
      )}
    </div>
  )
}

/** Stage 7's indicators, each with who measures it, unit, baseline, target and how often. */
function IndicatorList({ indicators }: { indicators: readonly Indicator[] }) {
  const { commands } = useBoardModel()
  const { facilitator } = useBoardAccess()
  const plan = usePlan()
  const { t } = useI18n()
  const names = new Map(plan.organizations.map((org) => [org.id, org.name]))
  return (
    <>
      <ul className="cg-plan-items">
        {indicators.map((indicator, index) => {
          const key = `evaluation/indicators/${indicator.id}`
          const count = indicator.values.length
          const organizations = plan.organizations.map((org) => org.id)
          // A card removed since keeps its place in the list (unnamed) until changed.
          if (indicator.organization && !names.has(indicator.organization))
            organizations.push(indicator.organization)
          return (
            <li key={indicator.id} data-indicator-id={indicator.id}>
              <DraftText
                label={t('evaluation.indicator', { number: index + 1 })}
                value={indicator.name}
                onChange={(name) => commands.updatePlanEntry(key, { name })}
              />
              <ChoiceSelect
                label={t('evaluation.kind')}
                value={indicator.kind}
                options={INDICATOR_KINDS}
                optionLabel={(kind) => t(`evaluation.kind.${kind}`)}
                disabled={count > 0}
                hint={count > 0 ? t('evaluation.kindLocked') : undefined}
                onChange={(kind) => kind && commands.updatePlanEntry(key, { kind })}
              />
              <DraftText
                label={t('evaluation.dataSource')}
                value={indicator.dataSource}
                onChange={(dataSource) => commands.updatePlanEntry(key, { dataSource })}
              />
              <ChoiceSelect
                label={t('action.organization')}
                value={indicator.organization}
                options={organizations}
                optionLabel={(id) => names.get(id) || t('card.org.untitled')}
                unsetLabel={t('action.noOrganization')}
                onChange={(organization) => commands.updatePlanEntry(key, { organization })}
              />
              {indicator.kind === 'quantitative' && (
                <>
                  <DraftText
                    label={t('evaluation.unit')}
                    value={indicator.unit}
                    onChange={(unit) =>
                      commands.updatePlanEntry(key, {
                        unit: unit.replace(/[\r\n]+/g, ' ').slice(0, MAX_UNIT_LENGTH),
                      })
                    }
                  />
                  <DraftNumber
                    label={t('evaluation.baseline')}
                    value={indicator.baseline}
                    onChange={(baseline) => commands.updatePlanEntry(key, { baseline })}
                  />
                  <DraftNumber
                    label={t('evaluation.target')}
                    value={indicator.target}
                    onChange={(target) => commands.updatePlanEntry(key, { target })}
                  />
                </>
              )}
              <ChoiceSelect
                label={t('evaluation.frequency')}
                value={indicator.frequency}
                options={REVIEW_CADENCES}
                optionLabel={(cadence) => t(`evaluation.cadence.${cadence}`)}
                unsetLabel={t('plan.notDecided')}
                onChange={(frequency) => commands.updatePlanEntry(key, { frequency })}
              />
              {count === 0 ? (
                <button
                  type="button"
                  className="cg-link-button"
                  onClick={() => commands.removeIndicator(indicator.id)}
                >
                  {t('evaluation.removeIndicator', { number: index + 1 })}
                </button>
              ) : facilitator ? (
                <button
                  type="button"
                  className="cg-link-button"
                  onClick={() => {
                    if (!window.confirm(t('evaluation.removeConfirm', { count }))) return
                    commands.removeIndicator(indicator.id)
                  }}
                >
                  {t('evaluation.removeWithValues', { number: index + 1, count })}
                </button>
              ) : (
                <p className="cg-hint">{t('evaluation.removeFacilitatorsOnly')}</p>
              )}
            </li>
          )
        })}
      </ul>
      <button
        type="button"
        className="cg-button"
        onClick={() =>
          commands.setPlanEntry(`evaluation/indicators/${newItemId()}`, blankIndicatorEntry())
        }
      >
        {t('evaluation.addIndicator')}
      </button>
    </>
  )
}

/** A new item id for a plan list (short, safe in a key). */
const newItemId = () => newBoardId().slice(0, 12)

/**
 * A list kept as one plan entry per item (`<prefix>/<id>`): each item's fields, a button that
 * removes it, and one that adds a new item with `blank` values.
 */
function PlanList<I extends { id: string }>(props: {
  prefix: string
  items: readonly I[]
  blank: object
  addLabel: string
  removeLabel(index: number): string
  renderItem(item: I, index: number, key: string): ReactNode
}) {
  const { prefix } = props
  const { commands } = useBoardModel()
  return (
    <>
      <ul className="cg-plan-items">
        {props.items.map((item, index) => {
          const key = `${prefix}/${item.id}`
          return (
            <li key={item.id}>
              {props.renderItem(item, index, key)}
              <button
                type="button"
                className="cg-link-button"
                onClick={() => commands.setPlanEntry(key, undefined)}
              >
                {props.removeLabel(index)}
              </button>
            </li>
          )
        })}
      </ul>
      <button
        type="button"
        className="cg-button"
        onClick={() => commands.setPlanEntry(`${prefix}/${newItemId()}`, props.blank)}
      >
        {props.addLabel}
      </button>
    </>
  )
}

export function EvaluationAnswers({ values }: { values: EvaluationPlan }) {
  const { commands } = useBoardModel()
  const { t } = useI18n()
  return (
    <div className="cg-plan-answers">
      <IndicatorList indicators={values.indicators} />
      <DraftText
        label={t('evaluation.dataSharing')}
        multiline
        value={values.dataSharing}
        onChange={(text) => commands.setPlanEntry('evaluation/dataSharing', text)}
      />
      <ChoiceSelect
        label={t('evaluation.reviewCadence')}
        value={values.reviewCadence}
        options={REVIEW_CADENCES}
        optionLabel={(cadence) => t(`evaluation.cadence.${cadence}`)}
        unsetLabel={t('plan.notDecided')}
        onChange={(cadence) => commands.setPlanEntry('evaluation/reviewCadence', cadence)}
      />
      <DraftText
        label={t('evaluation.sustain')}
        multiline
        value={values.sustain}
        onChange={(text) => commands.setPlanEntry('evaluation/sustain', text)}
      />
    </div>
  )
}

export function StructureAnswers({ values }: { values: PartnershipStructure }) {
  const { commands } = useBoardModel()
  const { t } = useI18n()
  const [bodies, setBodies] = usePending(values.bodies)
  return (
    <div className="cg-plan-answers">
      <DraftText
        label={t('structure.backbone')}
        value={values.backbone}
        onChange={(text) => commands.setPlanEntry('structure/backbone', text)}
      />
      <PlanList
        prefix="structure/roles"
        items={values.roles}
        blank={{ role: 'outreach', holder: '', note: '' }}
        addLabel={t('structure.addRole')}
        removeLabel={(index) => t('structure.removeRole', { number: index + 1 })}
        renderItem={(assignment, index, key) => (
          <>
            <ChoiceSelect
              label={t('structure.role', { number: index + 1 })}
              value={assignment.role}
              options={PARTNERSHIP_ROLES}
              optionLabel={(role) => t(`structure.role.${role}`)}
              onChange={(role) => role && commands.updatePlanEntry(key, { role })}
            />
            <DraftText
              label={t('structure.holder')}
              value={assignment.holder}
              onChange={(holder) => commands.updatePlanEntry(key, { holder })}
            />
          </>
        )}
      />
      <fieldset className="cg-plan-choice">
        <legend>{t('structure.bodies')}</legend>
        {GOVERNING_BODIES.map((body) => (
          <label key={body}>
            <input
              type="checkbox"
              checked={bodies.includes(body)}
              onChange={(event) => {
                setBodies(commands.setGoverningBody(body, event.target.checked))
              }}
            />{' '}
            {t(`structure.body.${body}`)}
          </label>
        ))}
      </fieldset>
      <ChoiceSelect
        label={t('structure.agreement')}
        value={values.agreement}
        options={AGREEMENT_STATUSES}
        optionLabel={(status) => t(`structure.agreement.${status}`)}
        unsetLabel={t('plan.notDecided')}
        onChange={(status) => commands.setPlanEntry('structure/agreement', status)}
      />
      <DraftText
        label={t('structure.agreementNotes')}
        multiline
        value={values.agreementNotes}
        onChange={(text) => commands.setPlanEntry('structure/agreementNotes', text)}
      />
    </div>
  )
}
