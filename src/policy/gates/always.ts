import type { GateSpec } from './types.js';

export const alwaysGate: GateSpec = {
  name: 'always',
  description: 'Fires unconditionally: for testing bundles, mappings and allowlists, or to deny images outright.',
  triggers: [
    {
      name: 'always',
      description: 'Fires once for every image the rule is evaluated against.',
      params: [],
      evaluate: () => [{ message: 'always' }],
    },
  ],
};
