/**
 * One board's live connection: the Y.Doc, the y-websocket provider speaking to our server's
 * `/sync/:boardId`, and a connection status people can read at a glance.
 */
import { type BoardDoc, openBoardDoc } from '@common-ground/shared'
import { atom } from 'tldraw'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline'

export function syncUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/sync`
}

export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly board: BoardDoc = openBoardDoc(this.doc)
  readonly provider: WebsocketProvider
  readonly status = atom<ConnectionStatus>('connection status', 'connecting')
  /** How many people (including me) have this board open. */
  readonly peerCount = atom('peer count', 1)
  /** Resolves on the first full sync with the server. */
  readonly firstSync: Promise<void>

  private hasBeenLive = false
  private readonly disposers: Array<() => void> = []

  constructor(boardId: string, serverUrl: string) {
    this.provider = new WebsocketProvider(serverUrl, boardId, this.doc, { maxBackoffTime: 5000 })
    const provider = this.provider

    this.firstSync = new Promise((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        provider.off('sync', onSync)
        resolve()
      }
      provider.on('sync', onSync)
    })

    const update = () => this.status.set(this.computeStatus())
    provider.on('status', update)
    provider.on('sync', update)
    const onOnline = () => update()
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOnline)
    this.disposers.push(() => {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOnline)
    })

    const countPeers = () => this.peerCount.set(Math.max(1, provider.awareness.getStates().size))
    provider.awareness.on('change', countPeers)
    this.disposers.push(() => provider.awareness.off('change', countPeers))
  }

  private computeStatus(): ConnectionStatus {
    if (this.provider.wsconnected && this.provider.synced) {
      this.hasBeenLive = true
      return 'live'
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'offline'
    return this.hasBeenLive ? 'reconnecting' : 'connecting'
  }

  /** Skips the remaining backoff and tries again at once. */
  reconnectNow(): void {
    this.provider.disconnect()
    this.provider.connect()
  }

  destroy(): void {
    for (const dispose of this.disposers) dispose()
    this.provider.destroy()
    this.doc.destroy()
  }
}
