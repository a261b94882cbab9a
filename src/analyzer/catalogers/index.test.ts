import { describe, expect, it } from 'vitest';
import { defaultCatalogers } from './index.js';

describe('defaultCatalogers', () => {
  it('has one cataloger per ecosystem with unique ids, and honours disabled', () => {
    const ids = defaultCatalogers().map((c) => c.id);
    expect(ids).toEqual(['distro', 'passwd', 'dpkg', 'apk', 'rpm', 'npm', 'python', 'gem', 'java', 'go']);
    expect(defaultCatalogers({ disabled: ['java', 'go'] }).map((c) => c.id)).not.toContain('java');
    const kinds = Object.fromEntries(defaultCatalogers().map((c) => [c.id, c.kind]));
    expect(kinds).toMatchObject({ rpm: 'stream', java: 'stream', go: 'stream', dpkg: 'file', npm: 'file' });
  });

  it('routes each kind of file to the right cataloger', () => {
    const byPath = (path: string, mode = 0o644) =>
      defaultCatalogers()
        .filter((c) => (c.kind === 'file' ? c.wants(path, 100) : c.wants(path, 100_000, mode)))
        .map((c) => c.id);
    expect(byPath('/var/lib/dpkg/status')).toEqual(['dpkg']);
    expect(byPath('/etc/os-release')).toEqual(['distro', 'dpkg', 'apk']);
    expect(byPath('/usr/lib/sysimage/rpm/rpmdb.sqlite')).toEqual(['rpm']);
    expect(byPath('/app/node_modules/x/package.json')).toEqual(['npm']);
    expect(byPath('/opt/app.war')).toEqual(['java']);
    expect(byPath('/usr/bin/tool', 0o755)).toEqual(['go']);
    expect(byPath('/usr/share/doc/readme')).toEqual([]);
  });
});
