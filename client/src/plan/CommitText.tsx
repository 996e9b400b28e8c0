import {
  mergeIntoField,
  PLAN,
  type TextEntryChange,
  TextEntryWatch,
} from '@common-ground/shared/plan'
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { flushSync } from 'react-dom'
import type * as Y from 'yjs'
import { DEBOUNCE_MS, holdPending, keepWatching } from './liveFields.ts'
import { usePending } from './usePending.ts'

/**
 * A text field that writes what this person types as they type it (a moment later, see
 * liveFields.ts), and at once when they leave the field, press Enter (Ctrl+Enter in a multi-line
 * field) or Escape (which keeps the text, as on a canvas card), when the page is hidden or
 * closed, and before an export. Until they type, the field follows the plan live (others' edits
 * show); a field only focused and left writes nothing, so it never puts back an older value over
 * someone's edit.
 *
 * With `entry` (the plan key it writes), two people typing here at once both keep their text
 * (issue 15): a value someone else wrote while this person has text of their own here (typed,
 * not yet written, or written and overwritten by a concurrent write) is merged with it,
 * three-way (`TextEntryWatch` finds the base, `mergeText` merges), the caret stays where it was
 * in their text, and the result is written as typing is. The board keeps plain strings.
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
  /** The `plan` entry this field writes: merges others' concurrent typing (not for dates). */
  entry?: { doc: Y.Doc; key: string }
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
  // With `entry`: the entry as the board holds it now (immediate, where the plan is throttled),
  // the text in the field when it is not rendered yet, and where the caret goes after a merge.
  const watch = useRef<TextEntryWatch | null>(null)
  const [following, setFollowing] = useState<string | null>(null)
  const draftNow = useRef<string | null>(null)
  const element = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const selection = useRef<[number, number] | null>(null)

  function showDraft(text: string | null) {
    draftNow.current = text
    setDraft(text)
  }

  /** Writes what is waiting; false when the writer refused it (the draft stays, marked). */
  function write(): boolean {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    release.current?.()
    release.current = null
    const text = unwritten.current
    unwritten.current = null
    if (text === null || text === (watch.current?.value ?? written.current)) return true
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
    showDraft(text)
    hold(text)
  }

  /** Writes `text` a moment later (or at once when the field is left, the page hidden…). */
  function hold(text: string) {
    unwritten.current = text
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(write, DEBOUNCE_MS)
    release.current ??= holdPending(write)
  }

  /** Nothing is waiting any more (the board already holds it). */
  function drop() {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    release.current?.()
    release.current = null
    unwritten.current = null
  }

  /** Leaving the field: write now and follow the plan again. */
  function commit() {
    if (write()) showDraft(null)
  }

  /** Someone else's value reached the entry: merged with what this person has here. */
  const onBoardChange = useRef<(change: TextEntryChange) => void>(() => {})
  onBoardChange.current = (change) => {
    setFollowing(watch.current?.value ?? change.value)
    // Their own text that the board may not hold: typed and not written yet, in the field
    // while they are in it, or their value that lost the key to someone else's.
    const mine = unwritten.current ?? draftNow.current ?? change.lost
    const field = element.current
    const caret = field !== null && draftNow.current !== null && document.activeElement === field
    const merged = mergeIntoField(
      change,
      mine,
      caret ? [field.selectionStart ?? 0, field.selectionEnd ?? 0] : [],
    )
    if (!merged) return
    if (merged.write) hold(merged.text)
    else drop()
    if (draftNow.current === null) {
      setShown(merged.text)
      if (merged.write) setFollowing(merged.text)
      return
    }
    if (caret) selection.current = [merged.carets[0] ?? 0, merged.carets[1] ?? 0]
    // At once: a key pressed next goes into the merged text, not into the one before it.
    flushSync(() => showDraft(merged.text))
  }

  const doc = props.entry?.doc
  const key = props.entry?.key
  // biome-ignore lint/correctness/useExhaustiveDependencies: write reads refs only; one watch per entry
  useEffect(() => {
    if (!doc || key === undefined) return
    const entryWatch = new TextEntryWatch(doc.getMap(PLAN), key)
    watch.current = entryWatch
    setFollowing(entryWatch.value)
    const stop = entryWatch.subscribe((change) => onBoardChange.current(change))
    return () => {
      stop()
      // What is waiting is written now, while this watch still counts it as theirs: a write
      // that may yet lose to one made at the same moment, and is brought back then.
      write()
      keepWatching(entryWatch, (text) => onCommit.current(text))
      if (watch.current === entryWatch) watch.current = null
      setFollowing(null)
    }
  }, [doc, key])

  // The caret back where it was in the person's text, after a merge changed the text.
  useLayoutEffect(() => {
    const at = selection.current
    selection.current = null
    if (at && element.current) element.current.setSelectionRange(at[0], at[1])
  })

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
    ref: element,
    className: 'cg-input cg-plan-input',
    value: draft ?? following ?? shown,
    disabled: props.disabled,
    maxLength: props.maxLength,
    'aria-label': props.accessibleName,
    'aria-invalid': invalid || undefined,
    onBlur: commit,
    // In the field, others' typing merges into what it shows, caret kept, even before this
    // person types.
    onFocus: () => {
      if (watch.current && draftNow.current === null) showDraft(watch.current.value)
    },
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
