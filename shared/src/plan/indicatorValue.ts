/**
 * One value of an indicator, entered over time (issue 19): a measurement on a date, optionally
 * for one group of people ("Income under $25k"), with a line of note. One plan key per value:
 *
 * | key | value |
 * |-----|-------|
 * | `evaluation/values/<indicatorId>/<valueId>` | `IndicatorValueEntry` {date, value, note, group, by, at} |
 *
 * Each value is a key of its own under an id its writer drew, so two people entering values at
 * the same moment both keep theirs. Who may write, change or delete one: indicatorTracking.ts.
 * This module holds only the record (no plan map), so evaluation.ts can list values in the plan.
 */
import { T } from '@tldraw/validate'
import {
  compareCode,
  isoDateValidator,
  oneLineText,
  postedAtValidator,
  posterNameValidator,
} from './actionPlan.ts'

/** Longest text value of a qualitative indicator ("Parents say the forms are easier"). */
export const MAX_VALUE_TEXT_LENGTH = 280
/** Longest note beside a value (one line). */
export const MAX_VALUE_NOTE_LENGTH = 280
/** Longest group label ("Income under $25k", "Black or African American"). */
export const MAX_GROUP_LENGTH = 100

/** A quantitative indicator's values are numbers; a qualitative one's, a short text. */
export type IndicatorReading = number | string

export interface IndicatorValueEntry {
  /** The day the value describes, `yyyy-mm-dd` (not when it was entered). */
  date: string
  value: IndicatorReading
  /** One line: where it came from, what to read into it (may be empty). */
  note: string
  /** The group of people the value is for ('' = everyone): breakdowns by income, race… */
  group: string
  /** Who entered it, by the name they gave. */
  by: string
  /** When it was entered, server-clock ms (the server refuses a time far from its own). */
  at: number
}

/** A value with its id, as the derived plan lists it. */
export interface IndicatorValue extends IndicatorValueEntry {
  id: string
}

const VALUE_ID = /^[A-Za-z0-9_-]{1,64}$/

const readingText = T.string.check((value) => {
  if (value.trim() === '') throw new T.ValidationError('Expected a value')
  if (value.length > MAX_VALUE_TEXT_LENGTH)
    throw new T.ValidationError(`Expected at most ${MAX_VALUE_TEXT_LENGTH} characters`)
  if (/[\r\n\u2028\u2029]/.test(value)) throw new T.ValidationError('Expected one line')
})

/** A finite number or one line of text; chosen by type (not `T.or`, which throws to choose). */
const readingValidator = new T.Validator<IndicatorReading>((value) => {
  if (typeof value === 'string') return readingText.validate(value)
  if (typeof value === 'number') return T.number.validate(value)
  throw new T.ValidationError('Expected a number or one line of text')
})

const valueFields = {
  date: isoDateValidator,
  value: readingValidator,
  note: oneLineText(MAX_VALUE_NOTE_LENGTH),
  group: oneLineText(MAX_GROUP_LENGTH),
  by: posterNameValidator,
  at: postedAtValidator,
}

export const indicatorValueEntryValidator: T.Validator<IndicatorValueEntry> = T.object(valueFields)

export const indicatorValueValidator: T.Validator<IndicatorValue> = T.object({
  id: T.string.check((value) => {
    if (!VALUE_ID.test(value)) throw new T.ValidationError('Expected a value id')
  }),
  ...valueFields,
})

const ID = '[A-Za-z0-9_-]{1,64}'
export const INDICATOR_VALUE_PATTERN = new RegExp(`^evaluation/values/(${ID})/(${ID})$`)
const VALUES_PREFIX = 'evaluation/values/'

export const indicatorKey = (indicator: string) => `evaluation/indicators/${indicator}`
export const indicatorValueKey = (indicator: string, value: string) =>
  `${VALUES_PREFIX}${indicator}/${value}`
/** Where an indicator's values start: every key of its values begins with this. */
export const indicatorValuesPrefix = (indicator: string) => `${VALUES_PREFIX}${indicator}/`

export function isIndicatorValueKey(key: string): boolean {
  return key.startsWith(VALUES_PREFIX)
}

/** The indicator and value ids of a value key, or null for any other key. */
export function parseIndicatorValueKey(key: string): { indicator: string; value: string } | null {
  const match = INDICATOR_VALUE_PATTERN.exec(key)
  return match ? { indicator: match[1] as string, value: match[2] as string } : null
}

/** Oldest first: by date, then (same day) when entered, then id. */
export function byMeasuredDate(a: IndicatorValue, b: IndicatorValue): number {
  return compareCode(a.date, b.date) || a.at - b.at || compareCode(a.id, b.id)
}

/** Whether a value has the type its indicator's kind asks for. */
export function fitsKind(value: IndicatorReading, kind: string): boolean {
  return kind === 'quantitative' ? typeof value === 'number' : typeof value === 'string'
}
