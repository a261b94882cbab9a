// Bundles the airlock CLI into one CommonJS file. `dist/airlock.cjs` runs with node from this
// checkout (native addons from node_modules); `--sea` makes dist/sea/airlock-sea.cjs for the
// single executable, where the addon is loaded from an SEA asset instead.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Worker-thread entries bundled to one script each, as `define` entries: the code that starts a
 * worker gets its source as a string constant (workers run it with eval), so neither the bundle
 * nor the single executable needs a separate file. vitest.config.ts and scripts/bench/run.mjs
 * inject the same constants.
 */
export async function workerDefines() {
  const entries = { AIRLOCK_FEED_PARSER: 'feeds/bundle/parse-worker.ts', AIRLOCK_HASH_WORKER: 'src/analyzer/walk/hash-worker.ts' };
  const defines = {};
  for (const [name, entry] of Object.entries(entries)) {
    const result = await build({
      entryPoints: [join(root, entry)],
      write: false,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    defines[name] = JSON.stringify(result.outputFiles[0].text);
  }
  return defines;
}

export async function bundle({ sea = false } = {}) {
  const outfile = join(root, sea ? 'dist/sea/airlock-sea.cjs' : 'dist/airlock.cjs');
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: sea ? false : 'linked',
    // AIRLOCK_NO_MINIFY=1 keeps names readable in CPU profiles.
    minify: process.env.AIRLOCK_NO_MINIFY !== "1",
    legalComments: 'none',
    logLevel: 'warning',
    // pg-native is pg's optional libpq binding; airlock uses the pure-JS client.
    external: sea ? ['pg-native'] : ['pg-native', 'better-sqlite3'],
    define: {
      ...(await workerDefines()),
      AIRLOCK_VERSION: JSON.stringify(pkg.version),
      'import.meta.url': 'import_meta_url',
    },
    banner: { js: "const import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await bundle({ sea: process.argv.includes('--sea') });
  console.log(`built ${out}`);
}
