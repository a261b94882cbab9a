/** Output formats of an analysis: CycloneDX 1.6 JSON, SPDX 2.3 JSON and a text table. */
export { toCycloneDx } from './cyclonedx.js';
export { toSpdx } from './spdx.js';
export { toTable } from './table.js';
