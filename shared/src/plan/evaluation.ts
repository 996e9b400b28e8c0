/** Stage 7, "Evaluate and sustain": how the partners will know it works, and keep it going. */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'
import { oneLineText, shapeIdValidator } from './actionPlan.ts'
import { type IndicatorValue, indicatorValueValidator } from './indicatorValue.ts'

export const INDICATOR_KINDS = ['quantitative', 'qualitative'] as const
export type IndicatorKind = (typeof INDICATOR_KINDS)[number]

export const REVIEW_CADENCES = ['monthly', 'quarterly', 'twiceYearly', 'yearly'] as const
export type ReviewCadence = (typeof REVIEW_CADENCES)[number]

/** Longest unit of an indicator ("families", "% of students", "USD"). */
export const MAX_UNIT_LENGTH = 100

export interface Indicator {
  id: string
  name: string
  kind: IndicatorKind
  /** Where the numbers or stories come from. */
  dataSource: string
  /** The organization responsible for measuring it: a card's shape id, or null. */
  organization: string | null
  /** What the numbers count ('' when not said). */
  unit: string
  /** Where it started, and where the partners aim to bring it (quantitative; null until set). */
  baseline: number | null
  target: number | null
  /** How often it is measured; null until decided. */
  frequency: ReviewCadence | null
  /** Every value entered over time, oldest first (see indicatorValues.ts). */
  values: IndicatorValue[]
}

/** What the doc stores per indicator (its id is the key; its values are keys of their own). */
export type IndicatorEntry = Omit<Indicator, 'id' | 'values'>

/** An indicator's fields, as its entry in the doc and the plan's indicator both hold them. */
const indicatorFields = {
  name: boundedText(MAX_LINE_LENGTH),
  kind: T.literalEnum(...INDICATOR_KINDS),
  dataSource: boundedText(),
  organization: T.nullable(shapeIdValidator),
  unit: oneLineText(MAX_UNIT_LENGTH),
  baseline: T.nullable(T.number),
  target: T.nullable(T.number),
  frequency: T.nullable(T.literalEnum(...REVIEW_CADENCES)),
}

export const indicatorEntryValidator: T.Validator<IndicatorEntry> = T.object(indicatorFields)

export const indicatorValidator: T.Validator<Indicator> = T.object({
  id: T.string,
  ...indicatorFields,
  values: T.arrayOf(indicatorValueValidator),
})

/** A new indicator's entry: nothing decided yet. */
export function blankIndicatorEntry(kind: IndicatorKind = 'quantitative'): IndicatorEntry {
  return {
    name: '',
    kind,
    dataSource: '',
    organization: null,
    unit: '',
    baseline: null,
    target: null,
    frequency: null,
  }
}

export interface EvaluationPlan {
  indicators: Indicator[]
  /** How data is collected and who shares what with whom. */
  dataSharing: string
  /** How often the partners review progress; `null` until decided. */
  reviewCadence: ReviewCadence | null
  /** How the partnership keeps going (funding, people, habits). */
  sustain: string
}

/** The single-value fields (indicators are a list, stored one entry each). */
export const evaluationFieldValidators = {
  dataSharing: boundedText(),
  reviewCadence: T.nullable(T.literalEnum(...REVIEW_CADENCES)),
  sustain: boundedText(),
}

export const evaluationPlanValidator: T.Validator<EvaluationPlan> = T.object({
  indicators: T.arrayOf(indicatorValidator),
  ...evaluationFieldValidators,
})

export function emptyEvaluationPlan(): EvaluationPlan {
  return { indicators: [], dataSharing: '', reviewCadence: null, sustain: '' }
}
