/**
 * The answers of stages 0 and 6, entered as structured fields beside the canvas. Each field is
 * one entry of the plan map (see shared/src/plan/planData.ts), written through `setPlanEntry`,
 * which validates it; two people answering different fields never overwrite each other.
 */
import {
  ANSWERS,
  type Answer,
  type CapacityAssessment,
  type CommunityAssessment,
  type MessageKey,
  type ReadinessItem,
  setPlanEntry,
} from '@common-ground/shared'
import { useEffect, useId, useState } from 'react'
import type * as Y from 'yjs'
import { useI18n } from '../i18n/I18nProvider.tsx'

const ANSWER_KEYS = {
  yes: 'answer.yes',
  no: 'answer.no',
  unsure: 'answer.unsure',
} as const satisfies Record<Answer, MessageKey>

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
  // Show the choice at once; the derived plan confirms it a moment later (then this yields to it).
  const [pending, setPending] = useState<Answer | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new plan value is the signal to yield
  useEffect(() => setPending(null), [props.value])
  const shown = pending ?? props.value
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
              setPending(answer)
              props.onChange(answer)
            }}
          />{' '}
          {t(ANSWER_KEYS[answer])}
        </label>
      ))}
    </fieldset>
  )
}

export function ReadinessAnswers({ doc, items }: { doc: Y.Doc; items: ReadinessItem[] }) {
  const { t } = useI18n()
  // Template questions are stored without their text: everyone reads them in their language.
  const write = (item: ReadinessItem, change: Partial<Pick<ReadinessItem, 'answer' | 'note'>>) =>
    setPlanEntry(doc, `readiness/${item.id}`, {
      question: '',
      answer: change.answer ?? item.answer,
      note: change.note ?? item.note,
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

export function CommunityAnswers({ doc, values }: { doc: Y.Doc; values: CommunityAssessment }) {
  const { t } = useI18n()
  return (
    <div className="cg-plan-answers">
      {COMMUNITY_FIELDS.map(([field, label]) => (
        <DraftText
          key={field}
          label={t(label)}
          multiline
          value={values[field]}
          onChange={(text) => setPlanEntry(doc, `community/${field}`, text)}
        />
      ))}
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

export function CapacityAnswers({ doc, values }: { doc: Y.Doc; values: CapacityAssessment }) {
  const { t } = useI18n()
  return (
    <div className="cg-plan-answers">
      {CAPACITY_TEXT_FIELDS.map(([field, label]) => (
        <DraftText
          key={field}
          label={t(label)}
          multiline
          value={values[field]}
          onChange={(text) => setPlanEntry(doc, `capacity/${field}`, text)}
        />
      ))}
      <AnswerChoice
        legend={t('capacity.leadershipDiverse')}
        value={values.leadershipDiverse}
        onChange={(answer) => setPlanEntry(doc, 'capacity/leadershipDiverse', answer)}
      />
    </div>
  )
}
