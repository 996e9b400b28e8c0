import { MAX_LINE_LENGTH, MAX_TEXT_LENGTH } from '@common-ground/shared/board'
import {
  defaultIntersectionCardProps,
  INTERSECTION_CARD,
  type IntersectionCardProps,
  intersectionCardMigrations,
  intersectionCardProps,
} from '@common-ground/shared/plan'
import { type RecordProps, useEditor } from 'tldraw'
import { CardFrame, ReadField, TextField } from './CardFrame.tsx'
import { CardShapeUtil } from './CardShapeUtil.tsx'
import { useCardText } from './cardText.ts'
import type { IntersectionCardShape } from './shapeTypes.ts'

export class IntersectionCardShapeUtil extends CardShapeUtil<IntersectionCardShape> {
  static override type = INTERSECTION_CARD
  static override props: RecordProps<IntersectionCardShape> = intersectionCardProps
  static override migrations = intersectionCardMigrations
  readonly Card = IntersectionCard

  getDefaultProps(): IntersectionCardProps {
    return defaultIntersectionCardProps()
  }

  override getText(shape: IntersectionCardShape) {
    const { title, ideal, result, evidence } = shape.props
    return [title, ideal, result, evidence].filter(Boolean).join('\n')
  }

  override getAriaDescriptor(shape: IntersectionCardShape) {
    return shape.props.title || undefined
  }
}

const TEXT_FIELDS = [
  ['ideal', 'card.intersection.ideal'],
  ['result', 'card.intersection.result'],
  ['evidence', 'card.intersection.evidence'],
] as const

function IntersectionCard({ shape }: { shape: IntersectionCardShape }) {
  const editor = useEditor()
  const t = useCardText()
  const { props } = shape
  const update = (patch: Partial<IntersectionCardProps>) =>
    editor.updateShape<IntersectionCardShape>({
      id: shape.id,
      type: INTERSECTION_CARD,
      props: patch,
    })
  const title = props.title || t('card.intersection.untitled')

  return (
    <CardFrame
      shapeId={shape.id}
      kind="intersection"
      label={`${t('card.intersection.label')}: ${title}`}
    >
      {(editing) =>
        editing ? (
          <>
            <TextField
              label={t('card.intersection.title')}
              value={props.title}
              maxLength={MAX_LINE_LENGTH}
              onChange={(value) => update({ title: value })}
            />
            {TEXT_FIELDS.map(([field, key]) => (
              <TextField
                key={field}
                label={t(key)}
                value={props[field]}
                multiline
                maxLength={MAX_TEXT_LENGTH}
                onChange={(value) => update({ [field]: value })}
              />
            ))}
          </>
        ) : (
          <>
            <div className="cg-plan-card__eyebrow">{t('card.intersection.label')}</div>
            <div
              className={
                props.title
                  ? 'cg-plan-card__title'
                  : 'cg-plan-card__title cg-plan-card__value--empty'
              }
            >
              {title}
            </div>
            {TEXT_FIELDS.map(([field, key]) => (
              <ReadField key={field} label={t(key)} value={props[field]} />
            ))}
          </>
        )
      }
    </CardFrame>
  )
}
