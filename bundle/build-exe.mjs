// Builds dist/airlock: ONE file, a copy of this node binary with the bundled CLI, the migrations
// and better-sqlite3's addon injected as a Single Executable Application blob. See bundle/README.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './build-js.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const work = join(root, 'dist/sea');
const output = join(root, 'dist/airlock');

function migrationTree(dir) {
  const files = {};
  for (const schema of readdirSync(dir)) {
    for (const dialect of readdirSync(join(dir, schema))) {
      for (const file of readdirSync(join(dir, schema, dialect))) {
        if (file.endsWith('.sql')) files[`${schema}/${dialect}/${file}`] = readFileSync(join(dir, schema, dialect, file), 'utf8');
      }
    }
  }
  return files;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const main = await bundle({ sea: true });

const migrations = join(work, 'migrations.json');
writeFileSync(migrations, JSON.stringify(migrationTree(join(root, 'migrations'))));
const addon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node');

const blob = join(work, 'sea-prep.blob');
const seaConfig = join(work, 'sea-config.json');
writeFileSync(
  seaConfig,
  JSON.stringify(
    {
      main,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      assets: { 'better_sqlite3.node': addon, 'migrations.json': migrations },
    },
    null,
    2,
  ),
);
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });

rmSync(output, { force: true });
copyFileSync(process.execPath, output);
chmodSync(output, 0o755);
// The distro's node carries debug info; stripping before injection keeps the file small.
try {
  execFileSync('strip', ['--strip-all', output], { stdio: 'inherit' });
} catch {
  console.warn('strip not available: the executable keeps node\'s debug symbols');
}
const { inject } = require('postject');
await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
});
console.log(`built ${output} (${(statSync(output).size / 1e6).toFixed(1)} MB)`);
