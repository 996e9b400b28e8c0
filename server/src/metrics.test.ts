import { describe, expect, it } from 'vitest'
import { Metrics, OTHER, refusalLabels, rejectionLabel } from './metrics.ts'

describe('metric labels are bounded', () => {
  it('keeps the server’s own refusal codes and reasons', () => {
    expect(refusalLabels(1003, 'text frames are not supported')).toEqual({
      code: '1003',
      reason: 'text frames are not supported',
    })
    expect(refusalLabels(4404, 'board not found')).toEqual({
      code: '4404',
      reason: 'board not found',
    })
    expect(refusalLabels(4029, 'too many updates per second').code).toBe('4029')
    expect(refusalLabels(429, 'too many connections from this address').code).toBe('429')
    expect(refusalLabels(1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH').reason).toBe(
      'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
    )
  })

  it('drops the client-chosen number from a reason and maps anything unknown to other', () => {
    expect(refusalLabels(1003, 'unknown message type 57')).toEqual({
      code: '1003',
      reason: 'unknown message type',
    })
    expect(refusalLabels(1003, 'unknown sync message type 4294967295').reason).toBe(
      'unknown sync message type',
    )
    expect(refusalLabels(4999, 'whatever a hook said')).toEqual({ code: OTHER, reason: OTHER })
    expect(refusalLabels(1007, 'invalid update <script>')).toEqual({
      code: '1007',
      reason: OTHER,
    })
    expect(rejectionLabel('read-only')).toBe('read-only')
    expect(rejectionLabel('x'.repeat(200))).toBe(OTHER)
  })

  it('renders a fixed number of series however many distinct values arrive', async () => {
    const metrics = new Metrics()
    for (let i = 0; i < 500; i++) {
      metrics.refused(1003, `unknown message type ${i}`)
      metrics.refused(4500 + i, `reason ${i}`)
      metrics.rejectedUpdate(`code-${i}`)
    }
    const text = await metrics.render()
    const series = (name: string) =>
      text.split('\n').filter((line) => line.startsWith(`${name}{`)).length
    expect(series('cg_connections_refused_total')).toBe(2)
    expect(series('cg_updates_rejected_total')).toBe(1)
    expect(text).toContain(
      'cg_connections_refused_total{code="1003",reason="unknown message type"} 500',
    )
    expect(text).toContain('cg_updates_rejected_total{reason="other"} 500')
  })
})
