import { defineConfig } from 'vitest/config'

// One run covers every package: unit tests beside the code, cross-process and browser tests
// under test/. Each package keeps its own project config (environment, setup, timeouts).
export default defineConfig({
  test: {
    projects: ['shared', 'server', 'client', 'test'],
  },
})
