import { describe, expect, it } from 'vitest';
import { parseSource } from './reference.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseSource', () => {
  it('reads file schemes and registry references', () => {
    expect(parseSource('docker-archive:/x/img.tar')).toEqual({ kind: 'docker-archive', path: '/x/img.tar' });
    expect(parseSource('oci-dir:rel/dir')).toEqual({ kind: 'oci-dir', path: 'rel/dir' });
    expect(parseSource('registry:127.0.0.1:5000/team/app:1.2')).toEqual({ kind: 'registry', image: { host: '127.0.0.1:5000', repository: 'team/app', tag: '1.2' } });
    expect(parseSource(`localhost/app@${digest}`)).toEqual({ kind: 'registry', image: { host: 'localhost', repository: 'app', digest } });
    expect(parseSource('debian')).toEqual({ kind: 'registry', image: { host: 'registry-1.docker.io', repository: 'library/debian', tag: 'latest' } });
  });

  it('rejects malformed references with analysis failed', () => {
    expect(() => parseSource('registry:host.io/UPPER:1')).toThrow(/analysis failed: invalid image reference .*bad repository name/);
    expect(() => parseSource('host.io/app@sha256:short')).toThrow(/bad digest/);
    expect(() => parseSource('oci-archive:')).toThrow(/analysis failed: oci-archive: missing path/);
  });
});
