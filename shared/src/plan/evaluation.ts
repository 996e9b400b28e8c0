/** Stage 7, "Evaluate and sustain": how the partners will know it works, and keep it going. */
import { T } from '@tldraw/validate'
import { boundedText, MAX_LINE_LENGTH } from '../board/text.ts'

export const INDICATOR_KINDS = ['quantitative', 'qualitative'] as const
export type IndicatorKind = (typeof INDICATOR_KINDS)[number]

export const REVIEW_CADENCES = ['monthly', 'quarterly', 'twiceYearly', 'yearly'] as const
export type ReviewCadence = (typeof REVIEW_CADENCES)[number]

export interface Indicator {
  id: string
  name: string
  kind: IndicatorKind
  /** Where the numbers or stories come from. */
  dataSource: string
}

/** What the doc stores per indicator (its id is the key). */
export type IndicatorEntry = Omit<Indicator, 'id'>

/** An indicator's fields, as its entry in the doc and the plan's indicator both hold them. */
const indicatorFields = {
  name: boundedText(MAX_LINE_LENGTH),
  kind: T.literalEnum(...INDICATOR_KINDS),
  dataSource: boundedText(),
}

export const indicatorEntryValidator: T.Validator<IndicatorEntry> = T.object(indicatorFields)

export const indicatorValidator: T.Validator<Indicator> = T.object({
  id: T.string,
  ...indicatorFields,
})

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
