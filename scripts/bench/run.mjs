// Runs a TypeScript benchmark: `node scripts/bench/run.mjs scripts/bench/<name>.ts [args]`.
// esbuild bundles it into dist/bench/ first (no TypeScript loader needed at run time; packages
// resolve from this checkout's node_modules).
import { build } from 'esbuild';
import { workerDefines } from '../../bundle/build-js.mjs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench/run.mjs <benchmark.ts> [args]');
  process.exit(2);
}
mkdirSync('dist/bench', { recursive: true });
const dir = mkdtempSync(resolve('dist/bench/run-'));
const outfile = join(dir, 'bench.mjs');
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define: await workerDefines(),
  logLevel: 'warning',
});
// BENCH_NODE_ARGS adds node flags, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const res = spawnSync(process.execPath, ['--expose-gc', ...nodeArgs, outfile, ...args], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
process.exit(res.status ?? 1);
