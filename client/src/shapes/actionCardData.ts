/**
 * What the action cards show, per editor: the derived plan's action items by issue and the
 * organizations' names. One place derives the plan for every card (plan/actionCards.ts follows
 * the board and publishes here); each card reads its item by issue id. Keyed by editor, not held
 * in React context, so a card rendered for an image export reads the same data.
 */
import type { ActionPlanItem, PartnershipPlan } from '@common-ground/shared/plan'
import { type Atom, atom, type Editor } from 'tldraw'

export interface ActionCardData {
  /** Action plan items by issue id. */
  items: ReadonlyMap<string, ActionPlanItem>
  /** Organization names by card id ('' for an unnamed one). */
  organizations: ReadonlyMap<string, string>
}

const EMPTY: ActionCardData = { items: new Map(), organizations: new Map() }
const byEditor = new WeakMap<Editor, Atom<ActionCardData>>()

export function actionCardData(editor: Editor): Atom<ActionCardData> {
  let data = byEditor.get(editor)
  if (!data) {
    data = atom('action card data', EMPTY)
    byEditor.set(editor, data)
  }
  return data
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Publishes a newly derived plan. An item equal to the one before keeps its identity, so only
 * the cards whose issue changed render again (the plan is derived again on every edit).
 */
export function publishActionCardData(editor: Editor, plan: PartnershipPlan): void {
  const data = actionCardData(editor)
  const before = data.get()
  const items = new Map<string, ActionPlanItem>()
  for (const item of plan.actionPlan) {
    const earlier = before.items.get(item.issue)
    items.set(item.issue, earlier && sameJson(earlier, item) ? earlier : item)
  }
  const names = new Map(plan.organizations.map((org) => [org.id, org.name]))
  const organizations = sameJson([...names], [...before.organizations])
    ? before.organizations
    : names
  data.set({ items, organizations })
}
