/**
 * What sorting the brainstorm costs the server, in process, on the 2,000-shape board of the
 * derivePlan bench with a vote over 200 of its notes and 60 ballots:
 * - reviewing a merge of 10 notes (the kept note and 9 deletions in one update);
 * - carrying dots after an update that deletes shapes (`BoardBallots.carryMerged`: it reads every
 *   record to find merged notes), with nothing merged and after the merge;
 * - `fairOrder` of a 200-item list (each page, each render of the vote panel).
 */
import {
  BoardRules,
  openBoardDoc,
  participantIdFor,
  readRecords,
} from '@common-ground/shared/board'
import { MERGED_META_KEY, mergeNotes } from '@common-ground/shared/themes'
import { BoardBallots, fairOrder, startVote } from '@common-ground/shared/vote'
import * as Y from 'yjs'
import { buildBigBoard } from './derivePlan.ts'
import { type Measurement, median, percentile, timeRuns } from './report.ts'

const VOTERS = 60
const MERGED = 10

export function sortingBench(quick: boolean): Measurement[] {
  const runs = quick ? 20 : 100
  const doc = buildBigBoard()
  const records = readRecords(doc)
  const notes = [...records.values()].filter(
    (r) => r.typeName === 'shape' && (r as { type: string }).type === 'note',
  )
  const items = notes.slice(0, 200).map((n) => n.id)
  const session = startVote(doc, { id: 'bench', title: 'Bench', itemIds: items, now: Date.now() })
  const ballots = new BoardBallots(doc)
  for (let p = 0; p < VOTERS; p++) {
    const participant = participantIdFor(`bench-secret-${p}-bench-secret`, 'bench-board')
    for (let d = 0; d < 5; d++) {
      const itemId = items[(p * 7 + d * 3) % MERGED] as string
      ballots.cast(participant, { sessionId: session.id, itemId, delta: 1 })
    }
  }
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc))
  const freshBallots = new BoardBallots(fresh, ballots.box)

  // The review of one merge: the kept note rewritten, nine notes deleted.
  const [target, ...sources] = notes.slice(0, MERGED)
  const { richText, parts } = mergeNotes(target, sources)
  const kept = {
    ...target,
    props: { ...(target as { props: object }).props, richText },
    meta: { [MERGED_META_KEY]: parts },
  }
  const writes = [
    { root: 'records', key: target?.id as string, before: target, after: kept },
    ...sources.map((s) => ({ root: 'records', key: s.id, before: s, after: undefined })),
  ]
  const rules = new BoardRules()
  const writer = { role: 'participant' as const, participantId: 'p', personId: null }
  if (rules.reviewUpdate(writes, writer, fresh) !== null) throw new Error('bench merge refused')
  const review = timeRuns(runs, () => rules.reviewUpdate(writes, writer, fresh))

  const idle = timeRuns(runs, () => freshBallots.carryMerged())
  // Now merge for real, then carry once (the first carry moves dots; later ones find nothing).
  fresh.transact(() => {
    const board = openBoardDoc(fresh)
    board.records.set(target?.id as string, kept as never)
    for (const s of sources) board.records.delete(s.id)
  })
  const first = performance.now()
  const moved = freshBallots.carryMerged().length
  const carryFirst = performance.now() - first
  const after = timeRuns(runs, () => freshBallots.carryMerged())
  const order = timeRuns(runs * 10, () => fairOrder(items, 'hPerson', 'bench'))

  const note = `${records.size} records, vote over 200 notes, ${VOTERS} ballots`
  const row = (metric: string, samples: number[]): Measurement[] => [
    { suite: 'sorting', metric: `${metric} median`, value: median(samples), unit: 'ms', note },
    { suite: 'sorting', metric: `${metric} p95`, value: percentile(samples, 95), unit: 'ms', note },
  ]
  return [
    ...row(`review of a ${MERGED}-note merge`, review),
    ...row('carryMerged, nothing merged', idle),
    {
      suite: 'sorting',
      metric: 'carryMerged, the merge',
      value: carryFirst,
      unit: 'ms',
      note: `${moved} ballots changed`,
    },
    ...row('carryMerged, after the merge', after),
    ...row('fairOrder of 200 items', order),
  ]
}
