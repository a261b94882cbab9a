import { compareWith, comparisonKind, isComparisonOp } from '../params.js';
import { compareVersions } from '../version-compare.js';
import type { GateSpec } from './types.js';

export const distroGate: GateSpec = {
  name: 'distro',
  description: "Checks the image's operating system distribution and version.",
  triggers: [
    {
      name: 'deny',
      description: 'Fires when the distribution matches and its version satisfies the comparison.',
      params: [
        { name: 'distribution', description: "Distribution id as in os-release ID ('debian', 'alpine').", kind: { type: 'string' }, required: true },
        { name: 'version', description: 'Version to compare against; any version when absent.', kind: { type: 'string' } },
        { name: 'check', description: 'How the image version compares to version.', kind: comparisonKind, default: '=' },
      ],
      evaluate(ctx, p) {
        const distro = ctx.doc.distro;
        if (!distro || distro.id !== p.string('distribution')) return [];
        const version = p.string('version');
        const check = p.string('check');
        if (version !== undefined && isComparisonOp(check)) {
          // The generic order compares dotted numbers, which is what os-release VERSION_IDs are.
          const cmp = compareVersions(null, distro.versionId, version);
          if (cmp === null || !compareWith(check, cmp)) return [];
        }
        return [{ message: `Distribution ${distro.id} ${distro.versionId} matches the denied distribution (${p.string('distribution')} ${check ?? '='} ${version ?? '*'})` }];
      },
    },
  ],
};
