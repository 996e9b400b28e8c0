import { useId } from 'react'
import { usePending } from './usePending.ts'

export interface SelectOption {
  value: string
  label: string
}

/** A choice written as soon as it is made; shown at once, then confirmed by the live plan. */
export function CommitSelect(props: {
  label: string
  /** A fuller name for screen readers, when the visible label needs its context (a table row). */
  accessibleName?: string
  value: string
  options: readonly SelectOption[]
  disabled?: boolean
  className?: string
  onCommit(value: string): void
}) {
  const id = useId()
  const [shown, setShown] = usePending(props.value)
  return (
    <div className={props.className ?? 'cg-plan-field'}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        className="cg-select cg-plan-input"
        aria-label={props.accessibleName}
        value={shown}
        disabled={props.disabled}
        onChange={(event) => {
          setShown(event.target.value)
          props.onCommit(event.target.value)
        }}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}
