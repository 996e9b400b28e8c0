/**
 * Impact and effort, and the consensus check, in the vote panel. Everyone places each issue of
 * a placement round privately, with two sliders per issue (the keyboard and screen-reader way)
 * or by dragging its marker on the 2×2; the list comes in this person's own order (`fairOrder`).
 * After the reveal: each issue's average and spread on the 2×2 and in a table, ranked by the rule
 * the facilitator picks, and the top issues can go into the action plan. A consensus check asks
 * 0–5 fingers on one issue and shows how many gave each. Rules and counting live in `shared`.
 */
import { MAX_LINE_LENGTH } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import {
  averageFingers,
  type ConsensusResult,
  consensusReached,
  currentRound,
  FINGER_MESSAGES,
  fairOrder,
  PLACEMENT_MAX,
  type Placement,
  RANKING_RULE_MESSAGES,
  RANKING_RULES,
  type RankedPlacement,
  ROUND_STATUS_MESSAGES,
  type Round,
  type RoundResult,
  rankPlacements,
  roundsInOrder,
} from '@common-ground/shared/vote'
import { useValue } from '@tldraw/state-react'
import { type PointerEvent, useId, useRef, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import type { Marks } from './rounds.ts'
import { tryVote } from './voteNotice.ts'
import './placement.css'

function useRounds() {
  const { rounds } = useBoardModel()
  const state = useValue('rounds', () => rounds.state.get(), [rounds])
  const marks = useValue('my round marks', () => rounds.marks.get(), [rounds])
  const turnouts = useValue('round turnouts', () => rounds.turnouts.get(), [rounds])
  return { state, marks, turnouts }
}

function useTextOf(): (itemId: string) => string {
  const plan = usePlan()
  const { t } = useI18n()
  return (itemId) => plan.issues.find((issue) => issue.id === itemId)?.text || t('vote.emptyNote')
}

export function PlacementSection() {
  const { t } = useI18n()
  const headingId = useId()
  const { state } = useRounds()
  const { facilitator } = useBoardAccess()
  const round = currentRound(state, 'placement')
  const earlier = roundsInOrder(state, 'placement')
    .filter((other) => other.id !== round?.id && other.status === 'revealed')
    .reverse()
  return (
    <section className="cg-rounds" aria-labelledby={headingId} data-testid="placement">
      <h3 id={headingId}>{t('placement.title')}</h3>
      <p className="cg-hint">{t('placement.intro')}</p>
      {round ? (
        <PlacementRound round={round} />
      ) : (
        !facilitator && <p className="cg-hint">{t('placement.none')}</p>
      )}
      {facilitator && (!round || round.status === 'revealed') && <StartRound kind="placement" />}
      {earlier.length > 0 && (
        <details>
          <summary>{t('placement.earlier', { count: earlier.length })}</summary>
          {earlier.map((past) => (
            <PlacementResult key={past.id} round={past} />
          ))}
        </details>
      )}
    </section>
  )
}

function RoundStatus({ round, voters }: { round: Round; voters: number | undefined }) {
  const { t } = useI18n()
  return (
    <p role="status" data-testid="round-status" data-status={round.status}>
      <strong>{t(ROUND_STATUS_MESSAGES[round.status])}</strong>
      {round.status !== 'revealed' && (
        <>
          {' · '}
          <span data-testid="round-voters" data-count={voters ?? 0}>
            {t('round.voters', { count: voters ?? 0 })}
          </span>
        </>
      )}
    </p>
  )
}

function RoundActions({ round }: { round: Round }) {
  const { t } = useI18n()
  const { commands } = useBoardModel()
  const { facilitator } = useBoardAccess()
  if (!facilitator || round.status === 'revealed') return null
  return (
    <div className="cg-vote-actions">
      {round.status === 'open' ? (
        <button
          type="button"
          className="cg-button"
          onClick={() => tryVote(() => commands.closeRound(round.id, serverNow()))}
        >
          {t('round.close')}
        </button>
      ) : (
        <button
          type="button"
          className="cg-button"
          onClick={() => tryVote(() => commands.reopenRound(round.id))}
        >
          {t('round.reopen')}
        </button>
      )}
      <button
        type="button"
        className="cg-button"
        onClick={() => tryVote(() => commands.revealRound(round.id, serverNow()))}
      >
        {t('round.reveal')}
      </button>
    </div>
  )
}

function PlacementRound({ round }: { round: Round }) {
  const { t } = useI18n()
  const { turnouts } = useRounds()
  const { readOnly } = useBoardAccess()
  return (
    <div className="cg-round" data-round={round.id}>
      <RoundStatus round={round} voters={turnouts.get(round.id)} />
      {round.status === 'open' && !readOnly && <MyPlacements round={round} />}
      {round.status === 'closed' && <p className="cg-hint">{t('round.hiddenUntilReveal')}</p>}
      <RoundActions round={round} />
      {round.status === 'revealed' && <PlacementResult round={round} />}
    </div>
  )
}

/** Where a placement sits on the 2×2 (effort across, impact up), in the chart's units. */
const CHART = 200
const PAD = 24
const toX = (effort: number) => PAD + (effort / PLACEMENT_MAX) * CHART
const toY = (impact: number) => PAD + CHART - (impact / PLACEMENT_MAX) * CHART

function Grid() {
  const { t } = useI18n()
  const mid = PAD + CHART / 2
  return (
    <g className="cg-grid">
      <rect x={PAD} y={PAD} width={CHART} height={CHART} className="cg-grid-frame" />
      <line x1={mid} y1={PAD} x2={mid} y2={PAD + CHART} />
      <line x1={PAD} y1={mid} x2={PAD + CHART} y2={mid} />
      <text x={PAD + 4} y={PAD + 12}>
        {t('placement.quickWins')}
      </text>
      <text x={PAD + CHART - 4} y={PAD + 12} textAnchor="end">
        {t('placement.bigBets')}
      </text>
      <text x={PAD + 4} y={PAD + CHART - 4}>
        {t('placement.fillIns')}
      </text>
      <text x={PAD + CHART - 4} y={PAD + CHART - 4} textAnchor="end">
        {t('placement.hardSlogs')}
      </text>
      <text x={PAD + CHART / 2} y={PAD + CHART + 16} textAnchor="middle" className="cg-axis">
        {t('placement.effortAxis')}
      </text>
      <text
        x={10}
        y={PAD + CHART / 2}
        textAnchor="middle"
        className="cg-axis"
        transform={`rotate(-90 10 ${PAD + CHART / 2})`}
      >
        {t('placement.impactAxis')}
      </text>
    </g>
  )
}

/**
 * My placements: the issues in my own order, each with two labelled sliders, and the 2×2 where
 * each placed issue's numbered marker can be dragged (the pointer way to do the same).
 */
function MyPlacements({ round }: { round: Round }) {
  const { t } = useI18n()
  const model = useBoardModel()
  const { marks } = useRounds()
  const textOf = useTextOf()
  const id = useId()
  const mine: Marks = marks.get(round.id) ?? {}
  const order = fairOrder(round.itemIds, model.personId, round.id)
  const svg = useRef<SVGSVGElement>(null)
  // The drag as it stands: the handlers read the ref (events may come faster than renders), the
  // marker is drawn from the state.
  const [dragging, setDragging] = useState<{ itemId: string; at: Placement } | null>(null)
  const drag = useRef<{ itemId: string; at: Placement } | null>(null)
  const moveTo = (next: { itemId: string; at: Placement } | null) => {
    drag.current = next
    setDragging(next)
  }

  const place = (itemId: string, placement: Placement) =>
    model.rounds.place(round.id, itemId, placement)
  const placementOf = (itemId: string): Placement | null => {
    const mark = mine[itemId]
    return mark && 'impact' in mark ? mark : null
  }

  function pointAt(event: PointerEvent): Placement | null {
    const box = svg.current?.getBoundingClientRect()
    if (!box || box.width === 0) return null
    const scale = (CHART + 2 * PAD) / box.width
    const x = (event.clientX - box.left) * scale
    const y = (event.clientY - box.top) * scale
    const clamp = (value: number) => Math.max(0, Math.min(PLACEMENT_MAX, Math.round(value)))
    return {
      effort: clamp(((x - PAD) / CHART) * PLACEMENT_MAX),
      impact: clamp(((PAD + CHART - y) / CHART) * PLACEMENT_MAX),
    }
  }

  return (
    <div className="cg-placement">
      <p className="cg-hint">{t('placement.help')}</p>
      <svg
        ref={svg}
        className="cg-chart"
        viewBox={`0 0 ${CHART + 2 * PAD} ${CHART + 2 * PAD}`}
        role="img"
        aria-labelledby={`${id}-chart`}
        data-testid="my-placement-chart"
        onPointerMove={(event) => {
          const current = drag.current
          if (!current) return
          const at = pointAt(event)
          if (at) moveTo({ itemId: current.itemId, at })
        }}
        onPointerUp={() => {
          const current = drag.current
          if (current) place(current.itemId, current.at)
          moveTo(null)
        }}
      >
        <title id={`${id}-chart`}>{t('placement.myChart')}</title>
        <Grid />
        {order.map((itemId, index) => {
          const at = dragging?.itemId === itemId ? dragging.at : placementOf(itemId)
          if (!at) return null
          return (
            <g
              key={itemId}
              className="cg-marker"
              data-item={itemId}
              onPointerDown={(event) => {
                ;(event.target as Element).setPointerCapture?.(event.pointerId)
                moveTo({ itemId, at })
              }}
            >
              <circle cx={toX(at.effort)} cy={toY(at.impact)} r={9} />
              <text x={toX(at.effort)} y={toY(at.impact) + 4} textAnchor="middle">
                {index + 1}
              </text>
            </g>
          )
        })}
      </svg>
      <ol className="cg-placement-list" data-testid="placement-list">
        {order.map((itemId, index) => {
          const text = textOf(itemId)
          const placed = placementOf(itemId)
          const value = placed ?? { impact: 5, effort: 5 }
          return (
            <li key={itemId} data-item={itemId} data-placed={placed !== null}>
              <span className="cg-placement-text">
                <span className="cg-placement-number" aria-hidden="true">
                  {index + 1}
                </span>{' '}
                {text}
              </span>
              <span className="cg-hint" data-testid="placed-state">
                {placed
                  ? t('placement.placedAt', { impact: placed.impact, effort: placed.effort })
                  : t('placement.notPlaced')}
              </span>
              {(['impact', 'effort'] as const).map((axis) => (
                <label key={axis} className="cg-slider">
                  <span>{t(axis === 'impact' ? 'placement.impact' : 'placement.effort')}</span>
                  <input
                    type="range"
                    min={0}
                    max={PLACEMENT_MAX}
                    step={1}
                    value={value[axis]}
                    aria-label={t(axis === 'impact' ? 'placement.impactOf' : 'placement.effortOf', {
                      text,
                    })}
                    aria-valuetext={t('placement.valueText', {
                      value: value[axis],
                      max: PLACEMENT_MAX,
                    })}
                    data-axis={axis}
                    onChange={(event) =>
                      place(itemId, { ...value, [axis]: Number(event.target.value) })
                    }
                  />
                  <output aria-hidden="true">{value[axis]}</output>
                </label>
              ))}
              {placed && (
                <button
                  type="button"
                  className="cg-button cg-button-small"
                  onClick={() => model.rounds.place(round.id, itemId, null)}
                >
                  {t('placement.clear', { text })}
                </button>
              )}
            </li>
          )
        })}
      </ol>
    </div>
  )
}

function PlacementResult({ round }: { round: Round }) {
  const { t } = useI18n()
  const { state } = useRounds()
  const { commands } = useBoardModel()
  const { facilitator } = useBoardAccess()
  const textOf = useTextOf()
  const id = useId()
  const result = state.results.get(round.id)
  const [promoteCount, setPromoteCount] = useState(3)
  const [promoted, setPromoted] = useState<number | null>(null)
  if (result?.kind !== 'placement')
    return (
      <p className="cg-hint" aria-live="polite">
        {t('vote.counting')}
      </p>
    )
  const rule = round.rankingRule ?? 'impactMinusEffort'
  const ranked = rankPlacements(round, result, rule)
  const number = new Map(ranked.map((row, index) => [row.itemId, index + 1]))
  const fixed = (value: number) => value.toFixed(1)

  return (
    <div className="cg-placement-result" data-testid="placement-result">
      <p>{t('round.took', { count: result.voters })}</p>
      <svg
        className="cg-chart"
        viewBox={`0 0 ${CHART + 2 * PAD} ${CHART + 2 * PAD}`}
        role="img"
        aria-labelledby={`${id}-title`}
      >
        <title id={`${id}-title`}>{t('placement.resultChart', { title: round.title })}</title>
        <Grid />
        {ranked.map((row) => {
          const x = toX(row.effort.mean)
          const y = toY(row.impact.mean)
          const dx = (row.effort.spread / PLACEMENT_MAX) * CHART
          const dy = (row.impact.spread / PLACEMENT_MAX) * CHART
          return (
            <g key={row.itemId} className="cg-average" data-item={row.itemId}>
              <ellipse cx={x} cy={y} rx={Math.max(dx, 1)} ry={Math.max(dy, 1)} />
              <line x1={x - dx} y1={y} x2={x + dx} y2={y} />
              <line x1={x} y1={y - dy} x2={x} y2={y + dy} />
              <circle cx={x} cy={y} r={8} />
              <text x={x} y={y + 4} textAnchor="middle">
                {number.get(row.itemId)}
              </text>
            </g>
          )
        })}
      </svg>
      {facilitator && (
        <fieldset className="cg-plan-choice">
          <legend>{t('placement.rule')}</legend>
          {RANKING_RULES.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name={`${id}-rule`}
                checked={rule === option}
                onChange={() => tryVote(() => commands.setRankingRule(round.id, option))}
              />{' '}
              {t(RANKING_RULE_MESSAGES[option])}
            </label>
          ))}
        </fieldset>
      )}
      <table className="cg-round-table" data-testid="placement-table">
        <caption>{t('placement.tableCaption', { rule: t(RANKING_RULE_MESSAGES[rule]) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('placement.rank')}</th>
            <th scope="col">{t('placement.issue')}</th>
            <th scope="col">{t('placement.impact')}</th>
            <th scope="col">{t('placement.effort')}</th>
            <th scope="col">{t('placement.people')}</th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((row) => (
            <tr key={row.itemId} data-item={row.itemId} data-rank={row.rank}>
              <td>{row.rank}</td>
              <th scope="row">
                <span aria-hidden="true">{number.get(row.itemId)}. </span>
                {textOf(row.itemId)}
              </th>
              <td data-testid="impact-mean">
                {t('placement.meanSpread', {
                  mean: fixed(row.impact.mean),
                  spread: fixed(row.impact.spread),
                })}
              </td>
              <td data-testid="effort-mean">
                {t('placement.meanSpread', {
                  mean: fixed(row.effort.mean),
                  spread: fixed(row.effort.spread),
                })}
              </td>
              <td>{row.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="cg-hint">{t('placement.spreadHelp')}</p>
      {facilitator && round.status === 'revealed' && ranked.length > 0 && (
        <div className="cg-vote-promote">
          <label>
            {t('vote.promoteCount')}{' '}
            <input
              className="cg-input cg-vote-number"
              type="number"
              min={1}
              max={ranked.length}
              value={promoteCount}
              onChange={(event) => setPromoteCount(Math.max(1, Number(event.target.value) || 1))}
            />
          </label>
          <button
            type="button"
            className="cg-button"
            onClick={() => {
              const top = topPlaced(ranked, promoteCount)
              tryVote(() => commands.promoteTopIssues(top, round.id, textOf))
              setPromoted(top.length)
            }}
          >
            {t('vote.promote')}
          </button>
          {promoted !== null && (
            <p role="status" className="cg-hint">
              {t('vote.promoted', { count: promoted })}
            </p>
          )}
        </div>
      )}
    </div>
  )
}

/** The top `count` by rank; issues tied at the cut all go (a tie is never broken silently). */
function topPlaced(ranked: readonly RankedPlacement[], count: number) {
  const last = ranked[Math.min(count, ranked.length) - 1]
  return ranked.filter((row) => last && row.rank <= last.rank)
}

export function ConsensusSection() {
  const { t } = useI18n()
  const headingId = useId()
  const { state } = useRounds()
  const { facilitator } = useBoardAccess()
  const round = currentRound(state, 'consensus')
  const earlier = roundsInOrder(state, 'consensus')
    .filter((other) => other.id !== round?.id && other.status === 'revealed')
    .reverse()
  return (
    <section className="cg-rounds" aria-labelledby={headingId} data-testid="consensus">
      <h3 id={headingId}>{t('consensus.title')}</h3>
      <p className="cg-hint">{t('consensus.intro')}</p>
      {round && <ConsensusRound round={round} />}
      {!round && !facilitator && <p className="cg-hint">{t('consensus.none')}</p>}
      {facilitator && (!round || round.status === 'revealed') && <StartRound kind="consensus" />}
      {earlier.length > 0 && (
        <details>
          <summary>{t('consensus.earlier', { count: earlier.length })}</summary>
          {earlier.map((past) => (
            <ConsensusResultView key={past.id} round={past} />
          ))}
        </details>
      )}
    </section>
  )
}

function ConsensusRound({ round }: { round: Round }) {
  const { t } = useI18n()
  const model = useBoardModel()
  const { marks, turnouts } = useRounds()
  const { readOnly } = useBoardAccess()
  const textOf = useTextOf()
  const id = useId()
  const itemId = round.itemIds[0] as string
  const mark = marks.get(round.id)?.[itemId]
  const mine = mark && 'fingers' in mark ? mark.fingers : null
  return (
    <div className="cg-round" data-round={round.id}>
      <h4>{t('consensus.on', { text: textOf(itemId) })}</h4>
      <RoundStatus round={round} voters={turnouts.get(round.id)} />
      {round.status === 'open' && !readOnly && (
        <fieldset className="cg-fingers" data-testid="fingers">
          <legend>{t('consensus.question', { text: textOf(itemId) })}</legend>
          {FINGER_MESSAGES.map((key, value) => (
            <label key={key} className="cg-finger">
              <input
                type="radio"
                name={`${id}-fingers`}
                value={value}
                checked={mine === value}
                onChange={() => model.rounds.place(round.id, itemId, { fingers: value })}
              />{' '}
              {t(key)}
            </label>
          ))}
        </fieldset>
      )}
      {round.status === 'closed' && <p className="cg-hint">{t('round.hiddenUntilReveal')}</p>}
      <RoundActions round={round} />
      {round.status === 'revealed' && <ConsensusResultView round={round} />}
    </div>
  )
}

function ConsensusResultView({ round }: { round: Round }) {
  const { t } = useI18n()
  const { state } = useRounds()
  const textOf = useTextOf()
  const result: RoundResult | undefined = state.results.get(round.id)
  if (result?.kind !== 'consensus')
    return (
      <p className="cg-hint" aria-live="polite">
        {t('vote.counting')}
      </p>
    )
  const consensus: ConsensusResult = result
  const most = Math.max(1, ...consensus.fingers)
  const average = averageFingers(consensus)
  const reached = consensusReached(consensus)
  return (
    <div className="cg-consensus-result" data-testid="consensus-result">
      <p data-testid="consensus-summary">
        {average === null
          ? t('consensus.nobody')
          : t('consensus.summary', { count: consensus.voters, average: average.toFixed(1) })}{' '}
        {reached !== null && (
          <strong>{t(reached ? 'consensus.reached' : 'consensus.notReached')}</strong>
        )}
      </p>
      <div className="cg-bars" aria-hidden="true">
        {consensus.fingers.map((count, value) => (
          <div key={FINGER_MESSAGES[value]} className="cg-bar-row">
            <span className="cg-bar-label">{value}</span>
            <span className="cg-bar-track">
              <span
                className="cg-bar-fill"
                data-testid="finger-bar"
                data-value={value}
                data-count={count}
                style={{ width: `${(count / most) * 100}%`, minWidth: count > 0 ? 2 : 0 }}
              />
            </span>
            <span className="cg-bar-count">{count}</span>
          </div>
        ))}
      </div>
      <table className="cg-round-table" data-testid="consensus-table">
        <caption>{t('consensus.tableCaption', { text: textOf(round.itemIds[0] ?? '') })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('consensus.fingers')}</th>
            <th scope="col">{t('placement.people')}</th>
          </tr>
        </thead>
        <tbody>
          {consensus.fingers.map((count, value) => (
            <tr key={FINGER_MESSAGES[value]}>
              <th scope="row">{t(FINGER_MESSAGES[value] ?? FINGER_MESSAGES[0])}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A facilitator starts a placement round (over the Issues stage) or a consensus check (one issue). */
function StartRound({ kind }: { kind: Round['kind'] }) {
  const { t } = useI18n()
  const { commands } = useBoardModel()
  const plan = usePlan()
  const id = useId()
  const issues = plan.issues
  const [issue, setIssue] = useState('')
  const [problem, setProblem] = useState<MessageKey | null>(null)
  // A check usually comes just before promoting: the top of the latest ranking by default.
  const { state } = useRounds()
  const latest = roundsInOrder(state, 'placement')
    .reverse()
    .find((round) => state.results.get(round.id)?.kind === 'placement')
  const latestResult = latest ? state.results.get(latest.id) : undefined
  const bestPlaced =
    latest && latestResult?.kind === 'placement'
      ? rankPlacements(latest, latestResult, latest.rankingRule ?? 'impactMinusEffort')[0]?.itemId
      : undefined
  const suggested = [bestPlaced, plan.ranking[0]?.id].find(
    (id) => id !== undefined && issues.some((item) => item.id === id),
  )
  const chosen = issue || suggested || issues[0]?.id || ''
  function start() {
    const itemIds = kind === 'placement' ? issues.map((item) => item.id) : chosen ? [chosen] : []
    if (itemIds.length === 0) {
      setProblem('vote.noItems')
      return
    }
    const title =
      kind === 'placement'
        ? t('placement.title')
        : t('consensus.on', { text: issues.find((item) => item.id === chosen)?.text ?? '' })
    const ok = tryVote(() =>
      commands.startRound({
        kind,
        title: title.slice(0, MAX_LINE_LENGTH),
        itemIds,
        now: serverNow(),
      }),
    )
    setProblem(ok ? null : 'vote.badSetting')
  }
  return (
    <div className="cg-vote-start">
      {kind === 'consensus' && (
        <>
          <label htmlFor={`${id}-issue`}>{t('consensus.pickIssue')}</label>
          <select
            id={`${id}-issue`}
            className="cg-input"
            value={chosen}
            onChange={(event) => setIssue(event.target.value)}
          >
            {issues.map((item) => (
              <option key={item.id} value={item.id}>
                {item.text || t('vote.emptyNote')}
              </option>
            ))}
          </select>
        </>
      )}
      {problem && (
        <p role="alert" className="cg-error">
          {t(problem)}
        </p>
      )}
      <button type="button" className="cg-button cg-button-primary" onClick={start}>
        {t(kind === 'placement' ? 'placement.start' : 'consensus.start', {
          count: issues.length,
        })}
      </button>
    </div>
  )
}
