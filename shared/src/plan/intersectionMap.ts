/**
 * The intersection map as a matrix: organizations down, intersections across, a cell set where an
 * arrow links the two. What the plan panel and the exports show beside the canvas.
 */
import type { PartnershipPlan } from './partnershipPlan.ts'

export interface IntersectionMatrix {
  /** Row headers: organization ids and names, in the plan's order. */
  organizations: { id: string; name: string }[]
  /** Column headers: intersection ids and titles, in the plan's order. */
  intersections: { id: string; title: string }[]
  /** `linked[row][column]`. */
  linked: boolean[][]
}

export function intersectionMatrix(
  plan: Pick<PartnershipPlan, 'organizations' | 'intersections'>,
): IntersectionMatrix {
  const column = new Map(plan.intersections.map((intersection, i) => [intersection.id, i]))
  const row = new Map(plan.organizations.map((organization, i) => [organization.id, i]))
  const linked = plan.organizations.map(() => plan.intersections.map(() => false))
  for (const intersection of plan.intersections) {
    for (const organization of intersection.organizations) {
      const r = row.get(organization)
      const c = column.get(intersection.id)
      if (r !== undefined && c !== undefined) (linked[r] as boolean[])[c] = true
    }
  }
  return {
    organizations: plan.organizations.map(({ id, name }) => ({ id, name })),
    intersections: plan.intersections.map(({ id, title }) => ({ id, title })),
    linked,
  }
}
