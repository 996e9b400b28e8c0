/**
 * The comparison's clients in a process of their own (forked by clientProcess.ts, pinned to its
 * own core): receives one workload at a time over IPC, runs it against the server described,
 * and answers with the result. It lives for the whole comparison, so its JIT stays warm.
 */
import { type ProbeOptions, probeLatency } from './latencyProbe.ts'
import type { BenchServer, ServerInfo } from './servers.ts'
import { coldLoad, dragStream, editLatency, idleBoards } from './workloads.ts'

export type ClientJob =
  | { workload: 'latency'; options: Parameters<typeof editLatency>[1] }
  | { workload: 'cold'; options: Parameters<typeof coldLoad>[1] }
  | { workload: 'drag'; options: Parameters<typeof dragStream>[1] }
  | { workload: 'idle'; options: Parameters<typeof idleBoards>[1] }
  | { workload: 'probe'; options: ProbeOptions }

export interface ClientRequest {
  id: number
  server: ServerInfo & { wsUrl: string; pid: number }
  job: ClientJob
}

export type ClientReply = { id: number; result: unknown } | { id: number; error: string }

async function run({ server: info, job }: ClientRequest): Promise<unknown> {
  // The server's log stays with the parent, which owns the server process.
  const server: BenchServer = { ...info, logs: () => [], stop: async () => {} }
  const started = performance.now()
  const cpuFrom = process.cpuUsage()
  const result = await (() => {
    switch (job.workload) {
      case 'latency':
        return editLatency(server, job.options)
      case 'cold':
        return coldLoad(server, job.options)
      case 'drag':
        return dragStream(server, job.options)
      case 'idle':
        return idleBoards(server, job.options)
      case 'probe':
        return probeLatency(server, job.options)
    }
  })()
  const cpu = process.cpuUsage(cpuFrom)
  const clientCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100
  return { ...result, clientCpuPercent }
}

process.on('message', (request: ClientRequest) => {
  run(request).then(
    (result) => process.send?.({ id: request.id, result } satisfies ClientReply),
    (error: unknown) =>
      process.send?.({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ClientReply),
  )
})
process.send?.({ id: 0, result: 'ready' } satisfies ClientReply)
