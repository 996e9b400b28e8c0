/**
 * The board's connection at a glance, as the board bar and the Progress view show it: a dot and
 * a word (live, reconnecting, offline, or why the server refused), announced politely when it
 * changes. `children` follow the word (the bar's "N items waiting to be sent").
 */
import { CLOSE } from '@common-ground/shared/board'
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { BoardConnection, ConnectionStatus } from '../sync/BoardConnection.ts'

const STATUS_KEYS = {
  connecting: 'status.connecting',
  live: 'status.connected',
  reconnecting: 'status.reconnecting',
  offline: 'status.offline',
  refused: 'status.refused',
} as const satisfies Record<ConnectionStatus, string>

export function ConnectionBadge(props: {
  status: ConnectionStatus
  connection: Pick<BoardConnection, 'refusalCode'>
  children?: ReactNode
}) {
  const { t } = useI18n()
  const { status, connection } = props
  const word =
    status === 'refused' && connection.refusalCode === CLOSE.boardTooLarge
      ? 'status.boardTooBig'
      : status === 'refused' && connection.refusalCode === CLOSE.boardNotFound
        ? 'status.boardNotFound'
        : STATUS_KEYS[status]
  return (
    <span
      className={`cg-status cg-status-${status}`}
      role="status"
      aria-live="polite"
      data-status={status}
    >
      <span className="cg-status-dot" aria-hidden="true" />
      <span className="cg-visually-hidden">{t('status.label')}: </span>
      <span className="cg-status-text">{t(word)}</span>
      {props.children}
    </span>
  )
}
