import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDINFO_MAGIC } from './go-buildinfo.js';
import { goCataloger, scanBuildInfo, type GoFindings } from './go.js';
import { chunksOf, treeFromFiles } from './testing.js';

let work: string;
let app: string;

/** `go version -m`: module lines as 'kind path version', replacements folded in like the cataloger does. */
function oracle(binary: string): { goVersion: string; modules: string[] } {
  const lines = execFileSync('go', ['version', '-m', binary], { encoding: 'utf8' }).split('\n');
  const goVersion = lines[0]?.split(': ')[1]?.trim() ?? '';
  const modules: string[] = [];
  for (const line of lines.slice(1)) {
    const [, kind, path, version] = line.split('\t');
    if (kind === 'mod' || kind === 'dep') modules.push(`${path} ${version}`);
    if (kind === '=>') modules[modules.length - 1] = `${modules[modules.length - 1]?.split(' ')[0]} ${version}`;
  }
  return { goVersion, modules };
}

async function catalog(files: Record<string, Buffer>, chunkSize = 64 * 1024) {
  const cataloger = goCataloger();
  const results = new Map<string, GoFindings>();
  for (const [path, bytes] of Object.entries(files)) {
    if (!cataloger.wants(path, bytes.length, 0o755)) continue;
    const found = await cataloger.inspect(path, chunksOf(bytes, chunkSize), work);
    if (found) results.set(path, found);
  }
  return cataloger.finish(results, treeFromFiles({}));
}

describe('go cataloger', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'airlock-go-test-'));
    app = join(work, 'app');
    execFileSync('go', ['build', '-o', app, '.'], {
      cwd: join(import.meta.dirname, 'testdata/go-app'),
      env: { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOPATH: join(work, 'gopath'), GOCACHE: join(work, 'gocache') },
    });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('reads main module, dependencies (with replacements) and Go version like go version -m', async () => {
    const expected = oracle(app);
    expect(expected.modules).toHaveLength(3);
    for (const chunkSize of [7, 64 * 1024]) {
      const result = await catalog({ '/usr/local/bin/app': readFileSync(app) }, chunkSize);
      expect(result.warnings).toEqual([]);
      const modules = result.packages.filter((p) => p.name !== 'stdlib');
      expect(modules.map((p) => `${p.name} ${p.version}`)).toEqual(expected.modules);
      expect(result.packages.find((p) => p.name === 'stdlib')).toMatchObject({ version: expected.goVersion, purl: `pkg:golang/stdlib@${expected.goVersion.slice(2)}` });
      expect(modules[2]).toMatchObject({ purl: 'pkg:golang/example.com/shout@v0.4.1', metadata: { replaces: 'example.com/shout@v0.4.0', replacement: 'example.com/shout-fork' } });
      expect(modules[0]?.metadata).toMatchObject({ main: true, goVersion: expected.goVersion, buildSettings: { GOOS: 'linux' } });
    }
  });

  it("reads Debian's skopeo (a GOPATH build: no modules, only the toolchain)", async () => {
    const result = await catalog({ '/usr/bin/skopeo': readFileSync('/usr/bin/skopeo') });
    expect(result.packages.map((p) => [p.name, p.version, p.metadata?.mainPackage])).toEqual([
      ['stdlib', oracle('/usr/bin/skopeo').goVersion, 'github.com/containers/skopeo/cmd/skopeo'],
    ]);
  });

  it('skips non-ELF files, stray magic and truncated build info, and reports the old pointer format', async () => {
    const elf = Buffer.from('\x7fELF', 'latin1');
    const real = readFileSync(app);
    const at = real.indexOf(BUILDINFO_MAGIC);
    const stray = Buffer.concat([elf, Buffer.alloc(100), BUILDINFO_MAGIC, Buffer.alloc(40, 0xee), real.subarray(4)]);
    expect(await scanBuildInfo(chunksOf(stray, 1000))).toMatchObject({ info: { goVersion: oracle(app).goVersion } });
    expect(await scanBuildInfo(chunksOf(Buffer.concat([Buffer.from('#!/bin/sh\n'), real])))).toBeUndefined();
    expect(await scanBuildInfo(chunksOf(real.subarray(0, at + 40)))).toBeUndefined();
    const pointer = Buffer.concat([elf, Buffer.alloc(2000), BUILDINFO_MAGIC, Buffer.from([8, 0]), Buffer.alloc(16)]);
    const result = await catalog({ '/old': pointer });
    expect(result).toEqual({ packages: [], warnings: ['go: /old: Go build info in the pre-1.18 pointer format is not read'] });
  });
});
