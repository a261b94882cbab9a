import { describe, expect, it } from 'vitest';
import { defaultDistroMap, resolveDistro } from './distro-map.js';
import { ecosystems, pep503 } from './ecosystems.js';
import { parsePurl } from './purl.js';

const ok = (text: string) => {
  const r = parsePurl(text);
  if (!r.ok) throw new Error(r.reason);
  return r.purl;
};
const reason = (text: string) => {
  const r = parsePurl(text);
  return r.ok ? 'parsed' : r.reason;
};

describe('parsePurl', () => {
  it('reads the spec examples and the analyzer purls', () => {
    expect(ok('pkg:npm/%40angular/animation@12.3.1')).toEqual({ type: 'npm', namespace: '@angular', name: 'animation', version: '12.3.1', qualifiers: {} });
    expect(ok('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar')).toMatchObject({ namespace: 'org.apache.logging.log4j', name: 'log4j-core', qualifiers: { type: 'jar' } });
    expect(ok('pkg:golang/github.com/gorilla/context@v1.1.1#api')).toMatchObject({ namespace: 'github.com/gorilla', name: 'context', version: 'v1.1.1' });
    expect(ok('pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc')).toMatchObject({ version: '2.36-9+deb12u14', qualifiers: { arch: 'amd64', distro: 'debian-12', upstream: 'glibc' } });
    expect(ok('pkg:rpm/redhat/openssl@1:3.0.7-27.el9')).toMatchObject({ version: '1:3.0.7-27.el9' });
    expect(ok('PKG:PyPI/Django@4.2')).toMatchObject({ type: 'pypi', name: 'Django', version: '4.2' });
    expect(ok('pkg:golang/stdlib@1.22.1')).toMatchObject({ namespace: undefined, name: 'stdlib' });
    expect(ok('pkg:npm/left-pad')).toMatchObject({ version: undefined });
  });

  it('says what is wrong with malformed purls', () => {
    expect(reason('django@3.2')).toBe("does not start with 'pkg:'");
    expect(reason('pkg:pypi')).toBe('has no type/name part');
    expect(reason('pkg:py$pi/x@1')).toMatch(/type "py\$pi" has characters/);
    expect(reason('pkg:pypi/dj%ZZ@1')).toMatch(/malformed percent-encoding/);
    expect(reason('pkg:pypi/x@')).toBe("has an empty version after '@'");
    expect(reason('pkg:pypi/x@1?a=1&a=2')).toBe('qualifier a appears twice');
    expect(reason('pkg:pypi/x@1?novalue')).toMatch(/is not key=value/);
    expect(reason('pkg:maven/log4j-core@2.14.1')).toMatch(/need a namespace/);
    expect(reason('pkg:npm/a b@1')).toMatch(/whitespace/);
    expect(reason(`pkg:npm/${'a'.repeat(5000)}`)).toMatch(/longer than 4096/);
  });
});

describe('ecosystem names and distro mapping', () => {
  it('normalizes names as each ecosystem keys them', () => {
    expect(pep503('Zope.Interface__x')).toBe('zope-interface-x');
    expect(ecosystems.pypi!.names(ok('pkg:pypi/PyYAML@6.0'))).toEqual(['pyyaml', 'PyYAML']);
    expect(ecosystems.maven!.names(ok('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'))).toEqual(['org.apache.logging.log4j:log4j-core']);
    expect(ecosystems.npm!.names(ok('pkg:npm/%40babel/core@7.0.0'))).toEqual(['@babel/core']);
    expect(ecosystems.golang!.names(ok('pkg:golang/github.com/gin-gonic/gin@v1.9.0'))).toEqual(['github.com/gin-gonic/gin']);
  });

  it('maps distros to namespaces and reports what it cannot place', () => {
    expect(resolveDistro({ id: 'alpine', versionId: '3.20.3' })).toEqual({ namespace: 'alpine:3.20', scheme: 'apk', packageType: 'apk' });
    expect(resolveDistro({ id: 'debian', versionId: '12' })).toMatchObject({ namespace: 'debian:12', scheme: 'dpkg' });
    expect(resolveDistro({ id: 'debian', versionId: '12.7' })).toMatchObject({ namespace: 'debian:12' });
    expect(resolveDistro({ id: 'ubuntu', versionId: '22.04' })).toMatchObject({ namespace: 'ubuntu:22.04', scheme: 'dpkg' });
    for (const id of ['rocky', 'almalinux', 'centos', 'ol', 'rhel']) expect(resolveDistro({ id, versionId: '9.4' })).toMatchObject({ namespace: 'rhel:9', scheme: 'rpm' });
    expect(resolveDistro({ id: 'gentoo', versionId: '2.15' })).toEqual({ problem: expect.stringMatching(/^distro 'gentoo' is not in the distro mapping/) });
    expect(resolveDistro({ id: 'wolfi', versionId: '20230201' }, { ...defaultDistroMap, wolfi: 'alpine' })).toEqual({ problem: expect.stringMatching(/names no alpine release/) });
  });
});
