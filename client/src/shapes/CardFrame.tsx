/**
 * What both cards share: the card surface (looks like a paper card beside tldraw's notes), the
 * editing behaviour (inputs take pointer and keyboard only while editing; Escape or "Done"
 * leaves), and the read-only field rendering.
 */
import { type ReactNode, useEffect, useRef } from 'react'
import { stopEventPropagation, type TLShapeId, useEditor, useIsEditing } from 'tldraw'
import { useCardText } from './cardText.ts'

/** The type size of a card's fields, in page units (`.cg-plan-card` in cards.css). */
export const CARD_FIELD_FONT_SIZE = 14

export function CardFrame(props: {
  shapeId: TLShapeId
  kind: 'organization' | 'intersection'
  /** Accessible name of the card (its type and title). */
  label: string
  children: (editing: boolean) => ReactNode
}) {
  const editor = useEditor()
  const t = useCardText()
  const editing = useIsEditing(props.shapeId)
  const root = useRef<HTMLDivElement>(null)

  // Entering edit mode (double-click or Enter) puts the keyboard in the first field.
  // After a double-click tldraw focuses its own container once the pointer is up, so the first
  // field is focused a frame later (and again if the canvas took focus back meanwhile).
  // `preventScroll`: focusing must never scroll the canvas layers.
  useEffect(() => {
    if (!editing) return
    const focusFirst = () => {
      const card = root.current
      if (!card || card.contains(document.activeElement)) return
      card
        .querySelector<HTMLElement>('input, select, textarea, button')
        ?.focus({ preventScroll: true })
    }
    focusFirst()
    const frame = requestAnimationFrame(() => requestAnimationFrame(focusFirst))
    return () => cancelAnimationFrame(frame)
  }, [editing])

  const finish = () => {
    editor.complete()
    editor.getContainer().focus()
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would change the card's layout and semantics while reading
    <div
      ref={root}
      className={`cg-plan-card cg-plan-card--${props.kind}`}
      data-editing={editing}
      role="group"
      aria-label={props.label}
      onPointerDown={editing ? stopEventPropagation : undefined}
      onWheel={editing ? stopEventPropagation : undefined}
      onKeyDown={(event) => {
        if (!editing) return
        if (event.key === 'Escape') {
          event.preventDefault()
          finish()
        }
        // Keys typed into a field are the field's, not tldraw's shortcuts.
        event.stopPropagation()
      }}
    >
      <div className="cg-plan-card__body">{props.children(editing)}</div>
      {editing ? (
        <div className="cg-plan-card__footer">
          <button type="button" className="cg-plan-card__button" onClick={finish}>
            {t('card.done')}
          </button>
        </div>
      ) : null}
    </div>
  )
}

/** A labelled value when reading; nothing is shown as a muted dash. */
export function ReadField(props: { label: string; value: string }) {
  return (
    <div className="cg-plan-card__field">
      <div className="cg-plan-card__label">{props.label}</div>
      <div
        className={
          props.value ? 'cg-plan-card__value' : 'cg-plan-card__value cg-plan-card__value--empty'
        }
      >
        {props.value || '—'}
      </div>
    </div>
  )
}

let nextFieldId = 0
/** A stable id for label/field pairs within one card render. */
export function useFieldId(prefix: string): string {
  const id = useRef<string | null>(null)
  id.current ??= `${prefix}-${++nextFieldId}`
  return id.current
}

/** A field while editing: its label above the control, which `children` draws with `id`. */
function EditField(props: { label: string; idPrefix: string; children(id: string): ReactNode }) {
  const id = useFieldId(props.idPrefix)
  return (
    <div className="cg-plan-card__field">
      <label className="cg-plan-card__label" htmlFor={id}>
        {props.label}
      </label>
      {props.children(id)}
    </div>
  )
}

export function TextField(props: {
  label: string
  value: string
  multiline?: boolean
  maxLength: number
  onChange(value: string): void
}) {
  return (
    <EditField label={props.label} idPrefix="cg-field">
      {(id) =>
        props.multiline ? (
          <textarea
            id={id}
            className="cg-plan-card__input"
            rows={2}
            value={props.value}
            maxLength={props.maxLength}
            onChange={(event) => props.onChange(event.currentTarget.value)}
          />
        ) : (
          <input
            id={id}
            className="cg-plan-card__input"
            value={props.value}
            maxLength={props.maxLength}
            onChange={(event) => props.onChange(event.currentTarget.value)}
          />
        )
      }
    </EditField>
  )
}

export function SelectField<V extends string>(props: {
  label: string
  value: V | null
  options: readonly { value: V | null; label: string }[]
  onChange(value: V | null): void
}) {
  return (
    <EditField label={props.label} idPrefix="cg-select">
      {(id) => (
        <select
          id={id}
          className="cg-plan-card__input"
          value={props.value ?? ''}
          onChange={(event) => {
            const chosen = props.options.find(
              (option) => (option.value ?? '') === event.currentTarget.value,
            )
            props.onChange(chosen ? chosen.value : null)
          }}
        >
          {props.options.map((option) => (
            <option key={option.value ?? ''} value={option.value ?? ''}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </EditField>
  )
}
