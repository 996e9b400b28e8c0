/**
 * Board templates as data: the stages a template lays out as tldraw frames (ids, catalogue keys
 * of their titles and prompts, positions and sizes in page coordinates) and the readiness
 * questions it asks. A new template is a new entry here, no code.
 */
import type { BoardTemplate } from '../board/boardDoc.ts'
import type { MessageKey } from '../i18n/index.ts'

export const STAGE_IDS = [
  'readiness',
  'organizations',
  'intersections',
  'issues',
  'vote',
  'actionPlan',
  'community',
  'evaluation',
  'roles',
  /** Off-topic notes, set aside to be reviewed at the end (themes/parkingLot.ts). */
  'parkingLot',
] as const
export type StageId = (typeof STAGE_IDS)[number]

export interface StageTemplate {
  id: StageId
  titleKey: MessageKey
  promptKey: MessageKey
  /** The frame's top-left corner and size on the page. */
  x: number
  y: number
  w: number
  h: number
}

export interface ReadinessQuestion {
  id: string
  questionKey: MessageKey
}

export interface BoardTemplateDefinition {
  stages: readonly StageTemplate[]
  readiness: readonly ReadinessQuestion[]
}

const stage = (id: StageId, x: number, y: number, w: number, h: number): StageTemplate => ({
  id,
  titleKey: `stage.${id}.title`,
  promptKey: `stage.${id}.prompt`,
  x,
  y,
  w,
  h,
})

/**
 * The retreat reads left to right, top to bottom: getting ready and mapping who we are (row 1),
 * choosing what to do (row 2), making it last (row 3). The organizations, issues and action plan
 * frames are the widest: they hold the most cards and notes.
 */
export const RETREAT_TEMPLATE: BoardTemplateDefinition = {
  stages: [
    stage('readiness', 0, 0, 1400, 1000),
    stage('organizations', 1600, 0, 2600, 1000),
    stage('intersections', 4400, 0, 2000, 1000),
    stage('issues', 0, 1200, 2400, 1200),
    stage('vote', 2600, 1200, 1400, 1200),
    stage('actionPlan', 4200, 1200, 2200, 1200),
    stage('community', 0, 2600, 2400, 1000),
    stage('evaluation', 2600, 2600, 1800, 1000),
    stage('roles', 4600, 2600, 1800, 1000),
    // Beside the whole roadmap, not in it: what the group parks is reviewed at the end.
    stage('parkingLot', 6600, 0, 1200, 3600),
  ],
  readiness: [
    { id: 'leadership', questionKey: 'readiness.leadership' },
    { id: 'capacity', questionKey: 'readiness.capacity' },
    { id: 'funding', questionKey: 'readiness.funding' },
    { id: 'conflict', questionKey: 'readiness.conflict' },
    { id: 'tracking', questionKey: 'readiness.tracking' },
    { id: 'signatory', questionKey: 'readiness.signatory' },
  ],
}

export const BLANK_TEMPLATE: BoardTemplateDefinition = { stages: [], readiness: [] }

/** What each template lays out, keyed by `BoardTemplate` (boardDoc.ts). */
export const BOARD_TEMPLATE_DEFINITIONS: Record<BoardTemplate, BoardTemplateDefinition> = {
  blank: BLANK_TEMPLATE,
  retreat: RETREAT_TEMPLATE,
}

/** The frame of a stage carries its stage id in `meta`, so renaming the frame changes nothing. */
export const STAGE_META_KEY = 'cgStage'

/** Fixed ids, so seeding twice (or on two replicas) makes one frame per stage. */
export function stageFrameId(stage: StageId): `shape:${string}` {
  return `shape:stage-${stage}`
}

export function stagePromptId(stage: StageId): `shape:${string}` {
  return `shape:stage-${stage}-prompt`
}

export function isStageId(value: unknown): value is StageId {
  return typeof value === 'string' && (STAGE_IDS as readonly string[]).includes(value)
}
