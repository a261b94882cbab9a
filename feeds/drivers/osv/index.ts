import type { FeedDriver } from '../../driver.js';
import { fetchFiles } from '../fetch-files.js';
import { dumpName, parseOsv } from './parse.js';
import { OsvConfig } from './schema.js';

/**
 * OSV per-ecosystem dumps (`<base>/<Ecosystem>/all.zip`): GHSA, PYSEC, GO and RUSTSEC records for
 * language packages. Dumps stream to disk and are read entry by entry.
 */
export const osv: FeedDriver<OsvConfig> = {
  id: 'osv',
  description: 'OSV ecosystem dumps (GHSA, PyPA, Go, RustSec): language package advisories',
  defaultBaseUrl: 'https://osv-vulnerabilities.storage.googleapis.com',
  config: OsvConfig,
  fetch(ctx, prev) {
    const base = ctx.baseUrl.replace(/\/+$/, '');
    const files = ctx.config.ecosystems.map((e) => ({ url: `${base}/${encodeURIComponent(e)}/all.zip`, name: dumpName(e) }));
    return fetchFiles('osv', ctx, prev, files);
  },
  parse: (snapshot, config, log?: { warn(obj: object, msg: string): void }) => parseOsv(snapshot, config, log),
};
