/**
 * The vote beside the canvas: a facilitator starts one over the Issues stage or the selected
 * notes, watches how many have voted, raises the budget, closes, reveals, runs a runoff and
 * promotes the top issues into the action plan; everyone sees their dots left, the countdown
 * and, after the reveal, the ranking with ties as ties. All rules and counting live in `shared`.
 */
import { MAX_LINE_LENGTH } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import { isTheme, itemTextOf } from '@common-ground/shared/themes'
import {
  currentVote,
  DEFAULT_DOTS_PER_PARTICIPANT,
  DEFAULT_MAX_DOTS_PER_ITEM,
  dotsLeft,
  fairOrder,
  MAX_DOTS_PER_ITEM,
  MAX_DOTS_PER_PARTICIPANT,
  MAX_VOTE_MINUTES,
  promotionCut,
  type RankedItem,
  resolvedRanking,
  resultsVisible,
  runoffItems,
  tiedRanks,
  type VoteSession,
  type VoteStatus,
} from '@common-ground/shared/vote'
import { type FormEvent, useId, useState } from 'react'
import type { TLShapeId } from 'tldraw'
import { useBoardView } from '../board/BoardViewContext.tsx'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { usePeople } from '../room/personPresence.ts'
import {
  useBoardAccess,
  useBoardModel,
  useLive,
  useMyDots,
  usePlan,
  useTurnout,
  useVotes,
} from '../session/BoardModelContext.tsx'
import { serverNow } from '../sync/serverClock.ts'
import { changeDot } from './changeDot.ts'
import { clock, useNow } from './countdown.ts'
import { ConsensusSection, PlacementSection } from './PlacementPanel.tsx'
import { tryVote } from './voteNotice.ts'
import { isCounting, voteView } from './voteView.ts'
import './vote.css'

export const VOTE_PANEL_ID = 'cg-vote-panel'

const STATUS_KEYS = {
  open: 'vote.statusOpen',
  closed: 'vote.statusClosed',
  revealed: 'vote.statusRevealed',
} as const satisfies Record<VoteStatus, MessageKey>

