import { LivePlan, type Locale, type PartnershipPlan } from '@common-ground/shared'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** The board's plan, re-derived (throttled, in `shared`) as the doc changes. */
export function useLivePlan(doc: Y.Doc, locale: Locale): PartnershipPlan {
  const [live] = useState(() => new LivePlan(doc, { locale }))
  const [plan, setPlan] = useState(() => live.get())
  useEffect(() => live.subscribe(setPlan), [live])
  useEffect(() => live.setLocale(locale), [live, locale])
  useEffect(() => () => live.destroy(), [live])
  return plan
}
