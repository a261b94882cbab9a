import type { AnalysisPackage } from '../../analyzer/document.js';
import { compareVersions } from '../version-compare.js';
import type { GateSpec, TriggerSpec } from './types.js';

function label(p: AnalysisPackage): string {
  return `${p.name}-${p.version}`;
}

/** Anchore's packages gate covers distro packages only; language packages have their own gates. */
const denylist = (name: string, aliases: string[]): TriggerSpec => ({
  name,
  aliases,
  description: 'Fires for each installed distro package with the given name (and version, when given).',
  params: [
    { name: 'name', description: 'Package name.', kind: { type: 'string' }, required: true },
    { name: 'version', description: 'Exact version; any version when absent.', kind: { type: 'string' } },
  ],
  evaluate(ctx, p) {
    const version = p.string('version');
    return (ctx.osPackagesByName.get(p.string('name') ?? '') ?? [])
      .filter((pkg) => version === undefined || pkg.version === version)
      .map((pkg) => ({ message: `Package is denylisted: ${label(pkg)}`, instanceId: `${pkg.name}+${pkg.version}` }));
  },
});

export const packagesGate: GateSpec = {
  name: 'packages',
  description: 'Distro package checks: required, denied and modified packages.',
  triggers: [
    {
      name: 'required_package',
      description: 'Fires when the named distro package is missing, or present in no acceptable version.',
      params: [
        { name: 'name', description: 'Package name.', kind: { type: 'string' }, required: true },
        { name: 'version', description: 'Required version.', kind: { type: 'string' } },
        { name: 'version_match_type', description: 'exact: that version; minimum: that version or newer.', kind: { type: 'enum', values: ['exact', 'minimum'] }, default: 'exact' },
      ],
      evaluate(ctx, p) {
        const name = p.string('name') ?? '';
        const installed = ctx.osPackagesByName.get(name) ?? [];
        if (installed.length === 0) return [{ message: `Required package (${name}) not present in image` }];
        const version = p.string('version');
        if (version === undefined) return [];
        const minimum = p.string('version_match_type') === 'minimum';
        const ok = installed.some((pkg) => {
          const cmp = compareVersions(pkg.type, pkg.version, version);
          return cmp !== null && (minimum ? cmp >= 0 : cmp === 0);
        });
        if (ok) return [];
        const found = installed.map((pkg) => pkg.version).join(', ');
        return [{ message: `Required ${minimum ? 'min' : 'exact'} version (${version}) of package (${name}) not present in image; found ${found}` }];
      },
    },
    {
      name: 'verify',
      description: 'Fires for each file of a distro package that is missing or changed compared to the package database.',
      params: [
        { name: 'only_packages', description: 'Comma-separated package names to verify.', kind: { type: 'list' } },
        { name: 'only_directories', description: 'Comma-separated directories to verify.', kind: { type: 'list' } },
        { name: 'check', description: 'What to look for.', kind: { type: 'enum', values: ['changed', 'missing'] }, default: 'changed' },
      ],
      limitation: "the analysis keeps no per-package file lists or digests, so packages cannot be verified; never fires",
      evaluate: () => [],
    },
    denylist('denylist', ['blacklist']),
  ],
};
