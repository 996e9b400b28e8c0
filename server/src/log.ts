/**
 * Structured logging: one JSON object per line on stdout, so operators can grep it and tools can
 * parse it (the test harness waits for the "listening" line).
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export interface LoggerOptions {
  level?: LogLevel
  /** Where finished lines go; stdout unless a test wants to read them. */
  write?: (line: string) => void
}

export function createLogger({
  level = 'info',
  write = (line) => process.stdout.write(line),
}: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(level)
  const emit = (lineLevel: LogLevel, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return
    const entry: LogFields = { time: new Date().toISOString(), level: lineLevel, msg }
    if (fields) for (const [key, value] of Object.entries(fields)) entry[key] = plain(value)
    write(`${JSON.stringify(entry)}\n`)
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  }
}

/** Errors do not survive JSON.stringify; keep what helps to diagnose them. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return {
      name: value.name,
      message: value.message,
      ...(code ? { code } : {}),
      stack: value.stack,
    }
  }
  return value
}
