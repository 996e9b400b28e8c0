import { useEffect, useState } from 'react'
import { serverNow } from '../sync/serverClock.ts'

/** Milliseconds as m:ss, rounded up, for the countdown. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/** The vote clock, ticking once a second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(serverNow)
  useEffect(() => {
    if (!active) return
    setNow(serverNow())
    const timer = setInterval(() => setNow(serverNow()), 1000)
    return () => clearInterval(timer)
  }, [active])
  return now
}
