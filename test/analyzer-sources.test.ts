import { createServer, type Server } from 'node:http';
import { randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeImage, type AnalysisDocument, type AnalyzeOptions } from '../src/analyzer/index.js';
import { registryEnv, testImage } from './analyzer-fixtures.js';
import { root } from './cli.js';

const env = registryEnv();
const creds = { username: env.AIRLOCK_REGISTRY_USERNAME!, password: env.AIRLOCK_REGISTRY_PASSWORD! };
/** File identity: what must not change between formats and transports of the same image. */
const fingerprint = (doc: AnalysisDocument) => doc.files.map((f) => `${f.path} ${f.kind} ${f.mode.toString(8)} ${f.size} ${f.sha256 ?? f.linkTarget ?? ''}`);

function analyze(source: string, options: Partial<AnalyzeOptions> = {}): Promise<AnalysisDocument> {
  return analyzeImage(source, { catalogers: [], ...options });
}

// Real images and spawned CLIs: generous time on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('local image formats', () => {
  it('docker-archive, oci-dir (gzip and zstd) and oci-archive of one image give the same files and diff_ids', async () => {
    const docs = await Promise.all([
      analyze(`docker-archive:${testImage('bookworm', 'docker.tar')}`),
      analyze(`oci-dir:${testImage('bookworm', 'oci')}`),
      analyze(`oci-dir:${testImage('bookworm', 'oci-zstd')}`),
      analyze(`oci-archive:${testImage('bookworm', 'oci.tar')}`),
    ]);
    const [first, ...rest] = docs;
    expect(first!.files.length).toBeGreaterThan(3000);
    expect(first!.image.tags).toEqual(['docker.io/airlock-test/bookworm:latest']);
    expect(first!.files.filter((f) => f.suid).map((f) => f.path)).toEqual(expect.arrayContaining(['/usr/bin/su', '/usr/bin/mount']));
    expect(first!.files.every((f) => f.suid === (f.kind === 'file' && (f.mode & 0o4000) !== 0))).toBe(true);
    expect(docs.map((d) => d.image.layers[0]!.mediaType)).toEqual([
      'application/vnd.docker.image.rootfs.diff.tar',
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+zstd',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    for (const doc of rest) {
      expect(doc.image.layers.map((l) => l.diffId)).toEqual(first!.image.layers.map((l) => l.diffId));
      expect(fingerprint(doc)).toEqual(fingerprint(first!));
    }
    expect(first!.metadata).toMatchObject({ cmd: ['/bin/sh'], exposedPorts: ['8080/tcp'], labels: { 'org.airlock.test': 'bookworm' } });
    expect(first!.metadata.dockerfile).toContain('ADD bookworm rootfs /');
  });

  it('applies the real whiteouts umoci wrote for a layer that installs a package and deletes files', async () => {
    const doc = await analyze(`docker-archive:${testImage('twolayer', 'docker.tar')}`);
    const byPath = new Map(doc.files.map((f) => [f.path, f]));
    expect(doc.image.layers).toHaveLength(2);
    expect(byPath.has('/etc/motd')).toBe(false);
    expect([...byPath.keys()].filter((p) => p.startsWith('/usr/share/doc/bash'))).toEqual([]);
    expect(byPath.get('/usr/bin/less')).toMatchObject({ kind: 'file', layer: 1 });
    expect(byPath.get('/var/lib/dpkg/status')!.layer).toBe(1);
    expect(byPath.get('/bin')?.kind === 'symlink' || byPath.get('/usr/bin/bash')?.layer === 0).toBe(true);
    expect(doc.metadata.dockerfile).toContain('RUN dpkg -i /tmp/less.deb');
  });

  it('lists exactly the entries of the Alpine minirootfs tarball it was built from', async () => {
    const doc = await analyze(`oci-archive:${testImage('alpine', 'oci.tar')}`);
    const expected = new Map<string, number>();
    await list({
      file: join(root, '../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz'),
      onReadEntry: (e) => {
        expected.set(`/${e.path.replace(/^\.\//, '').replace(/\/$/, '')}`, e.type === 'File' ? e.size : 0);
      },
    });
    expected.delete('/');
    const actual = new Map(doc.files.map((f) => [f.path, f.kind === 'file' ? f.size : 0]));
    expect(actual).toEqual(expected);
  });
});

