import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { DEBOUNCE_MS, holdPending } from './liveFields.ts'
import { usePending } from './usePending.ts'

/**
 * A text field that writes what this person types as they type it (a moment later, see
 * liveFields.ts), and at once when they leave the field, press Enter (Ctrl+Enter in a multi-line
 * field) or Escape (which keeps the text, as on a canvas card), when the page is hidden or
 * closed, and before an export. Until they type, the field follows the plan live (others' edits
 * show); a field only focused and left writes nothing, so it never puts back an older value over
 * someone's edit.
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
  // The text typed but not yet written, and the timer that writes it; refs, so a flush from
  // outside React (page hidden, export) sees the latest.
  const unwritten = useRef<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const release = useRef<(() => void) | null>(null)
  const onCommit = useRef(props.onCommit)
  onCommit.current = props.onCommit
  const written = useRef(props.value)
  written.current = props.value

  /** Writes what is waiting; false when the writer refused it (the draft stays, marked). */
  function write(): boolean {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    release.current?.()
    release.current = null
    const text = unwritten.current
    unwritten.current = null
    if (text === null || text === written.current) return true
    try {
      onCommit.current(text)
    } catch {
      // The writer refused it (checked in shared); keep the draft so nothing typed is lost.
      setInvalid(true)
      return false
    }
    written.current = text
    setShown(text)
    setInvalid(false)
    return true
  }

  function type(text: string) {
    setDraft(text)
    unwritten.current = text
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(write, DEBOUNCE_MS)
    release.current ??= holdPending(write)
  }

  /** Leaving the field: write now and follow the plan again. */
  function commit() {
    if (write()) setDraft(null)
  }

  // A field that goes away (its panel closed) writes what it was still holding.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on unmount
  useEffect(() => () => void write(), [])

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      commit()
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
    onChange: (event: { target: { value: string } }) => type(event.target.value),
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
