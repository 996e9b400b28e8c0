/** The parent's handle on clientChild.ts: one forked Node process, pinned, running workloads. */
import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClientJob, ClientReply, ClientRequest } from './clientChild.ts'
import { pinProcess, raiseToRealtime } from './pinning.ts'
import type { BenchServer } from './servers.ts'

const here = dirname(fileURLToPath(import.meta.url))

export interface ClientProcess {
  readonly pid: number
  /** Runs at real-time priority (see `raiseToRealtime`). */
  readonly realtime: boolean
  run<T>(server: BenchServer, job: ClientJob): Promise<T & { clientCpuPercent: number }>
  stop(): Promise<void>
}

export async function startClientProcess(
  core: number | null,
  { realtime = false }: { realtime?: boolean } = {},
): Promise<ClientProcess> {
  const child: ChildProcess = fork(join(here, 'clientChild.ts'), [], {
    execPath: process.execPath,
    // A real-time process must not wait on helper threads of its own (see raiseToRealtime).
    execArgv: realtime ? [...process.execArgv, '--single-threaded'] : process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => {
    for (const { reject } of waiting.values()) reject(new Error('the client process exited'))
    waiting.clear()
  })
  child.on('message', (reply: ClientReply) => {
    const waiter = waiting.get(reply.id)
    if (!waiter) return
    waiting.delete(reply.id)
    if ('error' in reply) waiter.reject(new Error(reply.error))
    else waiter.resolve(reply.result)
  })
  await new Promise((resolve, reject) => waiting.set(0, { resolve, reject }))
  pinProcess(child.pid ?? 0, core)
  const raised = realtime && raiseToRealtime(child.pid ?? 0)
  let next = 1
  return {
    pid: child.pid ?? 0,
    realtime: raised,
    run<T>(server: BenchServer, job: ClientJob) {
      const id = next++
      const request: ClientRequest = {
        id,
        server: {
          kind: server.kind,
          label: server.label,
          version: server.version,
          settings: server.settings,
          dialect: server.dialect,
          persistent: server.persistent,
          wsUrl: server.wsUrl,
          pid: server.pid,
        },
        job,
      }
      return new Promise<T & { clientCpuPercent: number }>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.send(request)
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
