import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'feeds/**/*.test.ts', 'test/**/*.test.ts'],
    // global-setup bundles the CLI; images-setup builds the real test images (minutes when the
    // cache is cold) and starts the loopback registries.
    globalSetup: ['test/global-setup.ts', 'test/images-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
