/**
 * CycloneDX 1.6 JSON: the image as the BOM's subject (a container component), the distro as an
 * operating-system component, and one library component per package with its purl, licenses and
 * where it was found (as airlock: properties).
 */
import { createHash } from 'node:crypto';
import { airlockVersion } from '../../lib/version.js';
import type { AnalysisDocument, AnalysisPackage } from '../document.js';
import { spdxExpression } from './licenses.js';

type Json = Record<string, unknown>;

/** A stable urn:uuid serial derived from what makes the document unique. */
function serialNumber(doc: AnalysisDocument): string {
  const hex = createHash('sha256').update(`${doc.image.digest}\n${doc.analyzedAt}\n${doc.source}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function licenses(pkg: AnalysisPackage): Json[] | undefined {
  if (!pkg.licenses || pkg.licenses.length === 0) return undefined;
  const expression = spdxExpression(pkg.licenses);
  if (expression) return [{ expression }];
  return [...new Set(pkg.licenses)].map((name) => ({ license: { name } }));
}

function properties(pkg: AnalysisPackage): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [{ name: 'airlock:package:type', value: pkg.type }];
  for (const location of pkg.locations) out.push({ name: 'airlock:location', value: location });
  if (pkg.source) out.push({ name: 'airlock:source', value: pkg.source.version ? `${pkg.source.name}@${pkg.source.version}` : pkg.source.name });
  for (const [key, value] of Object.entries(pkg.metadata ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.push({ name: `airlock:metadata:${key}`, value: String(value) });
    }
  }
  return out;
}

function imageName(doc: AnalysisDocument): string {
  return doc.image.tags[0] ?? doc.source;
}

/** Renders the analysis as a CycloneDX 1.6 JSON object. */
export function toCycloneDx(doc: AnalysisDocument): Json {
  const refs = new Map<string, number>();
  const uniqueRef = (base: string): string => {
    const seen = refs.get(base) ?? 0;
    refs.set(base, seen + 1);
    return seen === 0 ? base : `${base}#${seen}`;
  };
  const components: Json[] = [];
  if (doc.distro) {
    components.push({
      type: 'operating-system',
      'bom-ref': uniqueRef(`os:${doc.distro.id}`),
      name: doc.distro.id,
      version: doc.distro.versionId,
      ...(doc.distro.name ? { description: doc.distro.name } : {}),
    });
  }
  for (const pkg of doc.packages) {
    const declared = licenses(pkg);
    components.push({
      type: 'library',
      'bom-ref': uniqueRef(pkg.purl),
      name: pkg.name,
      version: pkg.version,
      purl: pkg.purl,
      ...(declared ? { licenses: declared } : {}),
      properties: properties(pkg),
    });
  }
  const digest = /^sha256:([0-9a-f]{64})$/.exec(doc.image.digest)?.[1];
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serialNumber(doc),
    version: 1,
    metadata: {
      timestamp: doc.analyzedAt,
      tools: { components: [{ type: 'application', name: 'airlock', version: airlockVersion() }] },
      component: {
        type: 'container',
        'bom-ref': uniqueRef('image'),
        name: imageName(doc),
        version: doc.image.digest,
        ...(digest ? { hashes: [{ alg: 'SHA-256', content: digest }] } : {}),
      },
      properties: [
        { name: 'airlock:image:manifestDigest', value: doc.image.manifestDigest },
        { name: 'airlock:source', value: doc.source },
      ],
    },
    components,
  };
}
