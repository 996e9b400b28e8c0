import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import {
  type Activity,
  ANSWERS,
  defaultOrganizationCardProps,
  MAX_ACTIVITIES,
  ORGANIZATION_CARD,
  ORGANIZATION_KINDS,
  type OrganizationCardProps,
  organizationCardMigrations,
  organizationCardProps,
} from '@common-ground/shared/plan'
import { useEffect, useRef } from 'react'
import { type RecordProps, useEditor } from 'tldraw'
import { CardFrame, ReadField, SelectField, TextField } from './CardFrame.tsx'
import { CardShapeUtil } from './CardShapeUtil.tsx'
import { useCardText } from './cardText.ts'
import type { OrganizationCardShape } from './shapeTypes.ts'

export class OrganizationCardShapeUtil extends CardShapeUtil<OrganizationCardShape> {
  static override type = ORGANIZATION_CARD
  static override props: RecordProps<OrganizationCardShape> = organizationCardProps
  static override migrations = organizationCardMigrations
  readonly Card = OrganizationCard

  getDefaultProps(): OrganizationCardProps {
    return defaultOrganizationCardProps()
  }

  override getText(shape: OrganizationCardShape) {
    const { name, activities, fundingSources, offers, needs } = shape.props
    return [name, ...activities.map((row) => row.activity), fundingSources, offers, needs]
      .filter(Boolean)
      .join('\n')
  }

  override getAriaDescriptor(shape: OrganizationCardShape) {
    return shape.props.name || undefined
  }
}

function OrganizationCard({ shape }: { shape: OrganizationCardShape }) {
  const editor = useEditor()
  const t = useCardText()
  const { props } = shape
  const update = (patch: Partial<OrganizationCardProps>) =>
    editor.updateShape<OrganizationCardShape>({
      id: shape.id,
      type: ORGANIZATION_CARD,
      props: patch,
    })
  // Adding or removing a row moves the keyboard to a row (a new one, or the one that took the
  // removed one's place), never to the page: the button pressed may be gone.
  const activitiesGroup = useRef<HTMLFieldSetElement>(null)
  const focusRow = useRef<number | null>(null)
  const activityCount = props.activities.length
  useEffect(() => {
    const row = focusRow.current
    if (row === null || !activitiesGroup.current) return
    focusRow.current = null
    const inputs = activitiesGroup.current.querySelectorAll<HTMLInputElement>('[data-activity]')
    const target =
      inputs[Math.min(row, activityCount - 1)] ??
      activitiesGroup.current.querySelector<HTMLButtonElement>('[data-add-activity]')
    target?.focus({ preventScroll: true })
  }, [activityCount])
  const setActivity = (index: number, patch: Partial<Activity>) =>
    update({
      activities: props.activities.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    })

  const kindOptions = [
    { value: null, label: t('orgKind.unset') },
    ...ORGANIZATION_KINDS.map((kind) => ({ value: kind, label: t(`orgKind.${kind}`) })),
  ]
  const answerOptions = [
    { value: null, label: t('answer.unanswered') },
    ...ANSWERS.map((answer) => ({ value: answer, label: t(`answer.${answer}`) })),
  ]
  const kindLabel = props.kind ? t(`orgKind.${props.kind}`) : ''
  const answerLabel = props.performanceAffectsFunding
    ? t(`answer.${props.performanceAffectsFunding}`)
    : ''
  const name = props.name || t('card.org.untitled')

  return (
    <CardFrame shapeId={shape.id} kind="organization" label={`${t('card.org.label')}: ${name}`}>
      {(editing) =>
        editing ? (
          <>
            <TextField
              label={t('card.org.name')}
              value={props.name}
              maxLength={MAX_LINE_LENGTH}
              onChange={(value) => update({ name: value })}
            />
            <SelectField
              label={t('card.org.kind')}
              value={props.kind}
              options={kindOptions}
              onChange={(value) => update({ kind: value })}
            />
            <fieldset className="cg-plan-card__group" ref={activitiesGroup}>
              <legend className="cg-plan-card__label">{t('card.org.activities')}</legend>
              {props.activities.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their place
                <div className="cg-plan-card__row" key={index}>
                  <input
                    className="cg-plan-card__input"
                    data-activity
                    aria-label={t('card.org.activity', { number: index + 1 })}
                    value={row.activity}
                    maxLength={MAX_LINE_LENGTH}
                    onChange={(event) =>
                      setActivity(index, { activity: event.currentTarget.value })
                    }
                  />
                  <input
                    className="cg-plan-card__input"
                    aria-label={t('card.org.measure', { number: index + 1 })}
                    placeholder={t('card.org.measure', { number: index + 1 })}
                    value={row.measure}
                    maxLength={MAX_LINE_LENGTH}
                    onChange={(event) => setActivity(index, { measure: event.currentTarget.value })}
                  />
                  <button
                    type="button"
                    className="cg-plan-card__icon-button"
                    aria-label={t('card.org.removeActivity', { number: index + 1 })}
                    onClick={() => {
                      focusRow.current = index
                      update({ activities: props.activities.filter((_, i) => i !== index) })
                    }}
                  >
                    ×
                  </button>
                </div>
              ))}
              {props.activities.length < MAX_ACTIVITIES ? (
                <button
                  type="button"
                  className="cg-plan-card__button"
                  data-add-activity
                  onClick={() => {
                    focusRow.current = props.activities.length
                    update({ activities: [...props.activities, { activity: '', measure: '' }] })
                  }}
                >
                  {t('card.org.addActivity')}
                </button>
              ) : null}
            </fieldset>
            <TextField
              label={t('card.org.funding')}
              value={props.fundingSources}
              multiline
              maxLength={MAX_TEXT_LENGTH}
              onChange={(value) => update({ fundingSources: value })}
            />
            <SelectField
              label={t('card.org.performanceFunding')}
              value={props.performanceAffectsFunding}
              options={answerOptions}
              onChange={(value) => update({ performanceAffectsFunding: value })}
            />
            <TextField
              label={t('card.org.offers')}
              value={props.offers}
              multiline
              maxLength={MAX_TEXT_LENGTH}
              onChange={(value) => update({ offers: value })}
            />
            <TextField
              label={t('card.org.needs')}
              value={props.needs}
              multiline
              maxLength={MAX_TEXT_LENGTH}
              onChange={(value) => update({ needs: value })}
            />
          </>
        ) : (
          <>
            <div className="cg-plan-card__eyebrow">{kindLabel || t('card.org.label')}</div>
            <div
              className={
                props.name
                  ? 'cg-plan-card__title'
                  : 'cg-plan-card__title cg-plan-card__value--empty'
              }
            >
              {name}
            </div>
            <div className="cg-plan-card__field">
              <div className="cg-plan-card__label">{t('card.org.activities')}</div>
              {props.activities.length === 0 ? (
                <div className="cg-plan-card__value cg-plan-card__value--empty">—</div>
              ) : (
                <ul className="cg-plan-card__list">
                  {props.activities.map((row, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their place
                    <li key={index}>
                      {row.activity}
                      {row.measure ? (
                        <span className="cg-plan-card__measure"> — {row.measure}</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <ReadField label={t('card.org.funding')} value={props.fundingSources} />
            <ReadField label={t('card.org.performanceFunding')} value={answerLabel} />
            <ReadField label={t('card.org.offers')} value={props.offers} />
            <ReadField label={t('card.org.needs')} value={props.needs} />
          </>
        )
      }
    </CardFrame>
  )
}
