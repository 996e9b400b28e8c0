import type { WriteRefusalCode } from '@common-ground/shared/board'
import type { MessageKey } from '@common-ground/shared/i18n'
import { useValue } from '@tldraw/state-react'
import { useEffect, useState } from 'react'
import './access.css'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useBoardModel } from '../session/BoardModelContext.tsx'

const MESSAGES: Record<WriteRefusalCode, MessageKey> = {
  'read-only': 'refused.readOnly',
  'facilitators-only': 'refused.facilitatorsOnly',
  'board-closed': 'refused.boardClosed',
  'not-yours': 'refused.notYours',
  invalid: 'refused.invalid',
  'server-only': 'refused.serverOnly',
  'foreign-client': 'refused.foreignClient',
}

const SHOWN_MS = 6000

/** Says, for a few seconds, why the server took back the last change made here. */
export function WriteRefusedAlert() {
  const { t } = useI18n()
  const { connection } = useBoardModel()
  const notice = useValue('refused write', () => connection.refusedWrite.get(), [connection])
  const [shown, setShown] = useState<typeof notice>(null)
  useEffect(() => {
    if (!notice) return
    setShown(notice)
    const timer = setTimeout(() => setShown(null), SHOWN_MS)
    return () => clearTimeout(timer)
  }, [notice])
  return (
    <div className="cg-refused" role="alert" data-testid="write-refused">
      {shown && <p key={shown.serial}>{t(MESSAGES[shown.code] ?? 'refused.invalid')}</p>}
    </div>
  )
}
