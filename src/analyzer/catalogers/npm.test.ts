import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInstalledManifest, npmCataloger } from './npm.js';
import { repoRoot } from './repo-root.js';
import { filesUnder, treeFromFiles } from './testing.js';

describe('npm cataloger', () => {
  it("finds exactly the packages npm itself sees in this repository's node_modules", async () => {
    const cataloger = npmCataloger();
    const files = await filesUnder(join(repoRoot, 'node_modules'), (path) => cataloger.wants(path, 0), '/app/node_modules');
    const result = await cataloger.catalog(treeFromFiles(files));
    // npm's own reading of the installed tree (arborist), minus the root project.
    const npm = JSON.parse(execFileSync('npm', ['query', '*'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 })) as Array<{
      name: string;
      version: string;
      location: string;
    }>;
    const expected = npm.filter((p) => p.location !== '').map((p) => `${p.name} ${p.version} /app/${p.location}/package.json`);
    expect(expected.length).toBeGreaterThan(100);
    expect(result.packages.map((p) => `${p.name} ${p.version} ${p.locations[0]}`).sort()).toEqual(expected.sort());
    const zod = result.packages.find((p) => p.name === 'zod');
    expect(zod?.purl).toBe(`pkg:npm/zod@${zod?.version}`);
    expect(zod?.licenses).toEqual(['MIT']);
    const scoped = result.packages.find((p) => p.name === '@cyclonedx/cyclonedx-library');
    expect(scoped?.purl).toBe(`pkg:npm/%40cyclonedx/cyclonedx-library@${scoped?.version}`);
  });

  it('tells installed manifests from nested stubs', () => {
    expect(isInstalledManifest('/a/node_modules/x/package.json')).toBe(true);
    expect(isInstalledManifest('/a/node_modules/@s/x/package.json')).toBe(true);
    expect(isInstalledManifest('/a/node_modules/x/node_modules/y/package.json')).toBe(true);
    expect(isInstalledManifest('/a/node_modules/x/lib/esm/package.json')).toBe(false);
    expect(isInstalledManifest('/a/node_modules/.bin/package.json')).toBe(false);
    expect(isInstalledManifest('/a/package.json')).toBe(false);
  });

  it('warns on broken manifests and reads the legacy licenses array', async () => {
    const result = await npmCataloger().catalog(
      treeFromFiles({
        '/node_modules/a/package.json': '{"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},"ISC"]}',
        '/node_modules/b/package.json': '{"name":"b"',
        '/node_modules/c/package.json': '{"name":"c","version":7}',
      }),
    );
    expect(result.packages.map((p) => [p.name, p.licenses])).toEqual([['a', ['MIT', 'ISC']]]);
    expect(result.warnings).toEqual([
      'npm: /node_modules/b/package.json: not valid JSON',
      'npm: /node_modules/c/package.json: no name or version',
    ]);
  });
});
