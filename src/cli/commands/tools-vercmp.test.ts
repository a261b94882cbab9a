import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../../../test/cli.js';

describe('airlock tools vercmp', () => {
  it('compares two versions given as arguments', () => {
    const cases: [string, string, string, string][] = [
      ['dpkg', '1.0~rc1', '1.0', '-1'],
      ['rpm', '1.0^git1', '1.0', '1'],
      ['apk', '1.0_rc1-r0', '1.0-r0', '-1'],
      ['pep440', '1.0', '1.0.0', '0'],
    ];
    for (const [scheme, a, b, want] of cases) {
      const res = runCli(['tools', 'vercmp', '--scheme', scheme, a, b]);
      expect(res.stdout, `${scheme} ${a} ${b} ${res.stderr}`).toBe(`${want}\n`);
      expect(res.status).toBe(0);
    }
  });

  it('reads TAB-separated pairs from stdin in one process, one answer per line', () => {
    const pairs = Array.from({ length: 5000 }, (_, i) => `1.${i}-1\t1.${4999 - i}-1`);
    const res = runCli(['tools', 'vercmp', '--scheme', 'dpkg'], { input: pairs.join('\n') + '\n' });
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toBe('-1');
    expect(lines[2499]).toBe('-1');
    expect(lines[4999]).toBe('1');
  });

  it('stops quietly with the SIGPIPE status (141) when the reader closes the pipe early (`| head`)', () => {
    const pairs = Array.from({ length: 200_000 }, (_, i) => `2.${i}-1\t1.0-1`).join('\n');
    const res = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cliPath}" tools vercmp --scheme dpkg | head -n 1`], { input: pairs, encoding: 'utf8' });
    expect(res.stdout).toBe('1\n');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(141);
  });

  it("answers 'error: <reason>' for bad lines, keeps going, and exits 1", () => {
    const res = runCli(['tools', 'vercmp', '--scheme', 'semver'], { input: '1.0.0\t2.0.0\n1.0\t2.0.0\nonly-one\n2.0.0\t1.0.0\r\n' });
    expect(res.stdout.split('\n')).toEqual(['-1', expect.stringMatching(/^error: invalid semver version "1.0": /), 'error: expected two versions separated by a single TAB', '1', '']);
    expect(res.status).toBe(1);
  });

  it('refuses an invalid argument, an unknown scheme and a wrong argument count clearly', () => {
    const bad = runCli(['tools', 'vercmp', '--scheme', 'dpkg', '', '1.0']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error: invalid dpkg version "": empty version/);
    const unknown = runCli(['tools', 'vercmp', '--scheme', 'cobol', '1', '2']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown version scheme 'cobol' \(known: dpkg, apk, rpm/);
    expect(runCli(['tools', 'vercmp', '1', '2']).stderr).toMatch(/missing --scheme/);
    expect(runCli(['tools', 'vercmp', '--scheme', 'rpm', '1']).status).toBe(2);
  });

  it('is listed in help', () => {
    expect(runCli(['tools', 'vercmp', '--help']).stdout).toMatch(/Usage: airlock tools vercmp --scheme <name>/);
    expect(runCli(['--help']).stdout).toMatch(/tools vercmp/);
  });
});
