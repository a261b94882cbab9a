/** The repository root, for tests that read ../shared data beside the checkout. */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** Absolute path of the repository root. */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
