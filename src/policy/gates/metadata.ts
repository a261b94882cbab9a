import type { AnalysisDocument } from '../../analyzer/document.js';
import { applyCheck, checkKind, validateCheckValue } from '../checks.js';
import type { GateSpec } from './types.js';

const attributes = ['size', 'architecture', 'os_type', 'distro', 'distro_version', 'like_distro', 'layer_count'] as const;

/** os-release ID_LIKE is not in the analysis; the families below are what those distros declare. */
const likeDistro: Record<string, string> = {
  ubuntu: 'debian',
  debian: 'debian',
  rhel: 'fedora',
  centos: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  ol: 'fedora',
  amzn: 'fedora',
  alpine: 'alpine',
  wolfi: 'alpine',
};

function attributeValue(doc: AnalysisDocument, name: string): string | undefined {
  switch (name) {
    case 'size':
      return String(doc.image.layers.reduce((n, l) => n + l.uncompressedSize, 0));
    case 'architecture':
      return doc.metadata.architecture;
    case 'os_type':
      return doc.metadata.os;
    case 'distro':
      return doc.distro?.id;
    case 'distro_version':
      return doc.distro?.versionId;
    case 'like_distro':
      return doc.distro ? (likeDistro[doc.distro.id] ?? doc.distro.id) : undefined;
    case 'layer_count':
      return String(doc.image.layers.length);
    default:
      return undefined;
  }
}

export const metadataGate: GateSpec = {
  name: 'metadata',
  description: 'Checks image metadata: size, architecture, OS, distro, layer count.',
  triggers: [
    {
      name: 'attribute',
      description: 'Fires when the named image attribute satisfies the check against the value.',
      params: [
        { name: 'attribute', description: 'Attribute to check.', kind: { type: 'enum', values: attributes }, required: true },
        { name: 'check', description: 'Comparison to apply.', kind: checkKind, required: true },
        { name: 'value', description: 'Value to compare with (a regex for like/not_like, a comma list for in/not_in).', kind: { type: 'string' } },
      ],
      validate: validateCheckValue,
      evaluate(ctx, p) {
        const attribute = p.string('attribute') ?? '';
        const check = p.string('check') ?? '';
        const value = p.string('value');
        const actual = attributeValue(ctx.doc, attribute);
        if (!applyCheck(check, actual, value)) return [];
        return [{ message: `Attribute check for attribute: '${attribute}' check: '${check}' check_value: '${value ?? ''}' matched image value: '${actual ?? ''}'` }];
      },
    },
  ],
};
