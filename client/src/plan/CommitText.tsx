import { type KeyboardEvent, useId, useState } from 'react'
import { usePending } from './usePending.ts'

/**
 * A text field that keeps this person's draft while they type and writes it when they leave the
 * field or press Enter (Ctrl+Enter in a multi-line field); Escape goes back to what the plan
 * says. Until they type, the field follows the plan live (others' edits show); a field only
 * focused and left writes nothing, so it never puts back an older value over someone's edit.
 */
export function CommitText(props: {
  /** The visible label. */
  label: string
  /** A fuller name for screen readers, when the visible label needs its context (a table row). */
  accessibleName?: string
  value: string
  multiline?: boolean
  /** `date` gives the browser's date picker; the value is then `yyyy-mm-dd` or empty. */
  type?: 'text' | 'date'
  disabled?: boolean
  maxLength?: number
  className?: string
  onCommit(value: string): void
}) {
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const [shown, setShown] = usePending(props.value)
  const [invalid, setInvalid] = useState(false)

  function commit() {
    if (draft === null) return
    if (draft !== props.value) {
      try {
        props.onCommit(draft)
      } catch {
        // The writer refused it (checked in shared); keep the draft so nothing typed is lost.
        setInvalid(true)
        return
      }
      setShown(draft)
    }
    setInvalid(false)
    setDraft(null)
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      setDraft(null)
      setInvalid(false)
      // Escape stays with the field (tldraw would otherwise take it for the canvas).
      event.stopPropagation()
    } else if (event.key === 'Enter' && (!props.multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      commit()
    }
  }

  const common = {
    id,
    className: 'cg-input cg-plan-input',
    value: draft ?? shown,
    disabled: props.disabled,
    maxLength: props.maxLength,
    'aria-label': props.accessibleName,
    'aria-invalid': invalid || undefined,
    onBlur: commit,
    onKeyDown,
    onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
  }
  return (
    <div className={props.className ?? 'cg-plan-field'}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea rows={2} {...common} />
      ) : (
        <input type={props.type ?? 'text'} {...common} />
      )}
    </div>
  )
}
