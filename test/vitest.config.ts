import { defineProject } from 'vitest/config'

// Cross-process tests: each file spawns real server processes (and, under e2e/, browsers), so
// files run one at a time and get generous timeouts. Timing is never asserted here.
export default defineProject({
  test: {
    name: 'test',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // A poll waits for something another process or browser does; under load that takes longer
    // than vitest's 1 s default. This is a ceiling, not a timing assertion.
    expect: { poll: { timeout: 10_000 } },
  },
})
