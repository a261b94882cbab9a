import { defineConfig } from 'vitest/config';
import { workerDefines } from './bundle/build-js.mjs';

export default defineConfig({
  // Worker sources as string constants, as the bundle has them (bundle/build-js.mjs).
  define: await workerDefines(),
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
