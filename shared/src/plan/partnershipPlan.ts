/**
 * The whole plan as one value: what `derivePlan` makes of a board, what the plan panel shows and
 * what the exports (`plan.json`, later Markdown and CSV) are made from.
 */

import { T } from '@tldraw/validate'
import { type AgreementFields, agreementFieldsValidator } from '../agreement/fields.ts'
import { BOARD_TEMPLATES, type BoardTemplate } from '../board/boardDoc.ts'
import { type ParkedNote, parkedNoteValidator } from '../themes/parkingLot.ts'
import { type Theme, themeValidator } from '../themes/theme.ts'
import {
  type RankedIssue,
  rankedIssueValidator,
  type VoteRecord,
  voteRecordValidator,
} from '../vote/results.ts'
import { type RoundRecord, roundRecordValidator } from '../vote/roundRecords.ts'
import { type ActionPlanItem, actionPlanItemValidator } from './actionPlan.ts'
import { type CapacityAssessment, capacityAssessmentValidator } from './capacity.ts'
import { type CheckIn, checkInValidator } from './checkIns.ts'
import { type CommunityAssessment, communityAssessmentValidator } from './community.ts'
import { type EvaluationPlan, evaluationPlanValidator } from './evaluation.ts'
import {
  type Intersection,
  type IntersectionLink,
  intersectionLinkValidator,
  intersectionValidator,
} from './intersection.ts'
import { type IssueCandidate, issueCandidateValidator } from './issue.ts'
import { type Organization, organizationValidator } from './organization.ts'
import { type ReadinessItem, readinessItemValidator } from './readiness.ts'
import { type PartnershipStructure, partnershipStructureValidator } from './structure.ts'

/** Something on the board that could not be read into the plan (and was left out). */
export interface PlanProblem {
  /** A shape id, or a plan key such as `community/needs`, or `plan` for the whole plan data. */
  where: string
  message: string
}

export interface PartnershipPlan {
  title: string
  template: BoardTemplate
  planSchemaVersion: number
  /** Stage 0. */
  readiness: ReadinessItem[]
  /** Stage 1, ordered by name. */
  organizations: Organization[]
  /** Stage 2, ordered by title; each lists its linked organizations. */
  intersections: Intersection[]
  /** Stage 2: the intersection map as edges, ordered as organizations × intersections. */
  links: IntersectionLink[]
  /** Stage 3, top to bottom, left to right within the Issues frame. */
  issues: IssueCandidate[]
  /** Stage 3: themes in the Issues frame, in reading order; their notes' `cluster` is their id. */
  themes: Theme[]
  /** Notes set aside in the parking lot, in reading order, to be reviewed at the end. */
  parkingLot: ParkedNote[]
  /** Stage 4: every vote, oldest first (results only once they may be seen). */
  votes: VoteRecord[]
  /** Stage 4: issues by rank in the latest revealed vote, its runoffs applied ([] before). */
  ranking: RankedIssue[]
  /**
   * Stage 4: every placement round (impact and effort) and consensus check, oldest first, with
   * the aggregate once revealed. Absent in plans exported before they existed.
   */
  rounds?: RoundRecord[]
  /** Stage 5: the issues taken into the action plan, by rank, with commitments and steps. */
  actionPlan: ActionPlanItem[]
  /** After the retreat: the check-ins scheduled and held, by date (then id). */
  checkIns: CheckIn[]
  /** Stage 6. */
  community: CommunityAssessment
  capacity: CapacityAssessment
  /** Stage 7. */
  evaluation: EvaluationPlan
  /** Stage 8. */
  structure: PartnershipStructure
  /** What only the written agreements ask: effective date, term, signatories, contacts. */
  agreement: AgreementFields
  problems: PlanProblem[]
}

export const planProblemValidator: T.Validator<PlanProblem> = T.object({
  where: T.string,
  message: T.string,
})

export const partnershipPlanValidator: T.Validator<PartnershipPlan> = T.object({
  title: T.string,
  template: T.literalEnum(...BOARD_TEMPLATES),
  planSchemaVersion: T.positiveInteger,
  readiness: T.arrayOf(readinessItemValidator),
  organizations: T.arrayOf(organizationValidator),
  intersections: T.arrayOf(intersectionValidator),
  links: T.arrayOf(intersectionLinkValidator),
  issues: T.arrayOf(issueCandidateValidator),
  themes: T.arrayOf(themeValidator),
  parkingLot: T.arrayOf(parkedNoteValidator),
  votes: T.arrayOf(voteRecordValidator),
  ranking: T.arrayOf(rankedIssueValidator),
  rounds: T.arrayOf(roundRecordValidator).optional(),
  actionPlan: T.arrayOf(actionPlanItemValidator),
  checkIns: T.arrayOf(checkInValidator),
  community: communityAssessmentValidator,
  capacity: capacityAssessmentValidator,
  evaluation: evaluationPlanValidator,
  structure: partnershipStructureValidator,
  agreement: agreementFieldsValidator,
  problems: T.arrayOf(planProblemValidator),
})
