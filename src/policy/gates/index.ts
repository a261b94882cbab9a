/** The gate registry: every gate airlock evaluates, registered explicitly (a contract test checks it). */
import { alwaysGate } from './always.js';
import { distroGate } from './distro.js';
import { dockerfileGate } from './dockerfile.js';
import { filesGate } from './files.js';
import { licensesGate } from './licenses.js';
import { malwareGate } from './malware.js';
import { metadataGate } from './metadata.js';
import { npmsGate } from './npms.js';
import { packagesGate } from './packages.js';
import { passwdFileGate } from './passwd-file.js';
import { retrievedFilesGate } from './retrieved-files.js';
import { rubyGemsGate } from './ruby-gems.js';
import { secretScansGate } from './secret-scans.js';
import type { GateSpec, TriggerSpec } from './types.js';
import { vulnerabilitiesGate } from './vulnerabilities.js';

export type { Fire, GateSpec, ParamProblem, TriggerSpec } from './types.js';

export const gates: readonly GateSpec[] = [
  alwaysGate,
  distroGate,
  dockerfileGate,
  filesGate,
  licensesGate,
  malwareGate,
  metadataGate,
  npmsGate,
  packagesGate,
  passwdFileGate,
  retrievedFilesGate,
  rubyGemsGate,
  secretScansGate,
  vulnerabilitiesGate,
];

const byName = new Map(gates.map((g) => [g.name, g]));

export function findGate(name: string): GateSpec | undefined {
  return byName.get(name.toLowerCase());
}

/** A trigger by its name or one of its older aliases. */
export function findTrigger(gate: GateSpec, name: string): TriggerSpec | undefined {
  const n = name.toLowerCase();
  return gate.triggers.find((t) => t.name === n || (t.aliases ?? []).includes(n));
}
