/**
 * The retreats before and after this board (the server's `meta.previousRetreat` and
 * `meta.nextRetreat`), as links in the plan panel and the Progress view; and for a facilitator of
 * a board with no next retreat yet, "Start the next retreat from this plan": after a confirmation
 * the server makes the new board (`POST /api/boards/:id/next-retreat`), this browser keeps its
 * facilitator key and opens it.
 */

import type { LinkedBoard } from '@common-ground/shared/board'
import { isOpenStep } from '@common-ground/shared/export'
import { useValue } from '@tldraw/state-react'
import { useId, useState } from 'react'
import { saveBoardKey } from '../access/boardKeys.ts'
import { startNextRetreat } from '../api.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardAccess, useBoardModel, usePlan } from '../session/BoardModelContext.tsx'

/** The previous and next retreat's links, when there are (nothing otherwise). */
export function RetreatLinks(props: { headingLevel?: 'h2' | 'h3' }) {
  const { t } = useI18n()
  const board = useBoardModel()
  const { previous, next } = useValue('linked boards', () => board.linkedBoards.get(), [board])
  const headingId = useId()
  if (!previous && !next) return null
  const Heading = props.headingLevel ?? 'h3'
  return (
    <section className="cg-retreat-links" aria-labelledby={headingId} data-testid="retreat-links">
      <Heading id={headingId}>{t('nextRetreat.heading')}</Heading>
      {previous && <BoardLink label={t('nextRetreat.previous')} board={previous} rel="prev" />}
      {next && <BoardLink label={t('nextRetreat.next')} board={next} rel="next" />}
    </section>
  )
}

/**
 * "Start the next retreat from this plan", for a facilitator of a board that has no next retreat
 * yet: an end-of-day action, so it sits at the end of the plan panel.
 */
export function StartNextRetreat() {
  const { t, locale } = useI18n()
  const board = useBoardModel()
  const plan = usePlan()
  const { facilitator } = useBoardAccess()
  const { next } = useValue('linked boards', () => board.linkedBoards.get(), [board])
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState('')
  const headingId = useId()
  if (!facilitator || next || !board.token) return null

  const start = async () => {
    const steps = plan.actionPlan.flatMap((item) => item.steps).filter(isOpenStep).length
    const question = t('nextRetreat.confirm', {
      organizations: plan.organizations.length,
      steps,
    })
    if (!board.token || !window.confirm(question)) return
    setBusy(true)
    setFailure('')
    const result = await startNextRetreat(board.boardId, board.token, locale)
    if (result.ok) {
      const { id, tokens, links } = result.value
      saveBoardKey(id, { token: tokens.facilitate, role: 'facilitator', links })
      window.location.assign(`/b/${encodeURIComponent(id)}`)
      return
    }
    setBusy(false)
    setFailure(
      t('nextRetreat.failed', {
        reason:
          result.kind === 'network'
            ? t('error.network')
            : result.kind === 'server'
              ? result.message
              : t('error.server', { status: result.kind === 'not-found' ? 404 : 403 }),
      }),
    )
  }

  return (
    <section className="cg-retreat-start" aria-labelledby={headingId} data-testid="next-retreat">
      <h3 id={headingId}>{t('nextRetreat.startHeading')}</h3>
      <p className="cg-hint">{t('nextRetreat.help')}</p>
      <button type="button" className="cg-button" disabled={busy} onClick={start}>
        {busy ? t('nextRetreat.starting') : t('nextRetreat.start')}
      </button>
      <p className="cg-error" role="alert" hidden={!failure}>
        {failure}
      </p>
    </section>
  )
}

/** A link to another board: it opens for whoever holds one of that board's own links. */
function BoardLink(props: { label: string; board: LinkedBoard; rel: 'prev' | 'next' }) {
  return (
    <p>
      {props.label}:{' '}
      <a href={`/b/${encodeURIComponent(props.board.id)}`} rel={props.rel}>
        {props.board.title}
      </a>
    </p>
  )
}
