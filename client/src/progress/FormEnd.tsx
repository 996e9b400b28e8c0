/**
 * The end of the Progress view's small forms (a step's update, an indicator's value, a
 * check-in): the error, if any, read out at once, then the submit button and Cancel.
 */
export function FormEnd(props: {
  error: string | null
  /** The error's id, when a field points at it with `aria-describedby`. */
  errorId?: string
  submitLabel: string
  /** Without it there is no Cancel (a form that stays open). */
  cancel?: { label: string; onCancel: () => void }
}) {
  return (
    <>
      {props.error && (
        <p id={props.errorId} className="cg-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="cg-progress-form-actions">
        <button type="submit" className="cg-button cg-button-primary">
          {props.submitLabel}
        </button>
        {props.cancel && (
          <button type="button" className="cg-button" onClick={props.cancel.onCancel}>
            {props.cancel.label}
          </button>
        )}
      </div>
    </>
  )
}
