/**
 * Per-evaluation view of the input that triggers share: indexes are built once, on first use, so a
 * bundle that never asks for the file index never pays for it.
 */
import type { AnalysisFile, AnalysisPackage } from '../analyzer/document.js';
import { parseDockerfile, type DockerInstruction } from './dockerfile-text.js';
import type { PolicyInput } from './input.js';

const osTypes = new Set(['deb', 'apk', 'rpm']);

export function isOsPackageType(type: string): boolean {
  return osTypes.has(type);
}

export interface PasswdLine {
  /** User name. */
  name: string;
  /** User id. */
  uid: number;
  /** Primary group id. */
  gid: number;
  /** Login shell. */
  shell: string;
  /** The entry rebuilt as an /etc/passwd line; the password field is always 'x' (the analysis does not keep it). */
  entry: string;
  /** The fields of the entry. */
  fields: string[];
}

export class PolicyContext {
  private cache = new Map<string, unknown>();

  constructor(readonly input: PolicyInput) {}

  get doc(): PolicyInput['analysis'] {
    return this.input.analysis;
  }

  get now(): Date {
    return this.input.now;
  }

  /** True when the user supplied the Dockerfile; false when it was rebuilt from history. */
  get actualDockerfile(): boolean {
    return this.input.dockerfile !== undefined;
  }

  get dockerfile(): DockerInstruction[] {
    return this.memo('dockerfile', () => parseDockerfile(this.input.dockerfile ?? this.doc.metadata.dockerfile));
  }

  /** The file at that path; a scan per distinct path, cheaper than indexing thousands of files for the few paths rules name. */
  file(path: string): AnalysisFile | undefined {
    return this.memo(`file:${path}`, () => this.doc.files.find((f) => f.path === path));
  }

  get osPackagesByName(): Map<string, AnalysisPackage[]> {
    return this.memo('osPackages', () => byName(this.doc.packages.filter((p) => isOsPackageType(p.type))));
  }

  packagesOfType(type: string): AnalysisPackage[] {
    return this.memo(`type:${type}`, () => this.doc.packages.filter((p) => p.type === type));
  }

  get passwd(): PasswdLine[] {
    return this.memo('passwd', () =>
      this.doc.metadata.users.map((u) => {
        const fields = [u.name, 'x', String(u.uid), String(u.gid), u.gecos, u.home, u.shell];
        return { name: u.name, uid: u.uid, gid: u.gid, shell: u.shell, entry: fields.join(':'), fields };
      }),
    );
  }

  private memo<T>(key: string, build: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = build();
    this.cache.set(key, value);
    return value;
  }
}

function byName(packages: AnalysisPackage[]): Map<string, AnalysisPackage[]> {
  const map = new Map<string, AnalysisPackage[]>();
  for (const p of packages) {
    const list = map.get(p.name);
    if (list) list.push(p);
    else map.set(p.name, [p]);
  }
  return map;
}
