import { useEffect, useState } from 'react'

/**
 * Shows a choice at once; the derived plan confirms it a moment later, and this then yields to
 * the plan (which also carries other people's later choices).
 */
export function usePending<T>(value: T): [T, (pending: T) => void] {
  const [pending, setPending] = useState<{ value: T } | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new plan value is the signal to yield
  useEffect(() => setPending(null), [value])
  return [pending ? pending.value : value, (next) => setPending({ value: next })]
}
