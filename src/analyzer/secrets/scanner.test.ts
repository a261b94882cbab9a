import { describe, expect, it } from 'vitest';
import { defaultSecretRules, parseSecretRule } from './rules.js';
import { scanText, secretSearch } from './scanner.js';

describe('secret scanner', () => {
  it('redacts to at most 4 characters and never more than a quarter of the secret', () => {
    const [aws] = scanText('/a', Buffer.from('AKIAQWERTYUIOPASDFGH'), defaultSecretRules);
    expect(aws).toEqual({ rule: 'aws-access-key-id', path: '/a', line: 1, redacted: 'AKIA…' });
    const short = scanText('/b', Buffer.from('x=abcdefg'), [parseSecretRule('short=x=(\\w+)')]);
    expect(short[0]!.redacted).toBe('a…');
  });

  it('reports the line of the secret itself', () => {
    const text = 'x\n[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    expect(scanText('/c', Buffer.from(text), defaultSecretRules)).toEqual([{ rule: 'aws-secret-access-key', path: '/c', line: 3, redacted: 'wJal…' }]);
  });

  it('skips binaries, oversized and empty files and documentation paths', () => {
    const search = secretSearch({ maxFileBytes: 100 });
    expect(search.wants('/usr/share/doc/x/README', 10)).toBe(false);
    expect(search.wants('/etc/x', 101)).toBe(false);
    expect(search.wants('/etc/x', 0)).toBe(false);
    expect(search.wants('/etc/x', 100)).toBe(true);
    expect(scanText('/bin/x', Buffer.concat([Buffer.from([0x7f, 0x45, 0]), Buffer.from('AKIAQWERTYUIOPASDFGH')]), defaultSecretRules)).toEqual([]);
  });

  it('runs custom rules that have no keywords on every file', () => {
    const rule = parseSecretRule('ticket=TKT-(\\d+)');
    expect(secretSearch({ rules: [rule] }).prefilter).toBeUndefined();
    expect(scanText('/n', Buffer.from('a\nb\nTKT-99812\n'), [rule])).toEqual([{ rule: 'ticket', path: '/n', line: 3, redacted: '9…' }]);
    expect(() => parseSecretRule('nameonly')).toThrow(/must look like name=regex/);
  });
});
