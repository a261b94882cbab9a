import { z } from 'zod';

/** Alpine secdb (secdb.alpinelinux.org/<branch>/<repo>.json): one document per branch and repository. */

/** secfixes: fixed-in version -> ids fixed there; version "0" means the package was never affected. */
export const Secfixes = z.record(z.string(), z.array(z.string().nullable()).nullable());
export type Secfixes = z.infer<typeof Secfixes>;

/** One package entry. */
export const SecdbPackage = z.object({
  pkg: z.object({
    name: z.string().min(1),
    secfixes: Secfixes.nullish(),
  }),
});
export type SecdbPackage = z.infer<typeof SecdbPackage>;

/** The document; packages are checked one by one so a single odd entry does not sink the branch. */
export const Secdb = z.object({
  distroversion: z.string().optional(),
  reponame: z.string().optional(),
  packages: z.array(z.unknown()),
});
export type Secdb = z.infer<typeof Secdb>;

/** The driver's config block. */
export const AlpineConfig = z.object({
  /** Branches to fetch, as secdb names them (v3.20) or bare (3.20); edge too. */
  branches: z
    .array(z.string().regex(/^(v?\d+\.\d+|edge)$/, 'expected a branch like v3.20 or edge'))
    .min(1)
    .default(['v3.18', 'v3.19', 'v3.20', 'v3.21', 'v3.22']),
  /** Repositories per branch. */
  repos: z.array(z.enum(['main', 'community'])).min(1).default(['main', 'community']),
  /** secdb serves the same documents as JSON and YAML. */
  format: z.enum(['json', 'yaml']).default('json'),
});
export type AlpineConfig = z.infer<typeof AlpineConfig>;
