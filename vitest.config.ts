import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/*/test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/chroma-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: end-to-end tests spawn the CLI, so don't oversubscribe.
    maxWorkers: 2,
  },
})
