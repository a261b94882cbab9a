/**
 * SPDX 2.3 JSON: the document DESCRIBES the image package, which CONTAINS the distro and every
 * package. Declared licenses that are valid SPDX expressions are used as is; others become
 * LicenseRef- ids with the declared text kept in hasExtractedLicensingInfos.
 */
import { createHash } from 'node:crypto';
import { airlockVersion } from '../../lib/version.js';
import type { AnalysisDocument, AnalysisPackage } from '../document.js';
import { licenseRef, spdxExpression } from './licenses.js';

type Json = Record<string, unknown>;

const NOASSERTION = 'NOASSERTION';

function spdxDate(iso: string): string {
  const date = new Date(iso);
  const valid = Number.isNaN(date.getTime()) ? new Date(0) : date;
  // SPDX allows no fractional seconds.
  return `${valid.toISOString().slice(0, 19)}Z`;
}

function spdxId(prefix: string, value: string): string {
  return `SPDXRef-${prefix}-${value.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 120)}`;
}

/** Renders the analysis as an SPDX 2.3 JSON object. */
export function toSpdx(doc: AnalysisDocument): Json {
  const extracted = new Map<string, string>();
  const declared = (pkg: AnalysisPackage): string => {
    if (!pkg.licenses || pkg.licenses.length === 0) return NOASSERTION;
    const expression = spdxExpression(pkg.licenses);
    if (expression) return expression;
    const refs = [...new Set(pkg.licenses)].map((license) => {
      const id = licenseRef(license);
      if (!extracted.has(id)) extracted.set(id, license);
      return id;
    });
    return [...new Set(refs)].join(' AND ');
  };
  const imageId = 'SPDXRef-Image';
  const digest = /^sha256:([0-9a-f]{64})$/.exec(doc.image.digest)?.[1];
  const name = doc.image.tags[0] ?? doc.source;
  const packages: Json[] = [
    {
      SPDXID: imageId,
      name,
      versionInfo: doc.image.digest,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      primaryPackagePurpose: 'CONTAINER',
      ...(digest ? { checksums: [{ algorithm: 'SHA256', checksumValue: digest }] } : {}),
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
    },
  ];
  const relationships: Json[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId }];
  if (doc.distro) {
    const osId = spdxId('OperatingSystem', doc.distro.id);
    packages.push({
      SPDXID: osId,
      name: doc.distro.id,
      versionInfo: doc.distro.versionId,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
    });
    relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: osId });
  }
  doc.packages.forEach((pkg, index) => {
    const id = spdxId(`Package-${pkg.type}-${index}`, pkg.name);
    packages.push({
      SPDXID: id,
      name: pkg.name,
      versionInfo: pkg.version,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      primaryPackagePurpose: 'LIBRARY',
      licenseConcluded: NOASSERTION,
      licenseDeclared: declared(pkg),
      copyrightText: NOASSERTION,
      sourceInfo: `acquired package info from ${pkg.locations.join(', ') || 'the image'}`,
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }],
    });
    relationships.push({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  });
  const unique = createHash('sha256').update(`${doc.image.digest}\n${doc.analyzedAt}\n${doc.source}`).digest('hex').slice(0, 32);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    // A namespace only has to be a unique URI; .invalid never resolves, which suits air-gapped sites.
    documentNamespace: `https://airlock.invalid/spdx/${encodeURIComponent(name)}-${unique}`,
    creationInfo: { created: spdxDate(doc.analyzedAt), creators: [`Tool: airlock-${airlockVersion()}`] },
    packages,
    relationships,
    ...(extracted.size > 0
      ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, text]) => ({ licenseId, extractedText: text, name: text })) }
      : {}),
  };
}
