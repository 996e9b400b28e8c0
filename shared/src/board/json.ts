/**
 * What a board may hold: plain JSON. Yjs (through lib0's `writeAny`) can also carry `undefined`,
 * `NaN`, `±Infinity`, BigInt and binary, which JSON cannot; they compare oddly (the review's
 * "value unchanged" check could not tell them apart), export badly, and crash code that assumes
 * JSON. The server refuses them at the door, before anything else looks at a value.
 */

/** Deep enough for any record or plan entry we define, shallow enough to never blow the stack. */
export const MAX_JSON_DEPTH = 32

/**
 * Why `value` is not plain JSON (a path and a reason), or null when it is: finite numbers,
 * strings, booleans, null, arrays, and objects whose prototype is Object's (or null) with no
 * `undefined` members, at most `maxDepth` levels deep.
 */
export function notPlainJson(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  // Iterative, so a hostile depth cannot overflow the stack before the depth check sees it.
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '' },
  ]
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop() as { value: unknown; depth: number; path: string }
    switch (typeof v) {
      case 'string':
      case 'boolean':
        continue
      case 'number':
        if (Number.isFinite(v)) continue
        return `${path || 'value'} is ${String(v)}, not a JSON number`
      case 'object': {
        if (v === null) continue
        if (depth >= maxDepth) return `${path || 'value'} is nested deeper than ${maxDepth} levels`
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (!(i in v)) return `${path}[${i}] is a hole`
            stack.push({ value: v[i], depth: depth + 1, path: `${path}[${i}]` })
          }
          continue
        }
        const proto = Object.getPrototypeOf(v)
        if (proto !== Object.prototype && proto !== null) {
          return `${path || 'value'} is a ${v.constructor?.name ?? 'non-plain object'}`
        }
        for (const key of Object.keys(v)) {
          stack.push({
            value: (v as Record<string, unknown>)[key],
            depth: depth + 1,
            path: `${path}.${key.slice(0, 40)}`,
          })
        }
        continue
      }
      default:
        return `${path || 'value'} is ${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}`
    }
  }
  return null
}

export function isPlainJson(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  return notPlainJson(value, maxDepth) === null
}
