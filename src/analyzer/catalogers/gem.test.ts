import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gemCataloger, isGemspec, rubyStrings } from './gem.js';
import { filesUnder, treeFromFiles } from './testing.js';

const ROOTS = ['/usr/share/rubygems-integration/all', ...readdirSync('/usr/lib/ruby/gems').map((v) => `/usr/lib/ruby/gems/${v}`)];

describe('gem cataloger', () => {
  it("equals what RubyGems loads from Debian's installed gemspecs (ruby-rack and the default gems)", async () => {
    const cataloger = gemCataloger();
    const files: Record<string, Buffer> = {};
    for (const root of ROOTS) Object.assign(files, await filesUnder(root, (path) => cataloger.wants(path, 0), root));
    const paths = Object.keys(files).sort();
    expect(paths.some((path) => /\/rack-[\d.]+\.gemspec$/.test(path))).toBe(true);
    const result = await cataloger.catalog(treeFromFiles(files));
    expect(result.warnings).toEqual([]);
    // The oracle: Ruby evaluating each gemspec the way `gem` does.
    const expected = execFileSync('ruby', ['-e', 'ARGV.each { |f| s = Gem::Specification.load(f); puts "#{s.name} #{s.version} #{f}" }', ...paths], {
      encoding: 'utf8',
    });
    expect(result.packages.map((p) => `${p.name} ${p.version} ${p.locations[0]}`).sort()).toEqual(expected.split('\n').filter(Boolean).sort());
    const rack = result.packages.find((p) => p.name === 'rack');
    const debianVersion = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'ruby-rack'], { encoding: 'utf8' });
    expect(debianVersion.startsWith(`${rack?.version}-`)).toBe(true);
    expect(rack).toMatchObject({ purl: `pkg:gem/rack@${rack?.version}`, licenses: ['MIT'] });
  });

  it('reads other literal forms and reports gemspecs it cannot read', async () => {
    const result = await gemCataloger().catalog(
      treeFromFiles({
        '/gems/specifications/a-1.gemspec': 'Gem::Specification.new do |spec|\n  spec.name = %q{a}\n  spec.version = \'1\'\n  spec.license = "BSD-2-Clause"\nend\n',
        '/gems/specifications/b.gemspec': 'Gem::Specification.new do |s|\n  s.name = NAME\nend\n',
      }),
    );
    expect(result.packages.map((p) => [p.name, p.version, p.licenses])).toEqual([['a', '1', ['BSD-2-Clause']]]);
    expect(result.warnings).toEqual(['gem: /gems/specifications/b.gemspec: no literal name or version']);
    expect(rubyStrings('["Ruby".freeze, %q<BSD-2-Clause>]')).toEqual(['Ruby', 'BSD-2-Clause']);
    expect(isGemspec('/x/specifications/default/json-2.6.1.gemspec')).toBe(true);
    expect(isGemspec('/x/gems/rack-2/rack.gemspec')).toBe(false);
  });
});
