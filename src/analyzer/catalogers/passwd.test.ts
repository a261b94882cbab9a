import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passwdCataloger, passwdEntries } from './passwd.js';
import { treeFromFiles } from './testing.js';

describe('passwd/group', () => {
  it("equals getent's view of this machine's /etc/passwd and /etc/group", () => {
    const tree = treeFromFiles({ '/etc/passwd': readFileSync('/etc/passwd'), '/etc/group': readFileSync('/etc/group') });
    const entries = passwdEntries(tree);
    expect(entries.warnings).toEqual([]);
    // getent with the files service only: the C library's own parser of the same files.
    const users = execFileSync('getent', ['-s', 'files', 'passwd'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(entries.users.map((u) => [u.name, 'x', u.uid, u.gid, u.gecos, u.home, u.shell].join(':'))).toEqual(
      users.map((line) => line.replace(/^([^:]*):[^:]*:/, '$1:x:')),
    );
    const groups = execFileSync('getent', ['-s', 'files', 'group'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(entries.groups.map((g) => `${g.name}:${g.gid}:${g.members.join(',')}`)).toEqual(groups.map((line) => line.replace(/^([^:]*):[^:]*:/, '$1:')));
    expect(entries.users.find((u) => u.name === 'root')).toMatchObject({ uid: 0, gid: 0, home: '/root' });
  });

  it('skips malformed lines with a warning', () => {
    const entries = passwdEntries(treeFromFiles({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\nbroken\nbad:x:abc:0::/:/bin/false\n', '/etc/group': 'wheel:x:10:a,b\n' }));
    expect(entries.users.map((u) => u.name)).toEqual(['root']);
    expect(entries.groups).toEqual([{ name: 'wheel', gid: 10, members: ['a', 'b'] }]);
    expect(entries.warnings).toEqual(['passwd: /etc/passwd: 2 malformed lines skipped']);
    expect(passwdCataloger().wants('/etc/shadow', 10)).toBe(false);
  });
});
