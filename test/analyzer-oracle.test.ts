import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeImage, type AnalysisDocument } from '../src/analyzer/index.js';
import { registryEnv, testImage } from './analyzer-fixtures.js';
import { root } from './cli.js';

/** Runs a real tool and returns its output; a failure throws with the tool's own message. */
function run(command: string, args: string[]): string {
  const res = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed: ${res.stderr || res.error?.message}`);
  return res.stdout;
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** What dpkg itself says is installed, from the image's own var/lib/dpkg. */
function dpkgQuery(admindir: string): string[] {
  return lines(run('dpkg-query', [`--admindir=${admindir}`, '-W', '-f', '${db:Status-Abbrev}\t${Package}\t${Version}\n']))
    .filter((l) => l.startsWith('ii'))
    .map((l) => l.split('\t').slice(1).join(' '))
    .sort();
}

/** What rpm itself lists from the image's own var/lib/rpm: name, [epoch:]version-release, arch, source rpm. */
function rpmQuery(dbpath: string): string[] {
  return lines(run('rpm', ['--dbpath', dbpath, '-qa', '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}\\n'])).sort();
}

/** npm's own view of an app dir: every installed package with the image path of its package.json. */
function npmLs(app: string, rootfs: string): string[] {
  type Node = { version?: string; path?: string; dependencies?: Record<string, Node> };
  const out = new Set<string>();
  const visit = (deps: Record<string, Node> = {}): void => {
    for (const [name, dep] of Object.entries(deps)) {
      // Optional dependencies for other platforms are listed without a version: not installed.
      if (!dep.version || !dep.path) continue;
      out.add(`${name} ${dep.version} ${dep.path.slice(rootfs.length)}/package.json`);
      visit(dep.dependencies);
    }
  };
  visit((JSON.parse(run('npm', ['ls', '--all', '--json', '--long', '--prefix', app])) as Node).dependencies);
  return [...out].sort();
}

/** Python's own reader of installed distributions (Debian's python3) over the image's site dirs. */
function pythonDistributions(siteDirs: string[]): string[] {
  const script = `import importlib.metadata as m, sys
for d in m.distributions(path=sys.argv[1:]):
    print(d.metadata['Name'], d.version)`;
  return lines(run('/usr/bin/python3', ['-c', script, ...siteDirs])).sort();
}

/** RubyGems loading every installed gemspec of the image: name, version, image path. */
function gemSpecifications(rootfs: string): string[] {
  const specs = lines(run('find', [rootfs, '-type', 'f', '-path', '*/specifications/*.gemspec']));
  const out = run('ruby', ['-e', 'ARGV.each { |f| s = Gem::Specification.load(f); puts "#{s.name} #{s.version} #{f}" }', ...specs]);
  return lines(out).map((l) => l.replace(` ${rootfs}/`, ' /')).sort();
}

/** Every pom.properties in every regular jar of the image, read with unzip: `<image path> groupId:artifactId:version`. */
function jarPoms(jars: string[], rootfs: string): string[] {
  const out = new Set<string>();
  for (const jar of jars) {
    for (const entry of lines(run('unzip', ['-Z1', jar])).filter((e) => /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(e))) {
      const props = new Map(
        lines(run('unzip', ['-p', jar, entry]))
          .filter((l) => l.includes('=') && !l.startsWith('#'))
          .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
      );
      out.add(`${jar.slice(rootfs.length)} ${props.get('groupId')}:${props.get('artifactId')}:${props.get('version')}`);
    }
  }
  return [...out].sort();
}

/** `go version -m` over the image's executables: per binary its main module, deps (a replacement's version) and stdlib. */
function goModules(rootfs: string): string[] {
  const out: string[] = [];
  let binary = '';
  for (const line of lines(run('go', ['version', '-m', rootfs]))) {
    const [, kind, path, version] = line.split('\t');
    if (!line.startsWith('\t')) {
      const colon = line.lastIndexOf(': ');
      binary = line.slice(rootfs.length, colon);
      out.push(`${binary} stdlib ${line.slice(colon + 2)}`);
    } else if (kind === 'mod' || kind === 'dep') out.push(`${binary} ${path} ${version}`);
    else if (kind === '=>') {
      // A replaced module keeps its own path and takes the replacement's version.
      const [replacedIn, replaced] = out.pop()!.split(' ');
      out.push(`${replacedIn} ${replaced} ${version}`);
    }
  }
  return out.sort();
}

/** The packages of one type, each with a purl of that type and a location. */
function packagesOf(doc: AnalysisDocument, type: AnalysisDocument['packages'][number]['type']) {
  const found = doc.packages.filter((p) => p.type === type);
  for (const p of found) {
    expect(p.purl, `${p.name} purl`).toMatch(new RegExp(`^pkg:${type}/`));
    expect(p.locations.length, `${p.name} locations`).toBeGreaterThan(0);
  }
  return found;
}

// Real images and spawned CLIs: generous time on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('package sets equal what the distro tools report', () => {
  for (const name of ['bookworm', 'trixie', 'twolayer'] as const) {
    it(`${name}: deb packages equal dpkg-query --admindir=<rootfs>/var/lib/dpkg -W`, async () => {
      const doc = await analyzeImage(`docker-archive:${testImage(name, 'docker.tar')}`, {});
      const expected = dpkgQuery(testImage(name, 'dpkg'));
      expect(expected.length).toBeGreaterThan(50);
      expect(packagesOf(doc, 'deb').map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
      expect(doc.distro).toMatchObject({ id: 'debian', versionId: name === 'trixie' ? '13' : '12' });
    });
  }

  it('alpine: apk packages equal the installed-db entries of the minirootfs', async () => {
    const doc = await analyzeImage(`oci-dir:${testImage('alpine', 'oci')}`, {});
    const tarball = gunzipSync(readFileSync(join(root, '../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz')));
    const db = extract(tarball, 'lib/apk/db/installed');
    const expected = db
      .split('\n\n')
      .map((para) => Object.fromEntries(para.split('\n').map((l) => [l.slice(0, 1), l.slice(2)])))
      .filter((p) => p.P)
      .map((p) => `${p.P} ${p.V}`)
      .sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(packagesOf(doc, 'apk').map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
    expect(doc.distro).toMatchObject({ id: 'alpine', versionId: '3.20.3' });
  });
});

describe('rpm image: packages equal what rpm lists from the image\'s var/lib/rpm (rpm --dbpath)', () => {
  const env = registryEnv();
  const sources: Array<[string, () => Promise<AnalysisDocument>]> = [
    ['an OCI layout', () => analyzeImage(`oci-dir:${testImage('rpm', 'oci')}`, {})],
    [
      'the loopback registry',
      () =>
        analyzeImage(`registry:${env.AIRLOCK_REGISTRY}/airlock/rpm:latest`, {
          insecure: true,
          username: env.AIRLOCK_REGISTRY_USERNAME!,
          password: env.AIRLOCK_REGISTRY_PASSWORD!,
        }),
    ],
  ];
  for (const [from, analyze] of sources) {
    it(`pulled from ${from}`, async () => {
      const doc = await analyze();
      const expected = rpmQuery(testImage('rpm', 'rpmdb'));
      expect(expected).toHaveLength(4);
      const rpms = packagesOf(doc, 'rpm');
      expect(rpms.map((p) => `${p.name} ${p.version} ${String(p.metadata?.architecture)} ${String(p.metadata?.sourceRpm)}`).sort()).toEqual(expected);
      expect(doc.distro).toMatchObject({ id: 'rocky', versionId: '9.4' });
      expect(doc.warnings).toEqual([]);
      expect(rpms.find((p) => p.name === 'hello-airlock')).toMatchObject({
        version: '2:1.2.3-4.el9',
        purl: 'pkg:rpm/rocky/hello-airlock@1.2.3-4.el9?arch=noarch&distro=rocky-9.4&epoch=2&upstream=hello-airlock-1.2.3-4.el9.src.rpm',
        locations: ['/var/lib/rpm/rpmdb.sqlite'],
      });
      expect(rpms.find((p) => p.name === 'libairlock')?.source).toEqual({ name: 'airlock-tools', version: '0.9-1.el9' });
    });
  }
});

describe('langs image: each ecosystem equals its own tool reading the image\'s files', () => {
  let doc: AnalysisDocument;
  let rootfs: string;
  beforeAll(async () => {
    rootfs = testImage('langs', 'rootfs');
    doc = await analyzeImage(`docker-archive:${testImage('langs', 'docker.tar')}`, {});
  });

  it('deb: dpkg-query --admindir=<rootfs>/var/lib/dpkg -W', () => {
    const expected = dpkgQuery(testImage('langs', 'dpkg'));
    expect(expected).toEqual(expect.arrayContaining([expect.stringMatching(/^ruby-rack /), expect.stringMatching(/^fzf /)]));
    expect(packagesOf(doc, 'deb').map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
    expect(doc.distro).toMatchObject({ id: 'debian', versionId: '12' });
  });

  it('npm: npm ls --all in /app', () => {
    const expected = npmLs(join(rootfs, 'app'), rootfs);
    expect(expected.map((l) => l.split(' ')[0])).toEqual(['@types/ms', 'debug', 'lefthook', 'lefthook-linux-x64', 'ms', 'ms']);
    expect(expected).toContain('ms 2.1.3 /app/node_modules/debug/node_modules/ms/package.json');
    const npm = packagesOf(doc, 'npm');
    expect(npm.map((p) => `${p.name} ${p.version} ${p.locations[0]}`).sort()).toEqual(expected);
    expect(npm.find((p) => p.name === '@types/ms')?.purl).toBe('pkg:npm/%40types/ms@0.7.34');
  });

  it('pypi: importlib.metadata.distributions over the site dirs', () => {
    const siteDirs = lines(run('find', [rootfs, '-type', 'd', '(', '-name', 'dist-packages', '-o', '-name', 'site-packages', ')']));
    const expected = pythonDistributions(siteDirs);
    // Wheel metadata (python3-yaml) and setuptools egg-info (python3-six).
    expect(expected).toEqual(['PyYAML 6.0', 'six 1.16.0']);
    const pypi = packagesOf(doc, 'pypi');
    expect(pypi.map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
    for (const p of pypi) expect(siteDirs.map((d) => d.slice(rootfs.length))).toContain(p.locations[0]!.replace(/\/[^/]+\.(dist|egg)-info(\/.*)?$/, ''));
  });

  it('gem: Gem::Specification.load of every installed gemspec', () => {
    const expected = gemSpecifications(rootfs);
    expect(expected).toEqual(expect.arrayContaining([expect.stringMatching(/^rack 2\./), expect.stringMatching(/\/specifications\/default\//)]));
    expect(packagesOf(doc, 'gem').map((p) => `${p.name} ${p.version} ${p.locations[0]}`).sort()).toEqual(expected);
  });

  it('maven: every pom.properties of every jar, read with unzip', () => {
    const jars = lines(run('find', [rootfs, '-type', 'f', '-name', '*.jar']));
    const expected = jarPoms(jars, rootfs);
    expect(expected).toEqual(expect.arrayContaining(['/usr/share/java/commons-lang3.jar org.apache.commons:commons-lang3:3.12.0']));
    const maven = packagesOf(doc, 'maven');
    const fromPoms = maven.filter((p) => p.metadata?.from === 'pom.properties');
    expect(fromPoms.map((p) => `${p.locations[0]} ${String(p.metadata?.groupId)}:${p.name}:${p.version}`).sort()).toEqual(expected);
    // Only a jar without pom.properties is identified by its manifest.
    const withPoms = new Set(expected.map((l) => l.split(' ')[0]));
    expect(maven.filter((p) => p.metadata?.from !== 'pom.properties' && withPoms.has(p.locations[0]))).toEqual([]);
  });

  it('golang: go version -m over the image\'s executables', () => {
    const expected = goModules(rootfs);
    // fzf is built by Debian without modules: only its toolchain; lefthook (from npm) lists its modules.
    expect(expected.filter((l) => l.startsWith('/usr/bin/fzf '))).toEqual([expect.stringMatching(/^\/usr\/bin\/fzf stdlib go1\./)]);
    expect(expected.filter((l) => l.startsWith('/app/node_modules/lefthook-linux-x64/bin/lefthook ')).length).toBeGreaterThan(10);
    expect(packagesOf(doc, 'golang').map((p) => `${p.locations[0]} ${p.name} ${p.version}`).sort()).toEqual(expected);
  });

  it('reads every file without a warning', () => {
    expect(doc.warnings).toEqual([]);
  });
});

/** Reads one member of an uncompressed tar (the oracle must not share code with the walker). */
function extract(tar: Buffer, name: string): string {
  for (let pos = 0; pos + 512 <= tar.length; ) {
    const entry = tar.toString('utf8', pos, pos + 100).replace(/\0.*$/s, '').replace(/^\.\//, '');
    const size = parseInt(tar.toString('latin1', pos + 124, pos + 136), 8) || 0;
    if (entry === name) return tar.toString('utf8', pos + 512, pos + 512 + size);
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not in tarball`);
}
