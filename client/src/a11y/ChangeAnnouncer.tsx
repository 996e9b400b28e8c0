import { PLAN } from '@common-ground/shared/plan'
import { useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'
import { noteChange, type PendingChanges, summaryMessages } from './changeSummary.ts'

/** At most one announcement this often: enough to follow along, never a stream of chatter. */
export const ANNOUNCE_EVERY_MS = 8000

type RecordChange = { action: 'add' | 'update' | 'delete'; oldValue?: unknown; newValue?: unknown }

/**
 * A polite live region that tells screen-reader users what others changed (counted by kind,
 * throttled). Own changes and hidden votes are never announced.
 */
export function ChangeAnnouncer() {
  const { t } = useI18n()
  const { connection } = useBoardModel()
  const [text, setText] = useState('')
  const pending = useRef<{ changes: PendingChanges; plan: Set<string> }>({
    changes: new Map(),
    plan: new Set(),
  })

  useEffect(() => {
    const remote = (transaction: Y.Transaction) => transaction.origin === connection.provider
    const onRecords = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
      if (!remote(transaction)) return
      for (const [id, change] of changes) {
        const record = change.newValue ?? change.oldValue
        const action =
          change.action === 'add' ? 'added' : change.action === 'delete' ? 'removed' : 'changed'
        noteChange(pending.current.changes, id, record, action)
      }
    }
    const plan = connection.doc.getMap(PLAN)
    const onPlan = (event: Y.YMapEvent<unknown>) => {
      if (!remote(event.transaction)) return
      for (const key of event.keysChanged) pending.current.plan.add(key)
    }
    connection.board.records.on('change', onRecords)
    plan.observe(onPlan)
    const timer = setInterval(() => {
      const { changes, plan: answers } = pending.current
      const messages = summaryMessages(changes, answers.size)
      pending.current = { changes: new Map(), plan: new Set() }
      if (messages.length > 0) {
        setText(messages.map(({ key, count }) => t(key, { count })).join('; '))
      }
    }, ANNOUNCE_EVERY_MS)
    return () => {
      connection.board.records.off('change', onRecords)
      plan.unobserve(onPlan)
      clearInterval(timer)
    }
  }, [connection, t])

  return (
    <div className="cg-visually-hidden" aria-live="polite" data-testid="change-announcer">
      {text}
    </div>
  )
}
