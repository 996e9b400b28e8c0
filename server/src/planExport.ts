/**
 * The plan's exports over HTTP (`plan.json`, `plan.md`, `plan.csv`, the agreement drafts
 * `agreement.docx?kind=mou|dsa`) and reading a plan to import
 * from `POST /api/boards {"plan": …}`. The formats themselves are pure functions in `shared`;
 * this file only loads the board's plan (`loadBoardDoc`), reads `?lang=` (the version preview
 * reads it the same way), names the download and maps import failures to 4xx.
 */
import {
  AGREEMENT_KINDS,
  type AgreementFields,
  type AgreementKind,
  buildAgreement,
  isAgreementKind,
  readAgreementFields,
} from '@common-ground/shared/agreement'
import { agreementToDocx, DOCX_TYPE } from '@common-ground/shared/agreement/docx'
import { checkImportedPlan, planToCsv, planToMarkdown } from '@common-ground/shared/export'
import { DEFAULT_LOCALE, isLocale, type Locale } from '@common-ground/shared/i18n'
import { derivePlan, type PartnershipPlan } from '@common-ground/shared/plan'
import type express from 'express'
import type { Request, Response } from 'express'
import * as Y from 'yjs'
import { ApiError, LOCALE_CHOICES, MAX_JSON_BODY, sizeText } from './apiErrors.ts'
import { boardOf } from './boardAccess.ts'
import { missingSeed } from './boards.ts'
import type { Logger } from './log.ts'
import type { BoardRecord, BoardStore } from './store/BoardStore.ts'
import { loadBoardDoc } from './store/restore.ts'

/** `?lang=` of an export, English by default; 400 for a language we do not have. */
export function exportLocale(request: Request): Locale {
  const lang = request.query.lang
  if (lang === undefined) return DEFAULT_LOCALE
  if (!isLocale(lang)) {
    throw new ApiError(400, 'invalid_language', `The lang parameter must be ${LOCALE_CHOICES}.`)
  }
  return lang
}

/** `?kind=` of an agreement draft: `mou` or `dsa`, required; 400 for anything else. */
export function agreementKind(request: Request): AgreementKind {
  const kind = request.query.kind
  if (!isAgreementKind(kind)) {
    throw new ApiError(
      400,
      'invalid_agreement_kind',
      `The kind parameter must be ${AGREEMENT_KINDS.join(' or ')}.`,
    )
  }
  return kind
}

/** The board's plan as the store holds it (everything anyone has seen). */
export async function loadBoardPlan(
  store: BoardStore,
  board: BoardRecord,
  locale: Locale,
  log: Logger,
): Promise<PartnershipPlan> {
  return (await loadBoardAnswers(store, board, locale, log)).plan
}

/** The board's plan and its agreement-only fields, read from one load of the stored board. */
async function loadBoardAnswers(
  store: BoardStore,
  board: BoardRecord,
  locale: Locale,
  log: Logger,
): Promise<{ plan: PartnershipPlan; agreement: AgreementFields }> {
  return readStoredBoard(store, board, log, (doc) => ({
    plan: derivePlan(doc, { locale }),
    agreement: readAgreementFields(doc),
  }))
}

/**
 * `read` of the board's doc as the store holds it (seeded if its seed never reached the store);
 * the doc is a copy, destroyed afterwards.
 */
export async function readStoredBoard<T>(
  store: BoardStore,
  board: BoardRecord,
  log: Logger,
  read: (doc: Y.Doc) => T,
): Promise<T> {
  const { doc } = await loadBoardDoc(store, board.id, log)
  try {
    const seed = missingSeed(doc, board)
    if (seed) Y.applyUpdate(doc, seed)
    return read(doc)
  } finally {
    doc.destroy()
  }
}

/**
 * `Content-Disposition` for a download named after the board: an ASCII fallback any browser
 * accepts, plus the title itself (accents, emoji) as RFC 5987 `filename*`.
 */
