import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function run(script: string, args: string[]): void {
  const res = spawnSync(join(root, script), args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60_000 });
  if (res.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${res.status}); the analyzer suites need its images`);
}

/**
 * vitest globalSetup for the analyzer suites: builds the real test images (instant when the
 * cache is warm) and starts the loopback registries with the images pushed. Failing here fails
 * the run: image-backed tests never skip.
 */
export default function setup(): () => void {
  run('scripts/build-test-images.sh', []);
  run('scripts/registry.sh', ['start']);
  return () => run('scripts/registry.sh', ['stop']);
}
