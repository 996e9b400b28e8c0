/**
 * Every write a person makes to a board, one named command each, bound to one doc. Panels call
 * these and nothing else; each command validates what it writes with the same validators the
 * server's review runs, so a write that would be refused throws here first. (Closing a board is
 * the server's own command, `setBoardClosed`, asked for over HTTP; dots go to the server's ballot
 * box, never into the document (vote/ballotBox.ts); records on the canvas are written by the
 * tldraw store binding.)
 */
import type * as Y from 'yjs'
import { setAgreementDate, setAgreementPerson, setAgreementTerm } from '../agreement/commands.ts'
import {
  gatherEveryone,
  markDone,
  setBrainstorm,
  setRoomTimer,
  setStage,
  setStageLocks,
} from '../facilitation/commands.ts'
import {
  addStep,
  moveStep,
  promoteRanked,
  removeActionIssue,
  removeStep,
  restoreStep,
  setActionIssue,
  setCommitment,
  setStepField,
} from '../plan/actionPlanEdits.ts'
import {
  finishCheckIn,
  moveCheckIn,
  removeCheckIn,
  renameCheckIn,
  scheduleCheckIns,
  setCheckInRecord,
  startCheckIn,
} from '../plan/checkInEdits.ts'
import {
  postIndicatorValue,
  removeIndicator,
  removeIndicatorValue,
} from '../plan/indicatorTracking.ts'
import { setPlanEntry, updatePlanEntry } from '../plan/planData.ts'
import { postStepUpdate, removeStepUpdate } from '../plan/stepUpdates.ts'
import { setGoverningBody } from '../plan/structureEdits.ts'
import { startRunoff } from '../vote/results.ts'
import { closeRound, reopenRound, revealRound, setRankingRule, startRound } from '../vote/round.ts'
import { changeVote, closeVote, reopenVote, revealVote, startVote } from '../vote/voteDoc.ts'

const COMMANDS = {
  // Running the room (facilitation map).
  setStage,
  gatherEveryone,
  setRoomTimer,
  setBrainstorm,
  setStageLocks,
  markDone,
  // The plan's answers (community, capacity, evaluation, structure, readiness), by key.
  setPlanEntry,
  updatePlanEntry,
  setGoverningBody,
  // The action plan.
  setActionIssue,
  promoteTopIssues: promoteRanked,
  // Placement rounds and consensus checks (their marks go to the server, vote/roundBox.ts).
  startRound,
  closeRound,
  reopenRound,
  revealRound,
  setRankingRule,
  removeActionIssue,
  setCommitment,
  addStep,
  setStepField,
  removeStep,
  restoreStep,
  moveStep,
  // The agreement drafts' own fields (effective date, term, signatories, contacts).
  setAgreementDate,
  setAgreementTerm,
  setAgreementPerson,
  // Following the plan after the day (the Progress view).
  postStepUpdate,
  removeStepUpdate,
  // Check-ins (facilitators), run from the Progress view.
  scheduleCheckIns,
  renameCheckIn,
  moveCheckIn,
  removeCheckIn,
  startCheckIn,
  finishCheckIn,
  setCheckInRecord,
  postIndicatorValue,
  removeIndicatorValue,
  removeIndicator,
  // Dot votes.
  startVote,
  changeVote,
  closeVote,
  reopenVote,
  revealVote,
  startRunoff,
}

type BoundToDoc<F> = F extends (doc: Y.Doc, ...args: infer A) => infer R ? (...args: A) => R : never

export type BoardCommands = {
  readonly [K in keyof typeof COMMANDS]: BoundToDoc<(typeof COMMANDS)[K]>
}

/** The names of every command, for tests and for tools that list what a board accepts. */
export const BOARD_COMMAND_NAMES = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]

/** The commands of one board's doc. */
export function boardCommands(doc: Y.Doc): BoardCommands {
  const bound: Record<string, unknown> = {}
  for (const [name, command] of Object.entries(COMMANDS)) {
    bound[name] = (...args: unknown[]) =>
      (command as (doc: Y.Doc, ...rest: unknown[]) => unknown)(doc, ...args)
  }
  return bound as BoardCommands
}
