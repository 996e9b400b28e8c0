/**
 * Reading and writing the facilitation map (shared/src/facilitation) from React. Values are
 * read through the shared validators, so a malformed value reads as "none" instead of breaking
 * the page; writes go through the server's review like every other change.
 */
import { FACILITATION } from '@common-ground/shared'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'

/** One key of the facilitation map, live, as `read` makes of it. */
export function useFacilitationValue<T>(
  doc: Y.Doc,
  key: string,
  read: (value: unknown) => T | null,
): T | null {
  const [value, setValue] = useState<T | null>(() => read(doc.getMap(FACILITATION).get(key)))
  useEffect(() => {
    const map = doc.getMap(FACILITATION)
    const update = () => setValue(read(map.get(key)))
    update()
    const onChange = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has(key)) update()
    }
    map.observe(onChange)
    return () => map.unobserve(onChange)
  }, [doc, key, read])
  return value
}

/** Sets (or, with `undefined`, removes) a facilitation key. */
export function writeFacilitation(doc: Y.Doc, key: string, value: unknown): void {
  const map = doc.getMap(FACILITATION)
  if (value === undefined) map.delete(key)
  else map.set(key, value)
}
