/** Stage 6, second half: whether the partners can carry the work. */
import { T } from '@tldraw/validate'
import { boundedText } from '../board/text.ts'
import { type Answer, answerValidator } from './answer.ts'

export interface CapacityAssessment {
  /** Who will lead the work. */
  leadership: string
  /** Whether the leadership reflects the community served. */
  leadershipDiverse: Answer | null
  /** Which organizations take part in the work. */
  organizationsInvolved: string
  trainingNeeded: string
  /** Staff hours the partners can give, as they put it ("6 h a week from each"). */
  staffHours: string
  /** What inside the organizations could get in the way. */
  barriers: string
}

export const capacityFieldValidators = {
  leadership: boundedText(),
  leadershipDiverse: answerValidator,
  organizationsInvolved: boundedText(),
  trainingNeeded: boundedText(),
  staffHours: boundedText(),
  barriers: boundedText(),
}

export const capacityAssessmentValidator: T.Validator<CapacityAssessment> =
  T.object(capacityFieldValidators)

export function emptyCapacityAssessment(): CapacityAssessment {
  return {
    leadership: '',
    leadershipDiverse: null,
    organizationsInvolved: '',
    trainingNeeded: '',
    staffHours: '',
    barriers: '',
  }
}
