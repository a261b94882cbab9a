import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

declare const AIRLOCK_VERSION: string | undefined;

/** The airlock version: injected at bundle time, read from package.json when run from source. */
export function airlockVersion(): string {
  if (typeof AIRLOCK_VERSION === 'string') return AIRLOCK_VERSION;
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
