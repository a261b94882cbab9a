/**
 * Builders for policy tests and the benchmark: analysis documents, matches and inputs shaped like
 * the analyzer's and matcher's output, validated against the analysis schema so they stay real.
 */
import { analysisDocumentSchema, type AnalysisDocument, type AnalysisFile, type AnalysisPackage } from '../analyzer/document.js';
import type { PolicyInput, PolicyMatch } from './input.js';

type DocParts = Partial<Omit<AnalysisDocument, 'metadata'>> & { metadata?: Partial<AnalysisDocument['metadata']> };

export function file(path: string, extra: Partial<AnalysisFile> = {}): AnalysisFile {
  return { path, kind: 'file', mode: 0o100644, uid: 0, gid: 0, size: 120, sha256: 'ab'.repeat(32), suid: false, sgid: false, layer: 0, ...extra };
}

export function pkg(name: string, version: string, type: AnalysisPackage['type'] = 'deb', extra: Partial<AnalysisPackage> = {}): AnalysisPackage {
  const location = type === 'deb' ? '/var/lib/dpkg/status' : type === 'npm' ? `/app/node_modules/${name}/package.json` : `/usr/lib/${type}/${name}`;
  return { name, version, type, purl: `pkg:${type}/${name}@${version}`, locations: [location], licenses: ['GPL-2.0-only'], ...extra };
}

const passwdUsers = [
  { name: 'root', uid: 0, gid: 0, gecos: 'root', home: '/root', shell: '/bin/bash' },
  { name: 'daemon', uid: 1, gid: 1, gecos: 'daemon', home: '/usr/sbin', shell: '/usr/sbin/nologin' },
  { name: 'nobody', uid: 65534, gid: 65534, gecos: 'nobody', home: '/nonexistent', shell: '/usr/sbin/nologin' },
];

/** A Debian 12 image document; parts replace whole fields (metadata: field by field). */
export function analysisDocument(parts: DocParts = {}): AnalysisDocument {
  const { metadata, ...rest } = parts;
  const doc: AnalysisDocument = {
    schemaVersion: '1.0',
    analyzedAt: '2026-12-01T10:00:00Z',
    source: 'docker-archive:test.tar',
    image: {
      digest: `sha256:${'c'.repeat(64)}`,
      manifestDigest: `sha256:${'d'.repeat(64)}`,
      tags: ['registry.local/team/app:1.0'],
      config: {},
      layers: [{ digest: `sha256:${'e'.repeat(64)}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 30_000_000, uncompressedSize: 80_000_000 }],
    },
    distro: { id: 'debian', versionId: '12', name: 'Debian GNU/Linux' },
    packages: [pkg('bash', '5.2.15-2+b2'), pkg('libc6', '2.36-9+deb12u4'), pkg('openssl', '3.0.11-1~deb12u2')],
    files: [file('/etc/passwd'), file('/etc/group'), file('/bin/bash', { mode: 0o100755 })],
    metadata: {
      os: 'linux',
      architecture: 'amd64',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      exposedPorts: [],
      user: '',
      workingDir: '/',
      entrypoint: [],
      cmd: [],
      labels: {},
      history: [{ created: '2026-11-01T00:00:00Z', createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', emptyLayer: false }],
      dockerfile: 'ADD file:abc in /\n',
      users: passwdUsers,
      groups: [{ name: 'root', gid: 0, members: [] }],
      ...metadata,
    },
    secrets: [],
    warnings: [],
    ...rest,
  };
  return analysisDocumentSchema.parse(doc);
}

export function match(id: string, artifact: { name: string; version: string; type?: string }, extra: { severity?: PolicyMatch['vulnerability']['severity']; fix?: PolicyMatch['fix']; cvss?: PolicyMatch['vulnerability']['cvss']; aliases?: string[]; published?: string; kev?: boolean } = {}): PolicyMatch {
  const type = artifact.type ?? 'deb';
  return {
    vulnerability: {
      id,
      aliases: extra.aliases ?? [],
      severity: extra.severity ?? 'Medium',
      cvss: extra.cvss ?? [],
      kev: extra.kev ?? false,
      epss: null,
      namespace: type === 'deb' ? 'debian:12' : type,
      urls: [`https://security-tracker.debian.org/tracker/${id}`],
      ...(extra.published !== undefined ? { published: extra.published } : {}),
    },
    artifact: { name: artifact.name, version: artifact.version, type, purl: `pkg:${type}/${artifact.name}@${artifact.version}`, locations: ['/var/lib/dpkg/status'] },
    fix: extra.fix ?? { state: 'fixed', versions: ['9.9.9'] },
    matchedBy: type === 'deb' ? 'distro-binary' : 'language',
  };
}

const testNow = new Date('2026-12-04T12:00:00Z');

export function policyInput(parts: Partial<PolicyInput> = {}): PolicyInput {
  return {
    analysis: analysisDocument(),
    matches: [],
    feeds: { groups: [{ driver: 'debian', name: 'debian:12', fetchedAt: '2026-12-03T00:00:00Z' }] },
    image: { registry: 'registry.local', repository: 'team/app', tag: '1.0', digest: `sha256:${'d'.repeat(64)}` },
    now: testNow,
    ...parts,
  };
}
