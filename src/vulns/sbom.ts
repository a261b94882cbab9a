import { z } from 'zod';
import { AirlockError } from '../lib/errors.js';
import type { DistroRef } from './distro-map.js';
import { parsePurl, type Purl } from './purl.js';
import type { MatchPackage } from './targets.js';

/** An SBOM's packages, with an account of every component that could not be used. */
export interface SbomPackages {
  /** Which format the file was. */
  format: 'cyclonedx' | 'spdx';
  /** Packages with valid purls. */
  packages: MatchPackage[];
  /** The operating system the SBOM names, if any. */
  distro: DistroRef | null;
  /** Package components left out, each with why. */
  skipped: Array<{ component: string; reason: string }>;
  /** Package components seen (packages + skipped). */
  total: number;
}

const CdxComponent = z.looseObject({
  type: z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  purl: z.string().optional(),
  'bom-ref': z.string().optional(),
  components: z.array(z.unknown()).optional(),
});
const CdxBom = z.looseObject({ bomFormat: z.literal('CycloneDX'), components: z.array(z.unknown()).optional() });

const SpdxPackage = z.looseObject({
  SPDXID: z.string(),
  name: z.string().optional(),
  versionInfo: z.string().optional(),
  primaryPackagePurpose: z.string().optional(),
  externalRefs: z.array(z.looseObject({ referenceType: z.string().optional(), referenceLocator: z.string().optional() })).optional(),
});
const SpdxDocument = z.looseObject({
  spdxVersion: z.string(),
  packages: z.array(z.unknown()).optional(),
  documentDescribes: z.array(z.string()).optional(),
  relationships: z.array(z.looseObject({ spdxElementId: z.string().optional(), relationshipType: z.string().optional(), relatedSpdxElement: z.string().optional() })).optional(),
});

/** CycloneDX component types that describe no installable package (the image, the OS, files). */
const notPackages = new Set(['operating-system', 'container', 'file', 'data']);

const invalid = (file: string, why: string) => new AirlockError('SBOM_INVALID', `sbom:${file}: ${why}`);

/** 'alpine-3.20.3' / 'debian-12' (the purl distro qualifier) -> id and version. */
function distroOf(qualifier: string | undefined): DistroRef | undefined {
  const m = qualifier === undefined ? null : /^([a-z][a-z0-9._]*?)-(\d[\w.~+-]*)$/.exec(qualifier);
  return m ? { id: m[1]!, versionId: m[2]! } : undefined;
}

/** The source package a purl's 'upstream' qualifier names: 'openssl', 'openssl@3.0.11-1', or rpm's 'openssl-3.0.7-1.el9.src.rpm'. */
function sourceOf(purl: Purl): MatchPackage['source'] {
  const upstream = purl.qualifiers.upstream;
  if (upstream === undefined) return undefined;
  if (purl.type === 'rpm') {
    const m = /^(.+)-([^-]+)-([^-]+)\.src\.rpm$/.exec(upstream);
    return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : { name: upstream };
  }
  const at = upstream.indexOf('@');
  return at > 0 ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) } : { name: upstream };
}

/** One package component -> a package, or why not. */
function toPackage(label: string, purlText: string | undefined, version: string | undefined): MatchPackage | string {
  if (purlText === undefined || purlText === '') return 'no purl';
  const parsed = parsePurl(purlText);
  if (!parsed.ok) return `malformed purl ${JSON.stringify(purlText.slice(0, 200))}: ${parsed.reason}`;
  const { purl } = parsed;
  const v = purl.version ?? version;
  if (v === undefined || v === '') return `no version in purl ${JSON.stringify(purlText)}`;
  const source = sourceOf(purl);
  const distro = distroOf(purl.qualifiers.distro);
  return { name: purl.name, version: v, type: purl.type, purl: purlText, locations: [label], ...(source ? { source } : {}), ...(distro ? { distro } : {}) };
}

