import { bundle } from '../bundle/build-js.mjs';

/** Suites that spawn the CLI run dist/airlock.cjs: build it once per test run (esbuild, < 1 s). */
export default async function setup(): Promise<void> {
  await bundle();
}
