/** Stage 6, first half: who the partnership serves and what surrounds them. */
import { T } from '@tldraw/validate'
import { boundedText } from '../board/text.ts'

export interface CommunityAssessment {
  /** What the community needs most. */
  needs: string
  /** What it already has to draw on. */
  resources: string
  /** Whom the partnership means to serve. */
  whoWeServe: string
  demographics: string
  /** How to reach the people we serve. */
  howToReach: string
  /** National or local trends that affect them. */
  trends: string
}

export const communityFieldValidators = {
  needs: boundedText(),
  resources: boundedText(),
  whoWeServe: boundedText(),
  demographics: boundedText(),
  howToReach: boundedText(),
  trends: boundedText(),
}

export const communityAssessmentValidator: T.Validator<CommunityAssessment> =
  T.object(communityFieldValidators)

export function emptyCommunityAssessment(): CommunityAssessment {
  return { needs: '', resources: '', whoWeServe: '', demographics: '', howToReach: '', trends: '' }
}
