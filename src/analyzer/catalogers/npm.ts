/**
 * npm: package.json files of installed packages, i.e. node_modules/<name>/package.json or
 * node_modules/@scope/<name>/package.json. Other package.json files inside a package (build
 * stubs such as lib/esm/package.json) are not packages and are not read.
 */
import { z } from 'zod';
import { purl } from './purl.js';
import type { CatalogResult, FileCataloger, Package } from '../types.js';

const MAX_BYTES = 1024 * 1024;
const MAX_PACKAGES = 200_000;

const licenseSchema = z.union([z.string(), z.object({ type: z.string() }).transform((l) => l.type)]);
const manifestSchema = z.object({
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(256),
  license: licenseSchema.optional().catch(undefined),
  // The long-deprecated array form still appears in old packages.
  licenses: z.array(licenseSchema).optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  homepage: z.string().optional().catch(undefined),
  private: z.boolean().optional().catch(undefined),
});

/** Whether a path is the manifest of an installed package. */
export function isInstalledManifest(path: string): boolean {
  if (!path.endsWith('/package.json')) return false;
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return false;
  const rest = path.slice(at + '/node_modules/'.length, -'/package.json'.length).split('/');
  if (rest.length === 1) return rest[0] !== '' && !rest[0]?.startsWith('.');
  return rest.length === 2 && (rest[0]?.startsWith('@') ?? false) && rest[1] !== '';
}

/** Parses one installed package's package.json; a reason string when it is not usable. */
export function parsePackageJson(text: string, location: string): Package | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return 'no name or version';
  const { name, version, license, licenses, description, homepage } = parsed.data;
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const declared = license ? [license] : (licenses ?? []);
  return {
    name,
    version,
    type: 'npm',
    purl: purl({ type: 'npm', namespace: slash > 0 ? name.slice(0, slash) : undefined, name: slash > 0 ? name.slice(slash + 1) : name, version }),
    locations: [location],
    ...(declared.length > 0 ? { licenses: declared } : {}),
    metadata: { ...(description ? { description } : {}), ...(homepage ? { homepage } : {}) },
  };
}

/** Catalogs installed npm packages. */
export function npmCataloger(): FileCataloger {
  return {
    id: 'npm',
    kind: 'file',
    maxBytes: MAX_BYTES,
    wants: (path) => isInstalledManifest(path),
    catalog: async (tree) => {
      const result: CatalogResult = { packages: [], warnings: [] };
      for (const entry of tree.entries()) {
        if (entry.kind !== 'file' || !isInstalledManifest(entry.path)) continue;
        if (result.packages.length >= MAX_PACKAGES) {
          result.warnings.push(`npm: more than ${MAX_PACKAGES} packages, the rest skipped`);
          break;
        }
        const bytes = tree.content(entry.path);
        if (!bytes) continue;
        const pkg = parsePackageJson(bytes.toString('utf8'), entry.path);
        if (typeof pkg === 'string') result.warnings.push(`npm: ${entry.path}: ${pkg}`);
        else result.packages.push(pkg);
      }
      return result;
    },
  };
}
