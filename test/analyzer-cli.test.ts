import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { analysisDocumentSchema } from '../src/analyzer/index.js';
import { dockerArchive, registryEnv, tarOf, testImage } from './analyzer-fixtures.js';
import { runCli } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-analyze-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const awsKey = 'AKIAQWERTYUIOPASDFGH';
const apiKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const dockerAuth = Buffer.from('robot:hunter2-very-secret').toString('base64');

// Real images and spawned CLIs: generous time on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('airlock analyze', () => {
  it('prints the analysis document as JSON that validates against its schema', () => {
    const res = runCli(['analyze', `oci-archive:${testImage('alpine', 'oci.tar')}`]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const parsed = analysisDocumentSchema.safeParse(JSON.parse(res.stdout));
    expect(parsed.success).toBe(true);
    const doc = parsed.data!;
    expect(doc.packages.some((p) => p.name === 'musl' && p.purl.startsWith('pkg:apk/alpine/musl@'))).toBe(true);
    expect(doc.metadata.users.find((u) => u.name === 'root')).toMatchObject({ uid: 0, gid: 0, home: '/root' });
    expect(doc.image.layers[0]).toMatchObject({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', uncompressedSize: expect.any(Number) });
  });

  it('writes cyclonedx, spdx and table renderings to --output', () => {
    const source = `docker-archive:${testImage('alpine', 'docker.tar')}`;
    for (const [format, check] of [
      ['cyclonedx', (t: string) => expect(JSON.parse(t)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' })],
      ['spdx', (t: string) => expect(JSON.parse(t)).toMatchObject({ spdxVersion: 'SPDX-2.3' })],
      ['table', (t: string) => expect(t).toMatch(/busybox\s+1\.36/)],
    ] as const) {
      const out = join(dir, `out.${format}`);
      const res = runCli(['analyze', source, '--format', format, '--output', out]);
      expect(res.status).toBe(0);
      expect(res.stdout).toBe('');
      check(readFileSync(out, 'utf8'));
    }
  });

  it('pulls from a TLS registry with credentials from the environment', () => {
    const env = registryEnv();
    const res = runCli(['analyze', `registry:${env.AIRLOCK_REGISTRY_TLS}/airlock/alpine:latest`, '--ca-file', env.AIRLOCK_REGISTRY_CA!], {
      env: { AIRLOCK_REGISTRY_USERNAME: env.AIRLOCK_REGISTRY_USERNAME, AIRLOCK_REGISTRY_PASSWORD: env.AIRLOCK_REGISTRY_PASSWORD },
    });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout).distro).toMatchObject({ id: 'alpine' });
  });

  it('reports secrets by file and line, redacted, with extra rules from --secret-rule', () => {
    const source = dockerArchive(join(dir, 'secrets'), [
      {
        tar: tarOf([
          { name: 'app/config.env', data: `# settings\nAWS_ACCESS_KEY_ID=${awsKey}\napi_key = "${apiKey}"\n` },
          { name: 'root/.docker/config.json', data: `{\n  "auths": {\n    "registry.example": { "auth": "${dockerAuth}" }\n  }\n}\n` },
          { name: 'root/.ssh/id_rsa', data: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n' },
          { name: 'app/notes.txt', data: 'line one\ninternal-ticket: ACME-123456\n' },
          { name: 'app/binary', data: Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(awsKey)]) },
        ]),
      },
    ]);
    const res = runCli(['analyze', source, '--secret-rule', 'acme-ticket=ACME-(\\d{6})']);
    expect(res.stderr).toBe('');
    const doc = JSON.parse(res.stdout);
    expect(doc.secrets.map((s: { rule: string; path: string; line: number }) => `${s.path}:${s.line} ${s.rule}`)).toEqual([
      '/app/config.env:2 aws-access-key-id',
      '/app/config.env:3 generic-api-key',
      '/app/notes.txt:2 acme-ticket',
      '/root/.docker/config.json:3 docker-auth',
      '/root/.ssh/id_rsa:1 private-key',
    ]);
    expect(doc.secrets[0].redacted).toBe('AKIA…');
    for (const secret of [awsKey, apiKey, dockerAuth, '123456']) expect(res.stdout).not.toContain(secret);
  });

  it('fails with "analysis failed: <reason>" and exit 1; usage errors exit 2', () => {
    const missing = runCli(['analyze', `docker-archive:${join(dir, 'nope.tar')}`]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: analysis failed: docker-archive: cannot open .*nope\.tar: ENOENT\n$/);
    const badFormat = runCli(['analyze', 'oci-dir:x', '--format', 'xml']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain("unknown --format 'xml'");
    const badRule = runCli(['analyze', 'oci-dir:x', '--secret-rule', 'broken=(']);
    expect(badRule.status).toBe(2);
    expect(badRule.stderr).toContain("secret rule 'broken'");
  });
});