export function VotePanel() {
  const { t } = useI18n()
  const { editor } = useBoardView()
  const state = useVotes()
  const plan = usePlan()
  const session = currentVote(state)
  const { facilitator } = useBoardAccess()
  const headingId = useId()
  // A vote's items are notes or themes (a theme reads as its title).
  const textOf = (itemId: string) =>
    plan.issues.find((issue) => issue.id === itemId)?.text ??
    plan.themes.find((theme) => theme.id === itemId)?.title ??
    itemTextOf(editor?.getShape(itemId as TLShapeId))
  const history = [...state.sessions.values()]
    .filter((other) => other.id !== session?.id)
    .sort((a, b) => b.startedAt - a.startedAt)

  return (
    <aside
      id={VOTE_PANEL_ID}
      className="cg-plan-panel cg-vote-panel"
      aria-labelledby={headingId}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard must be able to scroll it when what overflows holds no control (a revealed round's chart and tables, for a participant)
      tabIndex={0}
    >
      <h2 id={headingId}>{t('vote.title')}</h2>
      {session ? (
        <CurrentVote session={session} textOf={textOf} facilitator={facilitator} />
      ) : (
        <p className="cg-hint">{t('vote.none')}</p>
      )}
      {facilitator && (!session || session.status === 'revealed') && (
        <StartVote
          issueIds={plan.issues.map((issue) => issue.id)}
          themeIds={plan.themes.map((theme) => theme.id)}
        />
      )}
      {!facilitator && !session && <p className="cg-hint">{t('vote.facilitatorsStart')}</p>}
      <PlacementSection />
      <ConsensusSection />
      {history.length > 0 && (
        <section aria-labelledby={`${headingId}-history`}>
          <h3 id={`${headingId}-history`}>{t('vote.history')}</h3>
          <ul className="cg-plan-list">
            {history.map((past) => (
              <li key={past.id}>
                {t('vote.historyRow', { title: past.title, status: t(STATUS_KEYS[past.status]) })}
                {past.status === 'revealed' &&
                  (isCounting(state, past) ? (
                    <p className="cg-hint">{t('vote.counting')}</p>
                  ) : (
                    <Ranking
                      ranking={resolvedRanking(state, past)}
                      textOf={textOf}
                      label={past.title}
                    />
                  ))}
              </li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  )
}

function CurrentVote(props: {
  session: VoteSession
  textOf(itemId: string): string
  facilitator: boolean
}) {
  const { session, textOf, facilitator } = props
  const { t } = useI18n()
  const board = useBoardModel()
  const { commands } = board
  const { readOnly } = useBoardAccess()
  const state = useVotes()
  const now = useNow(session.status === 'open' && session.endsAt !== null)
  const [promoteCount, setPromoteCount] = useState(3)
  const [promoted, setPromoted] = useState<number | null>(null)
  // Ballots are the server's: my dots come from my ballot, how many voted (and, in a visible
  // vote, the counts and names) from its turnout, the results from the outcome it wrote.
  const mine = useMyDots(session)
  const turnout = useTurnout(session.id)
  const live = useLive()
  const left = dotsLeft(session, { dots: Object.fromEntries(mine) })
  const visible = resultsVisible(session)
  const view = voteView(state, session, turnout)
  const ranking = view.ranking
  const tiedItems = session.status === 'revealed' ? runoffItems(ranking) : []
  const root = session.runoffOf ? state.sessions.get(session.runoffOf) : session
  const rootCounted = root ? !isCounting(state, root) : false

  // Where "promote the top N" cuts the root vote's ranking; a tie at the cut is the facilitator's
  // to settle (all of them, a runoff, or a pick), never broken silently.
  const cut = root ? promotionCut(resolvedRanking(state, root), promoteCount) : null
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const pickedTied = cut ? cut.tied.filter((item) => picked.has(item.itemId)) : []

  function promote(items: readonly RankedItem[]) {
    if (!root) return
    tryVote(() => commands.promoteTopIssues(items, root.id, textOf))
    setPromoted(items.length)
  }

  function togglePick(itemId: string) {
    setPicked((before) => {
      const next = new Set(before)
      if (!next.delete(itemId)) next.add(itemId)
      return next
    })
  }

  return (
    <section className="cg-vote-current" data-status={session.status} data-testid="current-vote">
      <h3>{session.title}</h3>
      <p role="status" data-testid="vote-status">
        <strong>{t(STATUS_KEYS[session.status])}</strong>
        {' · '}
        {t('vote.settings', { count: session.dotsPerParticipant, cap: session.maxDotsPerItem })}
      </p>
      {view.voters === null ? (
        <p data-testid="voters" data-counting="true" aria-live="polite">
          {t('vote.counting')}
        </p>
      ) : (
        <p data-testid="voters" data-count={view.voters}>
          {t('vote.voters', { count: view.voters })}
        </p>
      )}
      {facilitator && view.voters !== null && session.status !== 'revealed' && (
        <BallotCheck ballots={view.voters} />
      )}
      {session.status === 'open' && (
        <>
          <p className="cg-vote-left" data-testid="dots-left" data-count={left}>
            {t('vote.dotsLeft', { count: left })}
          </p>
          {session.endsAt !== null && (
            <p className="cg-vote-countdown" data-testid="countdown">
              {session.endsAt > now
                ? t('vote.timeLeft', { time: clock(session.endsAt - now) })
                : t('vote.timeUp')}
            </p>
          )}
          <p className="cg-hint">{t('vote.help')}</p>
          {!readOnly && !live && (
            <p className="cg-vote-offline" data-testid="vote-offline">
              {t('vote.needsConnection')}
            </p>
          )}
          {!readOnly && (session.endsAt === null || now < session.endsAt) && (
            <MyBallot session={session} mine={mine} textOf={textOf} />
          )}
        </>
      )}
      {!visible && session.status !== 'open' && (
        <p className="cg-hint">{t('vote.hiddenUntilReveal')}</p>
      )}
      {facilitator && (
        <div className="cg-vote-actions">
          {session.status === 'open' && (
            <>
              <button
                type="button"
                className="cg-button"
                disabled={session.dotsPerParticipant >= MAX_DOTS_PER_PARTICIPANT}
                onClick={() =>
                  tryVote(() =>
                    commands.changeVote(session.id, {
                      dotsPerParticipant: session.dotsPerParticipant + 1,
                    }),
                  )
                }
              >
                {t('vote.raise')}
              </button>
              <button
                type="button"
                className="cg-button"
                onClick={() => tryVote(() => commands.closeVote(session.id, serverNow()))}
              >
                {t('vote.close')}
              </button>
            </>
          )}
          {session.status === 'closed' && (
            <button
              type="button"
              className="cg-button"
              onClick={() => tryVote(() => commands.reopenVote(session.id))}
            >
              {t('vote.reopen')}
            </button>
          )}
          {session.status !== 'revealed' && (
            <button
              type="button"
              className="cg-button"
              onClick={() => tryVote(() => commands.revealVote(session.id, serverNow()))}
            >
              {t('vote.reveal')}
            </button>
          )}
          {tiedItems.length > 1 && (
            <button
              type="button"
              className="cg-button"
              onClick={() =>
                tryVote(() =>
                  commands.startRunoff(session.id, {
                    now: serverNow(),
                    title: t('vote.runoffTitle', { title: session.title }).slice(
                      0,
                      MAX_LINE_LENGTH,
                    ),
                  }),
                )
              }
            >
              {t('vote.runoff')}
            </button>
          )}
        </div>
      )}
      {visible && !view.counting && (
        <Ranking
          ranking={ranking}
          textOf={textOf}
          label={session.title}
          names={view.names ?? undefined}
        />
      )}
      {facilitator && session.status === 'revealed' && root && rootCounted && (
        <div className="cg-vote-promote">
          <label>
            {t('vote.promoteCount')}{' '}
            <input
              className="cg-input cg-vote-number"
              type="number"
              min={1}
              max={root.itemIds.length}
              value={promoteCount}
              onChange={(event) => setPromoteCount(Math.max(1, Number(event.target.value) || 1))}
            />
          </label>
          {cut && cut.tied.length === 0 && (
            <button type="button" className="cg-button" onClick={() => promote(cut.sure)}>
              {t('vote.promote')}
            </button>
          )}
          {cut && cut.tied.length > 0 && (
            <fieldset className="cg-vote-cut" data-testid="promotion-tie">
              <legend>
                {t('vote.cutTied', {
                  place: cut.tiedRank,
                  tied: cut.tied.length,
                  count: cut.openPlaces,
                })}
              </legend>
              <ul className="cg-plan-list">
                {fairOrder(cut.tied, board.personId, session.id, (item) => item.itemId).map(
                  (item) => (
                    <li key={item.itemId}>
                      <label className="cg-vote-pick">
                        <input
                          type="checkbox"
                          checked={picked.has(item.itemId)}
                          onChange={() => togglePick(item.itemId)}
                        />{' '}
                        {textOf(item.itemId) || t('vote.emptyNote')}
                      </label>
                    </li>
                  ),
                )}
              </ul>
              <button
                type="button"
                className="cg-button"
                onClick={() => promote([...cut.sure, ...cut.tied])}
              >
                {t('vote.promoteAllTied', { count: cut.sure.length + cut.tied.length })}
              </button>
              {root?.status === 'revealed' && (
                <button
                  type="button"
                  className="cg-button"
                  onClick={() =>
                    tryVote(() =>
                      commands.startRunoff(root.id, {
                        now: serverNow(),
                        title: t('vote.runoffTitle', { title: root.title }).slice(
                          0,
                          MAX_LINE_LENGTH,
                        ),
                        atRank: cut.tiedRank,
                      }),
                    )
                  }
                >
                  {t('vote.runoffTied')}
                </button>
              )}
              <button
                type="button"
                className="cg-button"
                aria-disabled={pickedTied.length !== cut.openPlaces}
                onClick={() => {
                  if (pickedTied.length === cut.openPlaces) promote([...cut.sure, ...pickedTied])
                }}
              >
                {t('vote.promotePicked', { count: cut.sure.length + cut.openPlaces })}
              </button>
            </fieldset>
          )}
          {promoted !== null && (
            <p role="status" className="cg-hint">
              {t('vote.promoted', { count: promoted })}
            </p>
          )}
        </div>
      )}
    </section>
  )
}

/**
 * The accessible way to vote, beside the chips on the canvas: every note of the vote with my
 * dots on it and buttons to add or take one, reachable by keyboard and named for screen readers.
 * "Take" stays focusable at zero (aria-disabled) so the focus never drops to the page.
 */
function MyBallot(props: {
  session: VoteSession
  mine: ReadonlyMap<string, number>
  textOf(itemId: string): string
}) {
  const { session, mine, textOf } = props
  const { t } = useI18n()
  const board = useBoardModel()
  const headingId = useId()
  // Each person's own order, fixed for the round, so no item is always first (fairOrder.ts).
  const order = fairOrder(session.itemIds, board.personId, session.id)
  return (
    <section className="cg-vote-ballot" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('vote.ballotHeading')}</h4>
      <ul className="cg-plan-list" data-testid="ballot">
        {order.map((itemId) => {
          const text = textOf(itemId) || t('vote.emptyNote')
          const my = mine.get(itemId) ?? 0
          return (
            <li key={itemId} className="cg-vote-ballot-item" data-item={itemId}>
              <span className="cg-vote-ballot-text">{text}</span>
              <span className="cg-vote-ballot-controls">
                <button
                  type="button"
                  className="cg-vote-dot-button"
                  aria-label={t('vote.removeDot', { text })}
                  aria-disabled={my === 0}
                  onClick={() => {
                    if (my > 0) changeDot(board, session, itemId, -1)
                  }}
                >
                  −
                </button>
                <span className="cg-vote-mine" data-testid="ballot-dots" data-count={my}>
                  {t('vote.myDots', { count: my })}
                </span>
                <button
                  type="button"
                  className="cg-vote-dot-button"
                  aria-label={t('vote.addDot', { text })}
                  onClick={() => changeDot(board, session, itemId, 1)}
                >
                  +
                </button>
              </span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function Ranking(props: {
  ranking: RankedItem[]
  textOf(itemId: string): string
  label: string
  /** Who voted for each item (named votes only: the turnout's or the outcome's names). */
  names?: ReadonlyMap<string, string>
}) {
  const { t } = useI18n()
  const tied = tiedRanks(props.ranking)
  return (
    <ol className="cg-vote-ranking" aria-label={`${t('vote.ranking')}: ${props.label}`}>
      {props.ranking.map((item) => (
        <li
          key={item.itemId}
          data-testid="ranked-item"
          data-rank={item.rank}
          data-item={item.itemId}
        >
          {t('vote.rankRow', {
            rank: item.rank,
            text: props.textOf(item.itemId) || t('vote.emptyNote'),
            count: item.dots,
          })}
          {tied.has(item.rank) && <span className="cg-vote-tied"> ({t('vote.tied')})</span>}
          {props.names?.get(item.itemId) && (
            <span className="cg-hint cg-vote-names"> · {props.names.get(item.itemId)}</span>
          )}
        </li>
      ))}
    </ol>
  )
}

function StartVote(props: { issueIds: string[]; themeIds: string[] }) {
  const { t } = useI18n()
  const { commands } = useBoardModel()
  const { editor } = useBoardView()
  const id = useId()
  const selected = (editor?.getSelectedShapes() ?? [])
    .filter((shape) => shape.type === 'note' || isTheme(shape))
    .map((shape) => shape.id as string)
  const [over, setOver] = useState<'issues' | 'themes' | 'selection'>('issues')
  const [title, setTitle] = useState(() => t('vote.titleDefault'))
  const [dots, setDots] = useState(String(DEFAULT_DOTS_PER_PARTICIPANT))
  const [cap, setCap] = useState(String(DEFAULT_MAX_DOTS_PER_ITEM))
  const [anonymous, setAnonymous] = useState(true)
  const [hidden, setHidden] = useState(true)
  const [minutes, setMinutes] = useState('')
  const [problem, setProblem] = useState<MessageKey | null>(null)

  function submit(event: FormEvent) {
    event.preventDefault()
    const itemIds =
      over === 'issues' ? props.issueIds : over === 'themes' ? props.themeIds : selected
    if (itemIds.length === 0) {
      setProblem('vote.noItems')
      return
    }
    const dotsPerParticipant = Number(dots)
    const maxDotsPerItem = Number(cap)
    const limit = minutes.trim() === '' ? null : Number(minutes)
    if (
      !Number.isInteger(dotsPerParticipant) ||
      !Number.isInteger(maxDotsPerItem) ||
      (limit !== null && !(limit > 0 && limit <= MAX_VOTE_MINUTES))
    ) {
      setProblem('vote.badSetting')
      return
    }
    const now = serverNow()
    const ok = tryVote(() =>
      commands.startVote({
        title: title.trim().slice(0, MAX_LINE_LENGTH) || t('vote.titleDefault'),
        itemIds,
        dotsPerParticipant,
        maxDotsPerItem,
        anonymous,
        hiddenUntilReveal: hidden,
        endsAt: limit === null ? null : Math.round(now + limit * 60_000),
        now,
      }),
    )
    setProblem(ok ? null : 'vote.badSetting')
  }

  return (
    <form className="cg-vote-start" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('vote.startHeading')}</h3>
      <label htmlFor={`${id}-title`}>{t('vote.titleLabel')}</label>
      <input
        id={`${id}-title`}
        className="cg-input"
        value={title}
        maxLength={MAX_LINE_LENGTH}
        onChange={(event) => setTitle(event.target.value)}
      />
      <fieldset className="cg-plan-choice">
        <legend>{t('vote.over')}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-over`}
            checked={over === 'issues'}
            onChange={() => setOver('issues')}
          />{' '}
          {t('vote.overIssues', { count: props.issueIds.length })}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-over`}
            checked={over === 'themes'}
            onChange={() => setOver('themes')}
          />{' '}
          {t('vote.overThemes', { count: props.themeIds.length })}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-over`}
            checked={over === 'selection'}
            onChange={() => setOver('selection')}
          />{' '}
          {t('vote.overSelection', { count: selected.length })}
        </label>
      </fieldset>
      <label htmlFor={`${id}-dots`}>{t('vote.dotsLabel')}</label>
      <input
        id={`${id}-dots`}
        className="cg-input cg-vote-number"
        type="number"
        min={1}
        max={MAX_DOTS_PER_PARTICIPANT}
        value={dots}
        onChange={(event) => setDots(event.target.value)}
      />
      <label htmlFor={`${id}-cap`}>{t('vote.capLabel')}</label>
      <input
        id={`${id}-cap`}
        className="cg-input cg-vote-number"
        type="number"
        min={1}
        max={MAX_DOTS_PER_ITEM}
        value={cap}
        onChange={(event) => setCap(event.target.value)}
      />
      <label>
        <input
          type="checkbox"
          checked={anonymous}
          onChange={(event) => setAnonymous(event.target.checked)}
        />{' '}
        {t('vote.anonymous')}
      </label>
      <label>
        <input
          type="checkbox"
          checked={hidden}
          onChange={(event) => setHidden(event.target.checked)}
        />{' '}
        {t('vote.hidden')}
      </label>
      <label htmlFor={`${id}-minutes`}>{t('vote.minutesLabel')}</label>
      <input
        id={`${id}-minutes`}
        className="cg-input cg-vote-number"
        type="number"
        min={1}
        max={MAX_VOTE_MINUTES}
        value={minutes}
        onChange={(event) => setMinutes(event.target.value)}
      />
      {problem && (
        <p role="alert" className="cg-error">
          {t(problem)}
        </p>
      )}
      <button type="submit" className="cg-button cg-button-primary">
        {t('vote.start')}
      </button>
    </form>
  )
}

/**
 * For facilitators: ballots against the people who may vote on the board now. More ballots than
 * people means someone voted from several browsers (each has its own ballot; docs/voting.md).
 */
function BallotCheck({ ballots }: { ballots: number }) {
  const { t } = useI18n()
  const { connection } = useBoardModel()
  const people = usePeople(connection.provider.awareness)
  const voters = new Set(
    people.filter((person) => person.role !== 'observer').map((person) => person.personId),
  ).size
  return (
    <p className="cg-hint" data-testid="ballot-check" data-ballots={ballots} data-people={voters}>
      {t('vote.ballotCheck', { ballots, people: voters })}
      {ballots > voters && (
        <strong className="cg-vote-warning" role="alert">
          {' '}
          {t('vote.ballotCheckWarning')}
        </strong>
      )}
    </p>
  )
}
