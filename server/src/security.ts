/**
 * Response headers that harden every page. The app loads nothing from outside its own origin
 * (venues are offline), so the policy is strict same-origin; what tldraw needs beyond that is
 * spelled out: data/blob images, inline styles, data fonts, blob workers, and data/blob fetches
 * (tldraw reads some of its bundled assets that way). `'self'` covers the same-origin WebSocket.
 */
import type { RequestHandler } from 'express'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // Board links are the keys to boards: never hand them to another site as a referrer.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

export const securityHeaders: RequestHandler = (_request, response, next) => {
  response.set(SECURITY_HEADERS)
  next()
}
