import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/*/test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/chroma-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: end-to-end tests spawn the CLI, so don't oversubscribe.
    maxWorkers: 2,
    // A worker thread per test file starts faster than a forked process (test/support/in-process.ts
    // answers process.cwd() for the commands it runs, since a thread cannot chdir).
    pool: 'threads',
  },
})
