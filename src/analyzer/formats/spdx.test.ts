import parseSpdx from 'spdx-expression-parse';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toSpdx } from './spdx.js';
import { sampleDocument } from './testing.js';

/**
 * No npm package (nor Debian package) ships the published SPDX 2.3 JSON schema, so this is a
 * local check of the SPDX 2.3 specification's required fields and value patterns (clauses 6, 7,
 * 11), written from the spec text: NOT the official schema. License fields are checked with
 * spdx-expression-parse, an implementation of the SPDX expression grammar (Annex D).
 */
const spdxId = z.string().regex(/^SPDXRef-[a-zA-Z0-9.-]+$/);
const licenseField = z.string().refine((value) => {
  if (value === 'NOASSERTION' || value === 'NONE') return true;
  try {
    parseSpdx(value);
    return true;
  } catch {
    return /^LicenseRef-[A-Za-z0-9.-]+( AND LicenseRef-[A-Za-z0-9.-]+)*$/.test(value);
  }
}, 'not an SPDX license expression');
const spdx23 = z
  .object({
    spdxVersion: z.literal('SPDX-2.3'),
    dataLicense: z.literal('CC0-1.0'),
    SPDXID: z.literal('SPDXRef-DOCUMENT'),
    name: z.string().min(1),
    documentNamespace: z.string().url().refine((uri) => !uri.includes('#')),
    creationInfo: z.object({
      created: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      creators: z.array(z.string().regex(/^(Tool|Organization|Person): .+/)).min(1),
    }),
    packages: z.array(
      z
        .object({
          SPDXID: spdxId,
          name: z.string().min(1),
          versionInfo: z.string().optional(),
          downloadLocation: z.string().min(1),
          filesAnalyzed: z.boolean(),
          primaryPackagePurpose: z.enum(['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING-SYSTEM', 'DEVICE', 'FIRMWARE', 'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER']).optional(),
          licenseConcluded: licenseField,
          licenseDeclared: licenseField,
          copyrightText: z.string(),
          checksums: z.array(z.object({ algorithm: z.literal('SHA256'), checksumValue: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
          sourceInfo: z.string().optional(),
          externalRefs: z
            .array(z.object({ referenceCategory: z.literal('PACKAGE-MANAGER'), referenceType: z.literal('purl'), referenceLocator: z.string().startsWith('pkg:') }))
            .optional(),
        })
        .strict(),
    ),
    relationships: z.array(z.object({ spdxElementId: spdxId, relationshipType: z.enum(['DESCRIBES', 'CONTAINS']), relatedSpdxElement: spdxId }).strict()),
    hasExtractedLicensingInfos: z.array(z.object({ licenseId: z.string().regex(/^LicenseRef-[A-Za-z0-9.-]+$/), extractedText: z.string(), name: z.string() }).strict()).optional(),
  })
  .strict();

describe('SPDX 2.3', () => {
  it("meets SPDX 2.3's required fields, identifiers and license grammar", async () => {
    const doc = await sampleDocument();
    const spdx = toSpdx(doc);
    const parsed = spdx23.safeParse(spdx);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 5)).toEqual([]);
    if (!parsed.success) return;
    const ids = parsed.data.packages.map((p) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    // Every relationship points at a package of this document, and the image contains them all.
    for (const r of parsed.data.relationships) expect(r.relatedSpdxElement === 'SPDXRef-DOCUMENT' || ids.includes(r.relatedSpdxElement)).toBe(true);
    expect(parsed.data.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(doc.packages.length + 1);
    expect(parsed.data.creationInfo.created).toBe('2026-12-04T20:00:00Z');
  });

  it('passes SPDX licenses through and turns the others into extracted LicenseRefs', async () => {
    const spdx = toSpdx(await sampleDocument());
    const packages = spdx.packages as Array<Record<string, unknown>>;
    expect(packages.find((p) => p.name === '@scope/pkg')?.licenseDeclared).toBe('(MIT OR Apache-2.0)');
    expect(packages.find((p) => p.name === 'hello')?.licenseDeclared).toBe('LicenseRef-GPLv2');
    expect(packages.find((p) => p.name === 'PyYAML')?.licenseDeclared).toBe('LicenseRef-MIT-and-BSD-ish');
    expect(spdx.hasExtractedLicensingInfos).toEqual(
      expect.arrayContaining([{ licenseId: 'LicenseRef-GPLv2', extractedText: 'GPLv2+', name: 'GPLv2+' }]),
    );
    expect(packages.find((p) => p.name === 'bash')?.externalRefs).toEqual([
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: expect.stringMatching(/^pkg:deb\/debian\/bash@/) },
    ]);
    expect(spdx23.safeParse({ ...spdx, packages: [{ ...packages[1], SPDXID: 'bad id' }] }).success).toBe(false);
  });
});
