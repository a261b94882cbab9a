import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toCycloneDx } from './cyclonedx.js';
import { sampleDocument } from './testing.js';

const require = createRequire(import.meta.url);
const schemaDir = require.resolve('@cyclonedx/cyclonedx-library/package.json').replace(/package\.json$/, 'res/schema/');
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${schemaDir}${name}`, 'utf8')) as Record<string, unknown>;

/** The published CycloneDX 1.6 JSON schema as the CycloneDX project's own library ships it (with its spdx and jsf refs). */
function validator() {
  // strict: false because the published schemas use annotation keywords ajv does not know (meta:enum, deprecated).
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(load('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(load('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

describe('CycloneDX 1.6', () => {
  it('validates against the published bom-1.6 schema', async () => {
    const doc = await sampleDocument();
    const bom = toCycloneDx(doc);
    const validate = validator();
    const valid = validate(JSON.parse(JSON.stringify(bom)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const components = bom.components as Array<Record<string, unknown>>;
    expect(components).toHaveLength(doc.packages.length + 1);
    expect(new Set(components.map((c) => c['bom-ref'])).size).toBe(components.length);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
  });

  it('keeps purls, licenses and locations, and the schema rejects a broken BOM', async () => {
    const doc = await sampleDocument();
    const bom = toCycloneDx(doc);
    const components = bom.components as Array<Record<string, unknown>>;
    expect(components[0]).toMatchObject({ type: 'operating-system', name: 'debian', version: '12' });
    const scoped = components.find((c) => c.name === '@scope/pkg');
    expect(scoped).toMatchObject({ purl: 'pkg:npm/%40scope/pkg@1.0.0-beta.1', licenses: [{ expression: '(MIT OR Apache-2.0)' }] });
    expect(components.find((c) => c.name === 'hello')).toMatchObject({ licenses: [{ license: { name: 'GPLv2+' } }] });
    const bash = components.find((c) => c.name === 'bash');
    expect(bash?.properties).toEqual(expect.arrayContaining([{ name: 'airlock:location', value: '/var/lib/dpkg/status' }]));
    const leftPads = components.filter((c) => c.name === 'left-pad').map((c) => c['bom-ref']);
    expect(leftPads).toEqual(['pkg:npm/left-pad@1.3.0', 'pkg:npm/left-pad@1.3.0#1']);
    const validate = validator();
    expect(validate({ ...bom, specVersion: 1.6 })).toBe(false);
    expect(validate({ ...bom, components: [{ type: 'not-a-type', name: 'x' }] })).toBe(false);
  });
});
