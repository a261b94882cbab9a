import type { FeedDriver } from '../../driver.js';
import { fetchFiles } from '../fetch-files.js';
import { parseAlpine } from './parse.js';
import { AlpineConfig } from './schema.js';

/** Branch names as secdb spells them in its paths: v3.20, edge. */
function branchPath(branch: string): string {
  return branch === 'edge' || branch.startsWith('v') ? branch : `v${branch}`;
}

/**
 * Alpine secdb: `<base>/<branch>/<repo>.json` per configured branch and repository. secdb lists
 * fixes only, so every record is "fixed in X"; severity is not published there (NVD supplies it).
 */
export const alpine: FeedDriver<AlpineConfig> = {
  id: 'alpine',
  description: 'Alpine Linux secdb: fixed-in versions per branch (apk)',
  defaultBaseUrl: 'https://secdb.alpinelinux.org',
  config: AlpineConfig,
  fetch(ctx, prev) {
    const base = ctx.baseUrl.replace(/\/+$/, '');
    const files = ctx.config.branches.flatMap((b) =>
      ctx.config.repos.map((repo) => {
        const name = `${branchPath(b)}/${repo}.${ctx.config.format}`;
        return { url: `${base}/${name}`, name };
      }),
    );
    return fetchFiles('alpine', ctx, prev, files);
  },
  parse: (snapshot) => parseAlpine(snapshot),
};
