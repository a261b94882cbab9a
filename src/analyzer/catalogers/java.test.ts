import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javaCataloger, type JavaFindings, type JavaOptions } from './java.js';
import { chunksOf, treeFromFiles } from './testing.js';

const JAVA = '/usr/share/java';
let temp: string;

async function catalog(files: Record<string, Buffer>, options: JavaOptions = {}) {
  const cataloger = javaCataloger(options);
  const results = new Map<string, JavaFindings>();
  for (const [path, bytes] of Object.entries(files)) {
    if (!cataloger.wants(path, bytes.length, 0o644)) continue;
    const findings = await cataloger.inspect(path, chunksOf(bytes), temp);
    if (findings) results.set(path, findings);
  }
  const result = await cataloger.finish(results, treeFromFiles({}));
  // Spilled archives are deleted once read.
  expect(readdirSync(temp).flatMap((d) => readdirSync(join(temp, d)))).toEqual([]);
  return result;
}

describe('java cataloger', () => {
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'airlock-java-test-'));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it("finds every pom.properties artifact that Python's zipfile finds in Debian's jars", async () => {
    const jars = readdirSync(JAVA).filter((name) => name.endsWith('.jar') && lstatSync(join(JAVA, name)).isFile());
    expect(jars.some((name) => name.startsWith('commons-lang3'))).toBe(true);
    const files = Object.fromEntries(jars.map((name) => [join(JAVA, name), readFileSync(join(JAVA, name))]));
    const result = await catalog(files, { inMemoryBytes: 256 * 1024 });
    expect(result.warnings).toEqual([]);
    const script = `import sys, zipfile, re
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    for n in z.namelist():
        if re.fullmatch(r'META-INF/maven/[^/]+/[^/]+/pom\\.properties', n):
            p = dict(l.split('=', 1) for l in z.read(n).decode().splitlines() if '=' in l and not l.startswith('#'))
            if p.get('artifactId') and p.get('version'):
                print(path, p.get('groupId', ''), p['artifactId'], p['version'])`;
    const expected = execFileSync('/usr/bin/python3', ['-c', script, ...Object.keys(files)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    expect(expected.length).toBeGreaterThan(0);
    const fromPoms = result.packages.filter((p) => p.metadata?.from === 'pom.properties');
    expect(fromPoms.map((p) => `${p.locations[0]} ${String(p.metadata?.groupId ?? '')} ${p.name} ${p.version}`).sort()).toEqual(
      [...new Set(expected)].sort(),
    );
    const lang3 = result.packages.find((p) => p.name === 'commons-lang3');
    const debian = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libcommons-lang3-java'], { encoding: 'utf8' });
    expect(debian.startsWith(`${lang3?.version}-`)).toBe(true);
    expect(lang3?.purl).toBe(`pkg:maven/org.apache.commons/commons-lang3@${lang3?.version}`);
  });

  it('opens nested archives, spilled or in memory, and falls back to the manifest', async () => {
    const lang3 = readFileSync(join(JAVA, 'commons-lang3.jar'));
    const manifestOnly = zipSync({ 'META-INF/MANIFEST.MF': Buffer.from('Manifest-Version: 1.0\nImplementation-Version: 4.5\n\n') });
    const war = Buffer.from(
      zipSync({
        'WEB-INF/lib/commons-lang3.jar': [lang3, { level: 0 }],
        'WEB-INF/lib/tiny-util-4.5.jar': [manifestOnly, { level: 6 }],
        'index.html': Buffer.from('<html></html>'),
      }),
    );
    for (const inMemoryBytes of [64 * 1024, 64 * 1024 * 1024]) {
      const result = await catalog({ '/srv/app.war': war }, { inMemoryBytes });
      expect(result.warnings).toEqual([]);
      expect(result.packages.map((p) => [p.name, p.version, p.locations, p.metadata?.virtualPath])).toEqual([
        ['commons-lang3', '3.12.0', ['/srv/app.war'], '/srv/app.war!/WEB-INF/lib/commons-lang3.jar'],
        ['tiny-util', '4.5', ['/srv/app.war'], '/srv/app.war!/WEB-INF/lib/tiny-util-4.5.jar'],
      ]);
    }
  });

  it('caps nesting depth and inflated bytes, and reports garbage archives', async () => {
    let nested = zipSync({ 'META-INF/MANIFEST.MF': Buffer.from('Implementation-Version: 1\n') });
    for (let depth = 5; depth >= 1; depth--) nested = zipSync({ [`lib/level${depth}-1.0.jar`]: nested });
    const deep = await catalog({ '/deep.jar': Buffer.from(nested) }, { maxDepth: 3 });
    expect(deep.packages).toEqual([]);
    const shallow = await catalog({ '/deep.jar': Buffer.from(nested) }, { maxDepth: 5 });
    expect(shallow.packages.map((p) => p.name)).toEqual(['level5']);

    const bomb = Buffer.from(zipSync({ 'lib/huge-1.jar': new Uint8Array(8 * 1024 * 1024) }));
    const capped = await catalog({ '/bomb.jar': bomb }, { maxInflatedBytes: 1024 * 1024 });
    expect(capped.warnings).toEqual(['java: /bomb.jar: lib/huge-1.jar: archive budget exhausted']);

    const garbage = await catalog({ '/x.jar': Buffer.alloc(5000, 7) });
    expect(garbage.packages).toEqual([]);
    expect(garbage.warnings).toEqual(['java: /x.jar: not a readable archive: not a zip archive (no end of central directory record)']);
  });
});