describe('registries', () => {
  let tokenServer: Server;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    const key = readFileSync(env.AIRLOCK_TOKEN_KEY!);
    const cert = readFileSync(env.AIRLOCK_TOKEN_CERT!, 'utf8').replace(/-----[^-]+-----|\s/g, '');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    tokenServer = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      tokenRequests.push(url.search);
      if (req.headers.authorization !== `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`) {
        res.writeHead(401).end();
        return;
      }
      const [, name, actions] = /^repository:([^:]+):(.+)$/.exec(url.searchParams.get('scope') ?? '') ?? [];
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: 'airlock-test-issuer', sub: creds.username, aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access: [{ type: 'repository', name, actions: actions?.split(',') }] };
      const input = `${b64({ alg: 'RS256', typ: 'JWT', x5c: [cert] })}.${b64(claims)}`;
      const token = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    });
    await new Promise<void>((resolve) => tokenServer.listen(Number(env.AIRLOCK_TOKEN_SERVER_PORT), '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => tokenServer.close(() => resolve())));

  it('pulls Docker media types over plain HTTP with basic auth, matching the docker-archive', async () => {
    const [pulled, local] = await Promise.all([
      analyze(`registry:${env.AIRLOCK_REGISTRY}/airlock/bookworm:latest`, { insecure: true, ...creds }),
      analyze(`docker-archive:${testImage('bookworm', 'docker.tar')}`),
    ]);
    expect(pulled.image.layers[0]!.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    expect(pulled.image.tags).toEqual([`${env.AIRLOCK_REGISTRY}/airlock/bookworm:latest`]);
    expect(fingerprint(pulled)).toEqual(fingerprint(local));
  });

  it('pulls over TLS with a custom CA, by tag and by digest; refuses an unknown CA and bad credentials', async () => {
    const ref = `${env.AIRLOCK_REGISTRY_TLS}/airlock/alpine`;
    const byTag = await analyze(ref + ':latest', { caFile: env.AIRLOCK_REGISTRY_CA!, ...creds });
    expect(byTag.image.layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    const byDigest = await analyze(`${ref}@${byTag.image.manifestDigest}`, { caFile: env.AIRLOCK_REGISTRY_CA!, ...creds });
    expect(fingerprint(byDigest)).toEqual(fingerprint(byTag));
    await expect(analyze(ref + ':latest', creds)).rejects.toThrow(/analysis failed: registry .*cannot reach .*(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED)/);
    await expect(analyze(ref + ':latest', { caFile: env.AIRLOCK_REGISTRY_CA!, username: creds.username, password: 'wrong' })).rejects.toThrow(/authentication failed/);
    await expect(analyze(ref + ':latest', { caFile: env.AIRLOCK_REGISTRY_CA! })).rejects.toThrow(/requires a user name and password/);
    await expect(analyze(ref + ':no-such-tag', { caFile: env.AIRLOCK_REGISTRY_CA!, ...creds })).rejects.toThrow(/analysis failed: registry .*not found: manifests\/no-such-tag/);
  });

  it('answers a bearer challenge with a token from the token service', async () => {
    tokenRequests.length = 0;
    const doc = await analyze(`registry:${env.AIRLOCK_REGISTRY_TOKEN}/airlock/alpine:latest`, { insecure: true, ...creds });
    expect(doc.files.length).toBeGreaterThan(400);
    expect(tokenRequests[0]).toContain('scope=repository%3Aairlock%2Falpine%3Apull');
    expect(tokenRequests[0]).toContain('service=airlock-test-registry');
    await expect(analyze(`registry:${env.AIRLOCK_REGISTRY_TOKEN}/airlock/alpine:latest`, { insecure: true, username: creds.username, password: 'wrong' })).rejects.toThrow(
      /token service refused \(401\)/,
    );
  });

  it('picks the requested platform from a manifest list', async () => {
    const ref = `registry:${env.AIRLOCK_REGISTRY}/airlock/multiarch:latest`;
    const amd = await analyze(ref, { insecure: true, ...creds });
    const arm = await analyze(ref, { insecure: true, ...creds, platform: 'linux/arm64/v8' });
    expect([amd.metadata.architecture, arm.metadata.architecture, arm.metadata.variant]).toEqual(['amd64', 'arm64', 'v8']);
    expect(arm.image.manifestDigest).not.toBe(amd.image.manifestDigest);
    await expect(analyze(ref, { insecure: true, ...creds, platform: 'linux/s390x' })).rejects.toThrow(
      /no manifest for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8\)/,
    );
  });
});
