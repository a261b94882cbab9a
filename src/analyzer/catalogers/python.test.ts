import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { normalizePypiName, pythonCataloger } from './python.js';
import { filesUnder, treeFromFiles } from './testing.js';

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

describe('python cataloger', () => {
  it("equals importlib.metadata over Debian's dist-packages (python3-yaml and friends)", async () => {
    const cataloger = pythonCataloger();
    const files = await filesUnder(DIST_PACKAGES, (path) => cataloger.wants(path, 0), DIST_PACKAGES);
    const result = await cataloger.catalog(treeFromFiles(files));
    // The oracle: Python's own reader of installed distributions (Debian's python3).
    const script = `import importlib.metadata as m
for d in m.distributions(path=['${DIST_PACKAGES}']):
    print(d.metadata['Name'], d.version)`;
    const expected = execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    expect(expected).toContain('PyYAML 6.0');
    expect(result.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
    const yaml = result.packages.find((p) => p.name === 'PyYAML');
    expect(yaml).toMatchObject({ purl: 'pkg:pypi/pyyaml@6.0', licenses: ['MIT License'] });
    expect(yaml?.locations[0]).toMatch(/PyYAML-6\.0\.dist-info\/METADATA$/);
  });

  it('reads bare egg-info files, continuation lines and license expressions', async () => {
    const result = await pythonCataloger().catalog(
      treeFromFiles({
        '/usr/lib/python3/site-packages/Foo_Bar-1.0.egg-info': 'Metadata-Version: 1.1\nName: Foo_Bar\nVersion: 1.0\nLicense: BSD\n',
        '/x/baz-2.dist-info/METADATA': 'Name: baz\nVersion: 2\nLicense-Expression: MIT OR Apache-2.0\nDescription: a\n  b\n\nName: ignored\n',
        '/x/bad-1.dist-info/METADATA': 'Summary: nothing\n',
      }),
    );
    expect(result.packages.map((p) => [p.name, p.version, p.purl, p.licenses])).toEqual([
      ['Foo_Bar', '1.0', 'pkg:pypi/foo-bar@1.0', ['BSD']],
      ['baz', '2', 'pkg:pypi/baz@2', ['MIT OR Apache-2.0']],
    ]);
    expect(result.warnings).toEqual(['python: /x/bad-1.dist-info/METADATA: no Name or Version']);
    expect(normalizePypiName('Zope.Interface__x')).toBe('zope-interface-x');
  });
});
