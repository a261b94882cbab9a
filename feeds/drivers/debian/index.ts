import type { FeedDriver } from '../../driver.js';
import { fetchFiles } from '../fetch-files.js';
import { dsaFile, parseDebian, trackerFile } from './parse.js';
import { DebianConfig } from './schema.js';

const publicTracker = 'https://security-tracker.debian.org';

/** The public tracker does not serve its DSA list itself; the list lives in the tracker's git repository. */
const publicDsaList = 'https://salsa.debian.org/security-tracker-team/security-tracker/raw/master/data/DSA/list';

/**
 * Debian security tracker: the JSON export (`<base>/tracker/data/json`, tens of megabytes, streamed
 * to disk and parsed member by member) plus the DSA list for advisory ids. A mirror serves both
 * under one base URL; against the public tracker the DSA list comes from Salsa.
 */
export const debian: FeedDriver<DebianConfig> = {
  id: 'debian',
  description: 'Debian security tracker: per-release fix states (dpkg) with DSA advisories',
  defaultBaseUrl: publicTracker,
  config: DebianConfig,
  fetch(ctx, prev) {
    const base = ctx.baseUrl.replace(/\/+$/, '');
    const dsaUrl = ctx.config.dsaListUrl ?? (base === publicTracker ? publicDsaList : `${base}/tracker/data/DSA/list`);
    return fetchFiles('debian', ctx, prev, [
      { url: `${base}/tracker/data/json`, name: trackerFile },
      { url: dsaUrl, name: dsaFile },
    ]);
  },
  parse: (snapshot, config) => parseDebian(snapshot, config),
};
