/** Digest and size checks on blob bytes as they flow: nothing is trusted before it is hashed. */
import { createHash } from 'node:crypto';
import { analysisError } from '../errors.js';

/** Passes bytes through, failing on more bytes than declared and on a digest mismatch at the end. */
export async function* verified(source: AsyncIterable<Buffer>, digest: string, size: number | undefined, label: string): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (size !== undefined && seen > size) throw analysisError(`${label}: blob ${digest} is larger than its declared ${size} bytes`);
    hash.update(chunk);
    yield chunk;
  }
  if (size !== undefined && seen !== size) throw analysisError(`${label}: blob ${digest} has ${seen} bytes, declared ${size}`);
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== digest) throw analysisError(`${label}: digest mismatch: expected ${digest}, got ${actual}`);
}

/** Reads a small blob whole (manifests, configs), capped, verified when a digest is known. */
export async function readAll(source: AsyncIterable<Buffer>, max: number, label: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw analysisError(`${label}: larger than the ${max}-byte limit`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Parses JSON from an untrusted blob with a readable failure. */
export function parseJson(data: Buffer, label: string): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw analysisError(`${label}: not valid JSON (${(err as Error).message})`);
  }
}
