import type { FeedDriver } from '../../driver.js';
import { fetchNvd } from './fetch.js';
import { parseNvd } from './parse.js';
import { NvdConfig } from './schema.js';

/**
 * NVD CVE API 2.0. The first fetch downloads everything; later ones only what changed since, so
 * an incremental snapshot is partial by design and the store merges it into what it has by id.
 */
export const nvd: FeedDriver<NvdConfig> = {
  id: 'nvd',
  description: 'NVD CVE API 2.0: CVSS scores and CPE configurations for every CVE',
  defaultBaseUrl: 'https://services.nvd.nist.gov',
  config: NvdConfig,
  fetch: fetchNvd,
  parse: (snapshot, _config, log?: { warn(obj: object, msg: string): void }) => parseNvd(snapshot, log),
};
