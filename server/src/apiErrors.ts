/**
 * What every router under /api says when it refuses: `ApiError` (status, a code a client can
 * switch on, a sentence for people), the one error body `{"error":{"code","message"}}`, the body
 * limits and how a failure of `express.json` reads. It is a module of its own so the routers
 * (`api.ts`, `planExport.ts`, `historyRoutes.ts`) share it without importing one another.
 */
import type { ApiErrorBody } from '@common-ground/shared/board'
import { MAX_PLAN_JSON_BYTES } from '@common-ground/shared/export'
import { LOCALES } from '@common-ground/shared/i18n'
import type { Response } from 'express'
import { ChangeNotStoredError } from './sync/Rooms.ts'

/** Bytes of an API request's JSON body. */
export const MAX_JSON_BODY = 16 * 1024

/** Bytes of `POST /api/boards`'s body when it carries a plan to import: a plan's own cap. */
export const MAX_IMPORT_BODY = MAX_PLAN_JSON_BYTES

/** A limit as the refusals name it: `16kb`, `2mb`. */
export function sizeText(bytes: number): string {
  const mb = 1024 * 1024
  return bytes % mb === 0 ? `${bytes / mb}mb` : `${Math.round(bytes / 1024)}kb`
}

/** The languages a request may ask for, as a refusal lists them: `en or es`. */
export const LOCALE_CHOICES = LOCALES.join(' or ')

export class ApiError extends Error {
  override name = 'ApiError'
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

export function sendError(response: Response, error: ApiError): void {
  response
    .status(error.status)
    .json({ error: { code: error.code, message: error.message } } satisfies ApiErrorBody)
}

/**
 * The refusal a thrown error stands for: an `ApiError` as it is, a failure of `express.json`
 * (`bodyLimit` names the size allowed), a server change the store could not keep; null for
 * anything else, which is the server's fault.
 */
export function refusalOf(error: unknown, bodyLimit: string): ApiError | null {
  if (error instanceof ApiError) return error
  if (error instanceof ChangeNotStoredError) {
    return new ApiError(503, 'storage_failure', `The ${error.change} could not be stored.`)
  }
  const type = (error as { type?: unknown } | null)?.type
  switch (type) {
    case 'entity.too.large':
      return new ApiError(413, 'payload_too_large', `The body may be at most ${bodyLimit}.`)
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', 'The body is not valid JSON.')
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ApiError(415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.')
    case 'request.aborted':
    case 'request.size.invalid':
      return new ApiError(400, 'bad_request', 'The request body was incomplete.')
  }
  return null
}