export function downloadDisposition(title: string, extension: string): string {
  const clean = title
    .replace(/[\p{Cc}\p{Cf}"\\/:*?<>|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const ascii =
    clean
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9 ._-]+/g, '')
      .replace(/\s+/g, '-')
      .replace(/^[.-]+|[.-]+$/g, '')
      .slice(0, 80) || 'plan'
  const full = (clean || 'plan').slice(0, 120)
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${full}.${extension}`)}`
}

/**
 * `GET /boards/:id/plan.json`, `plan.md` and `plan.csv` on the API router (whose `id` guard has
 * found the board and checked the caller's key). Read from the store, which holds everything
 * anyone has seen, since updates are committed before they are broadcast.
 */
export function planExportRoutes(
  api: express.Router,
  options: { store: BoardStore; log: Logger },
): void {
  const { store, log } = options
  const send = (
    response: Response,
    fileTitle: string,
    type: string,
    ext: string,
    body: string | Buffer,
  ) =>
    response
      .status(200)
      .set('Content-Type', type)
      .set('Content-Disposition', downloadDisposition(fileTitle, ext))
      .set('Cache-Control', 'no-store')
      .set('X-Content-Type-Options', 'nosniff')
      .send(body)

  // JSON is read by programs, not downloaded: no attachment header.
  api.get('/boards/:id/plan.json', async (request, response) => {
    const plan = await loadBoardPlan(store, boardOf(response), exportLocale(request), log)
    response.set('Cache-Control', 'no-store').json(plan)
  })

  api.get('/boards/:id/plan.md', async (request, response) => {
    const board = boardOf(response)
    const locale = exportLocale(request)
    const plan = await loadBoardPlan(store, board, locale, log)
    send(response, board.title, 'text/markdown; charset=utf-8', 'md', planToMarkdown(plan, locale))
  })

  api.get('/boards/:id/plan.csv', async (request, response) => {
    const board = boardOf(response)
    const locale = exportLocale(request)
    const plan = await loadBoardPlan(store, board, locale, log)
    send(
      response,
      board.title,
      'text/csv; charset=utf-8; header=present',
      'csv',
      planToCsv(plan, locale),
    )
  })

  // An editable Word draft of a memorandum of understanding or a data-sharing agreement.
  api.get('/boards/:id/agreement.docx', async (request, response) => {
    const board = boardOf(response)
    const kind = agreementKind(request)
    const locale = exportLocale(request)
    const { plan, agreement } = await loadBoardAnswers(store, board, locale, log)
    const document = buildAgreement(plan, agreement, { kind, locale })
    const bytes = await agreementToDocx(document)
    // "Retreat 2026 - Memorandum of understanding.docx"
    const fileTitle = board.title ? `${board.title} - ${document.title}` : document.title
    send(response, fileTitle, DOCX_TYPE, 'docx', Buffer.from(bytes))
  })
}

/**
 * The plan to import from a create request's body, or null when it has none. A plan that fails
 * a check is a 400 naming the field (`plan.actionPlan[0].steps[2].due`); a newer one a 422.
 */
export function readPlanImport(body: unknown): PartnershipPlan | null {
  if (typeof body !== 'object' || body === null || !('plan' in body)) return null
  const result = checkImportedPlan((body as { plan: unknown }).plan)
  if (result.ok) return result.plan
  const path = result.path ? `plan.${result.path}` : 'plan'
  throw new ApiError(
    result.code === 'newer_version' ? 422 : 400,
    result.code === 'newer_version' ? 'newer_plan_version' : 'invalid_plan',
    `${path}: ${result.message}`,
  )
}

/**
 * Only an import may use the larger body limit of `POST /api/boards`: without a plan, a create
 * request may carry the API's usual JSON limit.
 */
export function checkCreateBodySize(request: Request, plan: PartnershipPlan | null): void {
  if (plan) return
  const length = Number(request.get('content-length') ?? 0)
  if (length > MAX_JSON_BODY) {
    throw new ApiError(
      413,
      'payload_too_large',
      `The body may be at most ${sizeText(MAX_JSON_BODY)} unless it carries a plan to import.`,
    )
  }
}