function readCycloneDx(bom: z.infer<typeof CdxBom>): SbomPackages {
  const out: SbomPackages = { format: 'cyclonedx', packages: [], distro: null, skipped: [], total: 0 };
  const walk = (items: unknown[], path: string): void => {
    items.forEach((raw, i) => {
      const label = `${path}[${i}]`;
      const c = CdxComponent.safeParse(raw);
      out.total++;
      if (!c.success) return void out.skipped.push({ component: label, reason: 'not a CycloneDX component object' });
      const name = `${label} ${c.data.name ?? '(unnamed)'}`;
      if (c.data.components) walk(c.data.components, `${label}.components`);
      if (c.data.type === 'operating-system' && c.data.name && c.data.version) out.distro ??= { id: c.data.name.toLowerCase(), versionId: c.data.version };
      if (notPackages.has(c.data.type ?? '')) return void out.total--;
      const pkg = toPackage(name, c.data.purl, c.data.version);
      if (typeof pkg === 'string') out.skipped.push({ component: name, reason: pkg });
      else out.packages.push(pkg);
    });
  };
  walk(bom.components ?? [], 'components');
  return out;
}

function readSpdx(doc: z.infer<typeof SpdxDocument>): SbomPackages {
  const out: SbomPackages = { format: 'spdx', packages: [], distro: null, skipped: [], total: 0 };
  // The document's subject (the image) is described, not contained: it is no package to match.
  const described = new Set(doc.documentDescribes ?? []);
  for (const r of doc.relationships ?? []) if (r.relationshipType === 'DESCRIBES' && r.relatedSpdxElement) described.add(r.relatedSpdxElement);
  (doc.packages ?? []).forEach((raw, i) => {
    const label = `packages[${i}]`;
    const p = SpdxPackage.safeParse(raw);
    if (!p.success) {
      out.total++;
      return void out.skipped.push({ component: label, reason: 'not an SPDX package object' });
    }
    const purpose = p.data.primaryPackagePurpose ?? '';
    if (purpose === 'OPERATING-SYSTEM' && p.data.name && p.data.versionInfo) out.distro ??= { id: p.data.name.toLowerCase(), versionId: p.data.versionInfo };
    const purl = p.data.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator;
    if (purpose === 'OPERATING-SYSTEM' || purpose === 'CONTAINER' || (described.has(p.data.SPDXID) && purl === undefined)) return;
    out.total++;
    const name = `${label} ${p.data.name ?? p.data.SPDXID}`;
    const pkg = toPackage(name, purl, p.data.versionInfo);
    if (typeof pkg === 'string') out.skipped.push({ component: name, reason: pkg });
    else out.packages.push(pkg);
  });
  return out;
}

function readEither(raw: unknown): SbomPackages | undefined {
  const cdx = CdxBom.safeParse(raw);
  if (cdx.success) return readCycloneDx(cdx.data);
  const spdx = SpdxDocument.safeParse(raw);
  return spdx.success ? readSpdx(spdx.data) : undefined;
}

/**
 * Reads a CycloneDX or SPDX JSON SBOM. Input that is not an SBOM, or an SBOM none of whose
 * components can be matched, is refused; components that cannot be used are listed so the caller
 * never presents a partial scan as complete.
 */
export function readSbom(text: string, file: string): SbomPackages {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `not JSON (${(err as Error).message}); expected a CycloneDX or SPDX JSON SBOM`);
  }
  const result = readEither(raw);
  if (result === undefined) throw invalid(file, 'neither a CycloneDX (bomFormat "CycloneDX") nor an SPDX (spdxVersion) JSON document');
  if (result.total === 0) throw invalid(file, 'lists no package components');
  if (result.packages.length === 0) {
    const reasons = [...new Set(result.skipped.map((s) => s.reason))].slice(0, 5).join('; ');
    throw invalid(file, `none of its ${result.total} components has a usable purl (${reasons})`);
  }
  return result;
}
