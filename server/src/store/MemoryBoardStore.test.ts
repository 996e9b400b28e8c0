import { boardStoreContract } from './boardStore.contract.ts'
import { MemoryBoardStore } from './MemoryBoardStore.ts'

// Opened again, a memory store is the same object: what it holds is all there is.
boardStoreContract('MemoryBoardStore', async () => {
  const store = new MemoryBoardStore()
  return { open: async () => store, dispose: async () => {} }
})
