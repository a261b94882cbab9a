import { isOsPackageType } from '../context.js';
import type { ParamSpec } from '../params.js';
import type { Fire, GateSpec } from './types.js';

const packageType: ParamSpec = {
  name: 'package_type',
  description: 'Only check packages of this kind.',
  kind: { type: 'enum', values: ['all', 'os', 'non-os'] },
  default: 'all',
};

const licensesParam: ParamSpec = { name: 'licenses', description: 'Comma-separated license names.', kind: { type: 'list' }, required: true };

/** Runs `match` over every license of every package the package_type selects. */
function scan(packages: ReadonlyArray<{ name: string; version: string; type: string; licenses?: string[] }>, kind: string, match: (license: string) => string | undefined, describe: (license: string, name: string, entry: string) => string): Fire[] {
  const fires: Fire[] = [];
  for (const p of packages) {
    if (kind === 'os' && !isOsPackageType(p.type)) continue;
    if (kind === 'non-os' && isOsPackageType(p.type)) continue;
    for (const license of p.licenses ?? []) {
      const entry = match(license);
      if (entry !== undefined) fires.push({ message: describe(license, `${p.name}-${p.version}`, entry), instanceId: `${license}+${p.name}` });
    }
  }
  return fires;
}

export const licensesGate: GateSpec = {
  name: 'licenses',
  description: 'Checks the licenses declared by installed packages.',
  triggers: [
    {
      name: 'denylist_exact_match',
      aliases: ['blacklist_exact_match'],
      description: 'Fires for each package with a license exactly equal to one in the list.',
      params: [licensesParam, packageType],
      evaluate(ctx, p) {
        const listed = new Set(p.strings('licenses') ?? []);
        return scan(ctx.doc.packages, p.string('package_type') ?? 'all', (l) => (listed.has(l) ? l : undefined), (l, pkg) => `LICENSE (${l}) found for package (${pkg})`);
      },
    },
    {
      name: 'denylist_partial_match',
      aliases: ['blacklist_partial_match'],
      description: 'Fires for each package with a license that contains one in the list.',
      params: [licensesParam, packageType],
      evaluate(ctx, p) {
        const listed = p.strings('licenses') ?? [];
        return scan(
          ctx.doc.packages,
          p.string('package_type') ?? 'all',
          (l) => listed.find((entry) => l.includes(entry)),
          (l, pkg, entry) => `LICENSE (${l}) found for package (${pkg}) that is partially matched in denylist (${entry})`,
        );
      },
    },
  ],
};
