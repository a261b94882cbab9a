/** Opens any image source from its `<scheme>:<rest>` string. */
import { openDockerArchive } from './docker-archive.js';
import { openOciArchive, openOciDir } from './oci-layout.js';
import { parseSource } from './reference.js';
import type { SourceImage, SourceOptions } from './types.js';

export type { SourceImage, SourceLayer, SourceOptions } from './types.js';
export { parseSource } from './reference.js';

export async function openSource(source: string, options: SourceOptions): Promise<SourceImage> {
  const ref = parseSource(source);
  switch (ref.kind) {
    case 'docker-archive':
      return openDockerArchive(ref.path);
    case 'oci-dir':
      return openOciDir(ref.path, options);
    case 'oci-archive':
      return openOciArchive(ref.path, options);
    case 'registry':
      // Loaded on demand: the HTTP(S) client stack is start-up time local sources never need.
      return (await import('./registry/registry-source.js')).openRegistry(ref.image, options);
  }
}
